/** The benchmark's figure for a repeated operation: its median run, and only of runs that did the same. */
import { medianRun, type MeasuredRun } from "../../bench/measure";

const run = (wallMs: number, cja = 4, read = 22): MeasuredRun =>
  ({ requests: { cja, aep: 0, ims: 1, byRoute: {} }, wallMs, cjaSpanMs: 0, adobeSpanMs: 0, steps: { read }, result: {} }) as unknown as MeasuredRun;

describe("medianRun", () => {
  it("is the run of median time, whatever order they ran in; one run is its own median", () => {
    const [slow, fast, middle] = [run(1300), run(840), run(900)];
    expect(medianRun("views1", "refresh", [slow, fast, middle])).toBe(middle);
    expect(medianRun("views1", "refresh", [fast])).toBe(fast);
  });

  it("refuses runs that sent other requests or took other steps, naming the stack and the operation", () => {
    expect(() => medianRun("views1", "refresh", [run(900), run(800, 5)])).toThrow(/^views1 refresh: its repeated runs differ/);
    expect(() => medianRun("ajo", "noop", [run(900), run(800, 4, 21)])).toThrow(/^ajo noop: its repeated runs differ/);
  });
});
