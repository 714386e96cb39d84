/**
 * The short kill soak CI runs (the full one is `npm run soak -- --kill`, docs/RELIABILITY.md): both
 * example stacks through the real CLI, each `up` killed at a random moment or right after Adobe
 * carried out a write, then run again: no duplicate, no orphan, nothing lost, every repair run
 * converged, and the lock a SIGKILL leaves removed with the CLI's `pulumi cancel`.
 */
import { runSoak } from "../bench/soak/runner";

it("3 runs of both stacks, each up killed and run again: no violation", async () => {
  const report = await runSoak({ runs: 3, seed: 11, kill: true });

  expect(report.violations).toEqual([]);
  expect(report.counts.killed).toBeGreaterThan(0);
  expect(report.counts.killed + report.counts.converged).toBe(report.counts.stackRuns);
  for (const record of report.records.flatMap((r) => r.stacks)) {
    if (record.killed) expect(record.outcome).toBe("repaired");
    else expect(record.outcome).toBe("converged");
  }
}, 600_000);
