/**
 * The machine's budget: limiters of separate processes with one credential share one file. Each
 * limiter here stands for one process (its own instance and queue), on a folder of the test's own.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { SharedRateLimiter } from "../../provider/adobe/shared-limiter";
import type { Release } from "../../provider/adobe/rate-limiter";

const LIMIT = { requests: 4, intervalMs: 400 };
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "budget-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const limiter = (key = "cja\nhttps://cja.adobe.io\nclient", warn?: (m: string) => void) => new SharedRateLimiter(LIMIT, { dir, key, warn });

/** Takes a token, "sends" (holds it for `holdMs`), releases; resolves with when it was granted. */
async function request(l: SharedRateLimiter, holdMs = 5): Promise<number> {
  const release: Release = await l.acquire();
  const at = Date.now();
  await new Promise((r) => setTimeout(r, holdMs));
  release();
  return at;
}

/** The most grants in any window of the interval. */
function busiestWindow(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return Math.max(...sorted.map((t) => sorted.filter((u) => u >= t && u < t + LIMIT.intervalMs).length));
}

it("two processes with one credential together stay within the budget: no window holds more than its requests", async () => {
  const [a, b] = [limiter(), limiter()];
  const started = Date.now();
  const times = await Promise.all([...Array.from({ length: 6 }, () => request(a)), ...Array.from({ length: 6 }, () => request(b))]);
  expect(busiestWindow(times)).toBeLessThanOrEqual(LIMIT.requests);
  // 12 requests at 4 per window: the last is granted two intervals (and a little) after the first.
  expect(Date.now() - started).toBeGreaterThanOrEqual(2 * LIMIT.intervalMs);
});

it("other credentials have budgets of their own", async () => {
  const [a, b] = [limiter("cja\nhttps://cja.adobe.io\none"), limiter("cja\nhttps://cja.adobe.io\ntwo")];
  const started = Date.now();
  await Promise.all([...Array.from({ length: 4 }, () => request(a)), ...Array.from({ length: 4 }, () => request(b))]);
  expect(Date.now() - started).toBeLessThan(LIMIT.intervalMs);
});

it("a token held by a process that died is free again", async () => {
  const l = limiter();
  await request(l);
  const [file] = readdirSync(dir).filter((f) => f.endsWith(".json"));
  const dead = { id: "x", pid: 2 ** 22 + 12345, taken: Date.now() };
  writeFileSync(path.join(dir, file), JSON.stringify(Array.from({ length: LIMIT.requests }, (_, i) => ({ ...dead, id: `dead-${i}` }))));
  const started = Date.now();
  await request(l);
  expect(Date.now() - started).toBeLessThan(LIMIT.intervalMs / 2);
  expect((JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Array<{ id: string }>).some((s) => s.id.startsWith("dead-"))).toBe(false);
});

it("a budget file that is not JSON counts as empty", async () => {
  const l = limiter();
  await request(l);
  const [file] = readdirSync(dir).filter((f) => f.endsWith(".json"));
  writeFileSync(path.join(dir, file), "{torn");
  await expect(request(l)).resolves.toEqual(expect.any(Number));
});

it("a folder it cannot make falls back to the process's own budget, said once", async () => {
  const notAFolder = path.join(dir, "file");
  writeFileSync(notAFolder, "");
  const told: string[] = [];
  const l = new SharedRateLimiter(LIMIT, { dir: path.join(notAFolder, "budgets"), key: "k", warn: (m) => told.push(m) });
  const times = await Promise.all(Array.from({ length: 6 }, () => request(l)));
  expect(busiestWindow(times)).toBeLessThanOrEqual(LIMIT.requests);
  expect(told).toHaveLength(1);
  expect(told[0]).toMatch(/cannot be shared with other processes/);
});

it("a budget file no process has used for an hour is removed by the next process's limiter", async () => {
  await request(limiter("one"));
  await request(limiter("two"));
  const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
  expect(files).toHaveLength(2);
  const old = new Date(Date.now() - 2 * 60 * 60_000);
  utimesSync(path.join(dir, files[0]), old, old);
  jest.isolateModules(() => {
    const { SharedRateLimiter: Fresh } = require("../../provider/adobe/shared-limiter") as typeof import("../../provider/adobe/shared-limiter");
    new Fresh(LIMIT, { dir, key: "three" });
  });
  expect(readdirSync(dir).filter((f) => f.endsWith(".json"))).toEqual([files[1]]);
});
