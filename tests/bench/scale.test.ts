/** The benchmark's floors: the pacing floor of N requests under Adobe's 12 per 6 s, and the derived minimums. */
import { pacingFloorMs } from "../../bench/scale";
import { minimumAepRequests, minimumRequests } from "../../bench/scenarios";

describe("pacingFloorMs", () => {
  it.each([
    [0, 0],
    [1, 0],
    [12, 0],
    [13, 6000],
    [24, 6000],
    [25, 12_000],
    [121, 60_000],
  ])("%i requests: %i ms", (requests, ms) => {
    expect(pacingFloorMs(requests)).toBe(ms);
  });

  it("follows a scaled limit", () => {
    expect(pacingFloorMs(25, { requests: 12, intervalMs: 120 })).toBe(240);
  });
});

describe("minimumAepRequests", () => {
  it("counts the audiences stack's AEP requests as derived (status reads one per poll interval of the job's run), and none for a CJA-only stack", () => {
    expect(["preview", "up", "noop", "refresh", "recheck"].map((op) => minimumAepRequests("audiences", op as "up"))).toEqual([3, 22, 0, 6, 0]);
    expect(minimumAepRequests("views5", "up")).toBeUndefined();
  });
});

describe("minimumRequests", () => {
  it("grows with the data views as 1 + 6k on the first up and 2k + 2 on a refresh", () => {
    expect([1, 5, 20].map((k) => minimumRequests(`views${k}`, "up"))).toEqual([7, 31, 121]);
    expect([1, 5, 20].map((k) => minimumRequests(`views${k}`, "refresh"))).toEqual([4, 12, 42]);
  });

  it("does not grow with the components of a data view", () => {
    expect(["dv300", "dv1000", "dv3000"].map((id) => minimumRequests(id, "refresh"))).toEqual([3, 3, 3]);
  });

  it("is undefined for a stack it was not derived for", () => {
    expect(minimumRequests("other", "up")).toBeUndefined();
  });
});
