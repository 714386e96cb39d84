/**
 * CJA's rate limit over real HTTP: a sliding window per client id, Adobe's 429 body with
 * Retry-After, recovery when the window moves on. Decisions are checked against the request
 * log's arrival timestamps, never against wall-clock durations.
 */
import type { LogEntry } from "../helpers/emulator";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { dateRangeRoutes, estimateRoute } from "./core-test-routes";

const LIMIT = { requests: 5, intervalMs: 300 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let emu: TestEmulator;
let token: string;

beforeAll(async () => {
  emu = await startTestEmulator({ rateLimit: LIMIT, extraRoutes: [...dateRangeRoutes, estimateRoute] });
});
afterAll(() => emu.close());
beforeEach(async () => {
  await emu.reset();
  token = await emu.token();
  await emu.clearRequests();
});

/** What a sliding window of LIMIT would have decided for each logged request, from arrival times only. */
function expectedStatuses(log: LogEntry[]): number[] {
  const accepted: number[] = [];
  return log.map((entry) => {
    const inWindow = accepted.filter((t) => t > entry.at - LIMIT.intervalMs).length;
    if (inWindow < LIMIT.requests) {
      accepted.push(entry.at);
      return 200;
    }
    return 429;
  });
}

const getRange = () => emu.call("GET", "/projects/none", { token });

describe("CJA rate limit", () => {
  it("answers Adobe's 429 with Retry-After (seconds until a slot frees) once the window is full", async () => {
    await emu.admin("PUT", "/rate-limit", { requests: 5, intervalMs: 60_000 });
    const results = [];
    for (let i = 0; i < 7; i++) results.push(await emu.call("POST", "/projects", { token, body: { name: `r${i}` } }));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(results[5].body).toEqual({ error_code: "429050", message: "Too many requests" });
    const { log } = await emu.requests();
    const secondsUntilSlotFrees = (entry: LogEntry) => String(Math.ceil((log[0].at + 60_000 - entry.at) / 1000));
    expect(results[5].headers.get("retry-after")).toBe(secondsUntilSlotFrees(log[5]));
    expect(results[6].headers.get("retry-after")).toBe(secondsUntilSlotFrees(log[6]));
  });

  it("recovers as the window slides, and rejected requests take no slot", async () => {
    const statuses: number[] = [];
    const send = async () => statuses.push((await emu.call("POST", "/projects", { token, body: { name: `r${statuses.length}` } })).status);
    while (!statuses.includes(429) && statuses.length < 100) await send();
    expect(statuses).toContain(429);
    for (let i = 0; i < 3; i++) await send();
    await sleep(LIMIT.intervalMs + 20);
    for (let i = 0; i < 3; i++) await send();

    const { log } = await emu.requests();
    expect(log).toHaveLength(statuses.length);
    expect(statuses).toEqual(expectedStatuses(log));
    expect(statuses.slice(-3)).toContain(200);
    const state = await emu.admin<{ orgs: { cja: Record<string, { dateRanges: object }> } }>("GET", "/state");
    const stored = Object.values(state.orgs.cja).reduce((n, slice) => n + Object.keys(slice.dateRanges).length, 0);
    expect(stored).toBe(statuses.filter((s) => s === 200).length);
  });

  it("sends the configured Retry-After instead of the computed one when faults.retryAfterSeconds is set", async () => {
    await emu.setFaults({ retryAfterSeconds: 7 });
    let last;
    for (let i = 0; i < LIMIT.requests + 1; i++) last = await getRange();
    expect(last!.status).toBe(429);
    expect(last!.headers.get("retry-after")).toBe("7");
  });

  it("leaves AEP and IMS requests unlimited", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT.requests * 2; i++) statuses.push((await emu.call("GET", "/data/core/ups/estimate/e", { token })).status);
    for (let i = 0; i < LIMIT.requests * 2; i++) await emu.token();
    expect(statuses.every((s) => s === 200)).toBe(true);
    const { counters } = await emu.requests();
    expect(counters.filter((c) => c.status === 429)).toEqual([]);
  });

  it("can be changed and switched off at run time", async () => {
    await emu.admin("PUT", "/rate-limit", { requests: 2, intervalMs: 60_000 });
    expect((await emu.admin<{ rateLimit: unknown }>("GET", "/rate-limit")).rateLimit).toEqual({ requests: 2, intervalMs: 60_000 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await getRange()).status);
    expect(statuses).toEqual([404, 404, 429]);
    await emu.admin("PUT", "/rate-limit", null);
    for (let i = 0; i < 10; i++) expect((await getRange()).status).toBe(404);
    await emu.reset();
    expect((await emu.admin<{ rateLimit: unknown }>("GET", "/rate-limit")).rateLimit).toEqual(LIMIT);
  });

  it("rejects a malformed rate limit", async () => {
    await expect(emu.admin("PUT", "/rate-limit", { requests: 0, intervalMs: 100 })).rejects.toThrow(/400/);
  });
});
