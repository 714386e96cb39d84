/**
 * A small fault soak through the IN-PROCESS engine (bench/in-process-engine.ts, not the Pulumi
 * engine; `npm run soak` runs the same soak through the real Pulumi CLI): both example stacks,
 * `pulumi up --refresh` after `pulumi up --refresh` under seeded fault mixes, each checked
 * against what the emulator then holds. No run may leave a duplicate, a lost object, or a state
 * that a clean run does not repair.
 */
import { runSoak, type SoakReport } from "../../bench/soak/runner";
import { testSpecDir } from "../helpers/emulator";

const RUNS = 8;
let report: SoakReport;

beforeAll(async () => {
  report = await runSoak({ runs: RUNS, seed: 3, engine: "in-process", specDir: testSpecDir() });
}, 120_000);

it("runs through the in-process engine, not the Pulumi CLI", () => {
  expect(report.engine.name).toBe("in-process");
  expect(report.engine.pulumiVersion).toBeUndefined();
});

it("ends every run converged, or failed with an error and repaired by the next run", () => {
  expect(report.violations).toEqual([]);
  expect(report.counts.stackRuns).toBe(2 * RUNS);
  expect(report.counts.converged + report.counts.repaired).toBe(2 * RUNS);
});

it("really meets faults: some runs converge although their requests met 429s, 5xx, dropped connections or an expired token", () => {
  const met = report.faultsHit.throttled + report.faultsHit.serverErrors + report.faultsHit.dropped + report.faultsHit.unauthorized;
  expect(met).toBeGreaterThan(0);
  expect(report.counts.convergedThroughFaults).toBeGreaterThan(0);
});

it("gives every failed run an error that names the resource and what went wrong", () => {
  // With this seed, Adobe fails an export job in the first run (and a burst of 429s outlasts the retries later).
  const failed = report.records.flatMap((r) => r.stacks).filter((s) => s.outcome === "repaired");
  expect(failed.length).toBeGreaterThan(0);
  for (const s of failed) {
    expect(s.errors.length).toBeGreaterThan(0);
    for (const e of s.errors) expect(e).toMatch(/^urn:pulumi:soak::[\w-]+::pulumi-nodejs:dynamic\/\w+:\w+::[\w-]+: \S/);
  }
});
