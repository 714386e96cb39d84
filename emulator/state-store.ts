/**
 * The emulator's persistent state: plain JSON objects partitioned per service, org and sandbox,
 * optionally loaded from and written to a JSON file (debounced, atomically via rename).
 */
import { promises as fsp, readFileSync, existsSync } from "fs";
import * as path from "path";
import type { StateStore } from "./types";

/** The whole state as it is written to the state file and shown by `GET /_emulator/state`. */
export interface StateData {
  version: 1;
  /** `orgs[service][org]`: the slice a service keeps for one org. */
  orgs: { cja: Record<string, object>; aep: Record<string, object> };
  /** `sandboxes.aep[org][sandbox]`: the slice AEP keeps for one org and sandbox. */
  sandboxes: { aep: Record<string, Record<string, object>> };
}

const WRITE_DELAY_MS = 50;

function emptyState(): StateData {
  return { version: 1, orgs: { cja: {}, aep: {} }, sandboxes: { aep: {} } };
}

function readStateFile(file: string): StateData {
  if (!existsSync(file)) return emptyState();
  const text = readFileSync(file, "utf8");
  if (text.trim() === "") return emptyState();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`Emulator state file ${file} is not valid JSON (${(err as Error).message}); fix or delete it.`);
  }
  const data = parsed as Partial<StateData>;
  if (data?.version !== 1 || typeof data.orgs !== "object" || typeof data.sandboxes !== "object") {
    throw new Error(`Emulator state file ${file} is not an emulator state (expected {"version":1,"orgs":...,"sandboxes":...}).`);
  }
  const fresh = emptyState();
  return {
    version: 1,
    orgs: { cja: data.orgs.cja ?? fresh.orgs.cja, aep: data.orgs.aep ?? fresh.orgs.aep },
    sandboxes: { aep: data.sandboxes.aep ?? fresh.sandboxes.aep },
  };
}

/**
 * The {@link StateStore} handlers use. Slices are live objects: a handler mutates them and calls
 * `touch()`. Handlers must not keep a slice across requests, since `reset()` replaces them all.
 */
export class JsonStateStore implements StateStore {
  private data: StateData;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  /** Loads `file` when given (a missing file is an empty state); without a file the state lives in memory. */
  constructor(private readonly file?: string) {
    this.data = file ? readStateFile(file) : emptyState();
  }

  org<T extends object>(service: "cja" | "aep", org: string, init: () => T): T {
    const slices = this.data.orgs[service];
    if (!Object.prototype.hasOwnProperty.call(slices, org)) slices[org] = init();
    return slices[org] as T;
  }

  sandbox<T extends object>(service: "aep", org: string, sandbox: string, init: () => T): T {
    const perOrg = (this.data.sandboxes[service][org] ??= {});
    if (!Object.prototype.hasOwnProperty.call(perOrg, sandbox)) perOrg[sandbox] = init();
    return perOrg[sandbox] as T;
  }

  touch(): void {
    if (!this.file || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.write();
    }, WRITE_DELAY_MS);
  }

  /** The whole state (live object; serialize it before handing it out). */
  dump(): StateData {
    return this.data;
  }

  /** Forgets everything (and persists the empty state). */
  reset(): void {
    this.data = emptyState();
    this.touch();
  }

  /** Writes any pending change now; resolves when the file is on disk. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      await this.write();
    }
    await this.writing;
  }

  private write(): Promise<void> {
    const file = this.file;
    if (!file) return Promise.resolve();
    const text = JSON.stringify(this.data, null, 2);
    this.writing = this.writing.then(() => writeAtomically(file, text));
    return this.writing;
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  await fsp.mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fsp.writeFile(tmp, text, "utf8");
  await fsp.rename(tmp, file);
}
