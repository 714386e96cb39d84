/**
 * Adobe's CJA limit is per user: "12 requests every 6 seconds per user" (CJA API FAQ). Stacks that
 * run at once on one machine with one credential (CI jobs, a `pulumi up` beside a preview) draw on
 * one budget, so their providers keep it in one file, read and written under a lock by every
 * process with the same credential and endpoint. The rule is {@link RateLimiter}'s: a token comes
 * back `intervalMs` after the request that took it has finished, so no window of `intervalMs` sees
 * more than `requests` of the machine's requests arrive.
 *
 * A token held by a process that died (no such pid) or held longer than `staleAfterMs` is freed.
 * Where the folder cannot be written (a read-only temp dir), the limiter falls back to the
 * process's own budget and says so once.
 */
import { createHash, randomUUID } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RateLimiter, realLimiterClock, type Limiter, type LimiterClock, type Release } from "./rate-limiter";
import type { RateLimit } from "./settings";

/** One token taken: by which process, since when, and when its request finished. */
interface Slot {
  id: string;
  pid: number;
  taken: number;
  finished?: number;
}

export interface SharedLimiterOptions {
  /** Folder of the budget files (default: `pulumi-adobe-cja-budgets` in the OS temp folder). */
  dir?: string;
  /** What identifies one budget: service, endpoint, client id. Hashed into the file name. */
  key: string;
  clock?: LimiterClock;
  /** A token taken this long ago whose request never finished is freed (default 11 min, above the longest request timeout). */
  staleAfterMs?: number;
  /** Told once when the budget cannot be shared. */
  warn?: (message: string) => void;
}

const LOCK_STALE_MS = 2000;
/** How often a waiter looks again when every token is in flight (none has a known return time). */
const POLL_MS = 50;

export const DEFAULT_BUDGET_DIR = path.join(os.tmpdir(), "pulumi-adobe-cja-budgets");

/** A budget file untouched this long holds no live token (every token is freed within `staleAfterMs`): it is removed. */
const IDLE_BUDGET_MS = 60 * 60_000;
const pruned = new Set<string>();

/** Removes the budget files of the folder that no process has used for an hour (once per folder and process). */
function pruneIdleBudgets(dir: string, now: number): void {
  if (pruned.has(dir)) return;
  pruned.add(dir);
  try {
    for (const name of fs.readdirSync(dir)) {
      if (!name.endsWith(".json")) continue;
      const file = path.join(dir, name);
      if (now - fs.statSync(file).mtimeMs > IDLE_BUDGET_MS) fs.rmSync(file, { force: true });
    }
  } catch {
    // No folder yet, or another process pruned it meanwhile.
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));
/** Blocks the thread for `ms`: only while another process holds the lock for a few microseconds. */
const sleepSync = (ms: number) => Atomics.wait(pause, 0, 0, ms);

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export class SharedRateLimiter implements Limiter {
  private readonly file: string;
  private readonly lockDir: string;
  private readonly clock: LimiterClock;
  private readonly staleAfterMs: number;
  /** Waiters of this process take their turn one after the other (first come, first served). */
  private queue: Promise<unknown> = Promise.resolve();
  private fallback?: Limiter;

  constructor(
    private readonly limit: RateLimit,
    private readonly options: SharedLimiterOptions,
  ) {
    if (!(limit.requests >= 1) || !(limit.intervalMs >= 1)) throw new Error(`invalid rate limit ${limit.requests}/${limit.intervalMs}`);
    const dir = options.dir ?? DEFAULT_BUDGET_DIR;
    const name = createHash("sha256").update(`${options.key}\n${limit.requests}/${limit.intervalMs}`).digest("hex").slice(0, 32);
    this.file = path.join(dir, `${name}.json`);
    this.lockDir = path.join(dir, `${name}.lock`);
    this.clock = options.clock ?? realLimiterClock;
    this.staleAfterMs = options.staleAfterMs ?? 11 * 60_000;
    pruneIdleBudgets(dir, Date.now());
  }

  acquire(): Promise<Release> {
    if (this.fallback) return this.fallback.acquire();
    const turn = this.queue.then(() => this.take());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async take(): Promise<Release> {
    for (;;) {
      let outcome: Slot | number;
      try {
        outcome = this.update<Slot | number>((slots, now) => {
          if (slots.length < this.limit.requests) {
            const slot: Slot = { id: randomUUID(), pid: process.pid, taken: now };
            return { slots: [...slots, slot], result: slot };
          }
          const returns = slots.flatMap((s) => (s.finished === undefined ? [] : [s.finished + this.limit.intervalMs]));
          return { slots, result: returns.length > 0 ? Math.max(1, Math.min(...returns) - now) : POLL_MS };
        });
      } catch (error) {
        return this.fallBack(error).acquire();
      }
      if (typeof outcome !== "number") return this.releaser(outcome.id);
      await this.clock.sleep(outcome);
    }
  }

  private releaser(id: string): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      try {
        this.update((slots, now) => ({ slots: slots.map((s) => (s.id === id ? { ...s, finished: now } : s)), result: undefined }));
      } catch (error) {
        this.fallBack(error);
      }
    };
  }

  /** Reads the budget, drops the tokens that came back, applies `change` and writes it back, under the lock. */
  private update<T>(change: (slots: Slot[], now: number) => { slots: Slot[]; result: T }): T {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    this.lock();
    try {
      const now = this.clock.now();
      const held = this.read().filter((s) =>
        s.finished === undefined ? alive(s.pid) && now - s.taken < this.staleAfterMs : s.finished + this.limit.intervalMs > now,
      );
      const { slots, result } = change(held, now);
      const temp = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(temp, JSON.stringify(slots));
      fs.renameSync(temp, this.file);
      return result;
    } finally {
      fs.rmdirSync(this.lockDir);
    }
  }

  private read(): Slot[] {
    try {
      const parsed = JSON.parse(fs.readFileSync(this.file, "utf8")) as unknown;
      return Array.isArray(parsed) ? parsed.filter((s): s is Slot => typeof s?.id === "string" && typeof s?.pid === "number" && typeof s?.taken === "number") : [];
    } catch {
      return [];
    }
  }

  private lock(): void {
    for (;;) {
      try {
        fs.mkdirSync(this.lockDir);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      try {
        if (Date.now() - fs.statSync(this.lockDir).mtimeMs > LOCK_STALE_MS) fs.rmdirSync(this.lockDir);
      } catch {
        // Gone meanwhile: try again.
      }
      sleepSync(1);
    }
  }

  private fallBack(error: unknown): Limiter {
    if (!this.fallback) {
      this.fallback = new RateLimiter(this.limit, this.clock);
      this.options.warn?.(`the rate limit budget cannot be shared with other processes (${(error as Error).message}): this process paces itself alone`);
    }
    return this.fallback;
  }
}
