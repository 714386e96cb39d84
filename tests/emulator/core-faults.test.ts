/**
 * Fault injection over real HTTP: scripted steps (429, 5xx, dropped connection, delay) consumed in
 * order by matching requests, seeded random draws that repeat, latency, admin routes untouched.
 */
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { dateRangeRoutes } from "./core-test-routes";

let emu: TestEmulator;
let token: string;

beforeAll(async () => {
  emu = await startTestEmulator({ extraRoutes: dateRangeRoutes });
});
afterAll(() => emu.close());
beforeEach(async () => {
  await emu.reset();
  token = await emu.token();
  await emu.clearRequests();
});

const getRange = () => emu.call("GET", "/projects/none", { token });
const postRange = () => emu.call("POST", "/projects", { token, body: { name: "x" } });

/** The status of a request, 0 when the connection was dropped. */
const statusOf = (call: Promise<{ status: number }>) => call.then((r) => r.status, () => 0);

describe("scripted faults", () => {
  it("are consumed in order by the requests they match", async () => {
    await emu.setFaults({
      script: [
        { match: { method: "GET", route: "/projects/:id" }, times: 2, action: { status: 429, retryAfterSeconds: 3 } },
        { match: { method: "POST" }, times: 1, action: { status: 503 } },
        { times: 1, action: { drop: true } },
      ],
    });
    const post = await postRange();
    expect(post.status).toBe(503);
    expect(post.body).toEqual({ error_code: "503000", message: "Service Unavailable" });

    const first429 = await getRange();
    expect(first429.status).toBe(429);
    expect(first429.body).toEqual({ error_code: "429050", message: "Too many requests" });
    expect(first429.headers.get("retry-after")).toBe("3");
    expect((await getRange()).status).toBe(429);

    await expect(getRange()).rejects.toThrow();
    expect((await getRange()).status).toBe(404);

    const { log } = await emu.requests();
    expect(log.map((e) => [e.method, e.route, e.status])).toEqual([
      ["POST", "/projects", 503],
      ["GET", "/projects/:id", 429],
      ["GET", "/projects/:id", 429],
      ["GET", "/projects/:id", 0],
      ["GET", "/projects/:id", 404],
    ]);
  });

  it("dropAfter carries the request out, then drops the connection: the object exists, the client got no answer", async () => {
    await emu.setFaults({ script: [{ match: { method: "POST", route: "/projects" }, times: 1, action: { dropAfter: true } }] });
    await expect(postRange()).rejects.toThrow();
    const created = await postRange();
    expect(created.status).toBe(200);
    // Both POSTs made a project: the emulator's state (what Adobe would hold) has two.
    const state = JSON.stringify(await emu.admin("GET", "/state"));
    expect(state.match(/"name":"x"/g)).toHaveLength(2);
    const { log } = await emu.requests();
    expect(log.filter((e) => e.method === "POST").map((e) => e.status)).toEqual([0, 200]);
  });

  it("answerAfterMs carries the request out at once and holds the answer", async () => {
    await emu.setFaults({ script: [{ match: { method: "POST", route: "/projects" }, times: 1, action: { answerAfterMs: 800 } }] });
    const started = Date.now();
    const answer = postRange();
    let made = false;
    while (!made && Date.now() - started < 700) {
      made = (JSON.stringify(await emu.admin("GET", "/state")).match(/"name":"x"/g) ?? []).length === 1;
      if (!made) await new Promise((r) => setTimeout(r, 20));
    }
    expect(made).toBe(true);
    // While the answer is held, the request log lists it as held: a test can stop the client now.
    const { held, log } = await emu.requests();
    expect(held).toEqual([{ method: "POST", route: "/projects", at: expect.any(Number) }]);
    expect(log.filter((e) => e.method === "POST")).toEqual([]);
    expect((await answer).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(800);
  });

  it("a step matching writes applies to requests that may change state only, not to reads", async () => {
    await emu.setFaults({ script: [{ match: { writes: true }, times: 1, action: { status: 503 } }] });
    expect((await getRange()).status).toBe(404);
    expect((await postRange()).status).toBe(503);
    expect((await postRange()).status).toBe(200);
  });

  it("answers a scripted status with a given body", async () => {
    await emu.setFaults({ script: [{ times: 1, action: { status: 500, body: { errorCode: "unexpected_error", errorDescription: "scripted" } } }] });
    const res = await getRange();
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ errorCode: "unexpected_error", errorDescription: "scripted" });
  });

  it("delays a request, which then runs normally", async () => {
    await emu.setFaults({ script: [{ times: 1, action: { delayMs: 200 } }] });
    const started = Date.now();
    const res = await postRange();
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect((await emu.requests()).log.map((e) => e.status)).toEqual([200]);
  });

  it("applies to the IMS token endpoint too", async () => {
    await emu.setFaults({ script: [{ match: { route: "/ims/token/v3" }, times: 1, action: { status: 502 } }] });
    await expect(emu.token()).rejects.toThrow(/502/);
    await expect(emu.token()).resolves.toEqual(expect.any(String));
  });

  it("never apply to admin routes, and reset clears them", async () => {
    await emu.setFaults({ rate429: 1, script: [{ times: 5, action: { drop: true } }] });
    await expect(emu.admin("GET", "/state")).resolves.toBeDefined();
    await expect(emu.admin("GET", "/requests")).resolves.toBeDefined();
    await emu.reset();
    expect((await getRange()).status).toBe(404);
    expect(await emu.admin("GET", "/faults")).toMatchObject({ script: [] });
  });

  it("rejects a malformed fault setting", async () => {
    await expect(emu.setFaults({ rate429: 0.8, rate5xx: 0.5 })).rejects.toThrow(/400/);
    await expect(emu.setFaults({ script: [{ times: 0, action: { drop: true } }] })).rejects.toThrow(/400/);
  });
});

describe("random faults", () => {
  async function run(n: number): Promise<number[]> {
    const statuses: number[] = [];
    for (let i = 0; i < n; i++) statuses.push(await statusOf(getRange()));
    return statuses;
  }

  it("draw 429s, 5xx and drops from a seeded PRNG, so a run repeats", async () => {
    const faults = { rate429: 0.2, rate5xx: 0.3, dropRate: 0.1, seed: 42 };
    await emu.setFaults(faults);
    const first = await run(40);
    await emu.setFaults(faults);
    const second = await run(40);
    expect(second).toEqual(first);
    expect(first).toContain(429);
    expect(first).toContain(0);
    expect(first).toContain(404);
    expect(first.some((s) => [500, 502, 503].includes(s))).toBe(true);
    expect(first.every((s) => [0, 404, 429, 500, 502, 503].includes(s))).toBe(true);
    await emu.setFaults({ ...faults, seed: 43 });
    expect(await run(40)).not.toEqual(first);
  });

  it("add latency to every request", async () => {
    await emu.setFaults({ latencyMs: 120 });
    const started = Date.now();
    await getRange();
    await getRange();
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * 115);
  });
});
