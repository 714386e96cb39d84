import { RateLimiter, createLimiter, unlimited, type Release } from "../../provider/adobe/rate-limiter";
import { FakeClock, flush } from "./fake-clock";

describe("RateLimiter", () => {
  it("lets `requests` through at once, then one per token coming back intervalMs after its release", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ requests: 3, intervalMs: 1000 }, clock);
    const granted: Array<{ i: number; at: number; release: Release }> = [];
    for (let i = 0; i < 7; i++) void limiter.acquire().then((release) => granted.push({ i, at: clock.now(), release }));
    await flush();
    expect(granted.map((g) => g.i)).toEqual([0, 1, 2]);

    await clock.advance(100);
    granted.forEach((g) => g.release()); // the three requests finish at t=100
    await clock.advance(999);
    expect(granted).toHaveLength(3);
    await clock.advance(1);
    expect(granted.map((g) => [g.i, g.at])).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
      [3, 1100],
      [4, 1100],
      [5, 1100],
    ]);
    expect(limiter.waiting).toBe(1);
  });

  it("serves waiters first come, first served", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ requests: 1, intervalMs: 10 }, clock);
    const order: number[] = [];
    const all = Array.from({ length: 5 }, (_, i) =>
      limiter.acquire().then((release) => {
        order.push(i);
        release();
      }),
    );
    await clock.advance(100);
    await Promise.all(all);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it("never holds a token back while it is in flight, and counts the interval from release", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ requests: 1, intervalMs: 50 }, clock);
    const first = await limiter.acquire();
    let second = false;
    void limiter.acquire().then(() => (second = true));
    await clock.advance(500); // first request still running: no token has come back
    expect(second).toBe(false);
    first();
    first(); // releasing twice returns one token
    await clock.advance(49);
    expect(second).toBe(false);
    await clock.advance(1);
    expect(second).toBe(true);
  });

  it("in any window of intervalMs starts at most `requests` calls, however long they take", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ requests: 4, intervalMs: 100 }, clock);
    const starts: number[] = [];
    let done = 0;
    const durations = [5, 30, 0, 70, 10, 15, 1, 90, 40, 3, 3, 3, 60, 20, 7, 0, 12, 50, 2, 9];
    durations.forEach((d) =>
      limiter.acquire().then(async (release) => {
        starts.push(clock.now());
        await clock.sleep(d);
        release();
        done++;
      }),
    );
    for (let i = 0; i < 1000 && done < durations.length; i++) await clock.advance(10);
    expect(done).toBe(durations.length);
    for (const t of starts) expect(starts.filter((s) => s >= t && s < t + 100).length).toBeLessThanOrEqual(4);
  });

  it("createLimiter gives a pass-through limiter when the limit is off", async () => {
    expect(createLimiter(null)).toBe(unlimited);
    const release = await unlimited.acquire();
    expect(release()).toBeUndefined();
  });
});
