/**
 * `npm run soak`: the fault soak (see bench/soak/runner.ts). Both example stacks run `pulumi up
 * --refresh` through the real Pulumi CLI again and again against the emulator under seeded fault
 * mixes; the process exits non-zero when any run ends in a violation (a duplicate or lost object,
 * a state no clean run repairs).
 *
 * Options: `--runs <n>` (default 60), `--seed <n>` (default 1), `--scale <n>` (default 50:
 * Adobe's rate limit, retry waits and timeouts divided by it), `--stacks ajo-cja,audiences-cja`,
 * `--engine cli|in-process` (default cli: the real CLI, built by `npm run setup:pulumi`;
 * in-process: the unit suite's engine, bench/in-process-engine.ts), `--json <file>` (writes the
 * counts and every run's record), `--kill` (the kill soak: no faults, every stack's `up` killed
 * at a random moment or right after Adobe carried out a write, then run again; default 60 runs: 120 stack runs).
 */
import { writeFileSync } from "fs";
import * as os from "os";
import { parseArgs } from "util";
import { seconds } from "./report";
import { SOAK_ENGINES, type SoakEngineName } from "./soak/engines";
import { runSoak, SOAK_STACKS, type SoakReport, type SoakStackName } from "./soak/runner";

/** About 15 minutes of the real CLI on 2 cores (docs/RELIABILITY.md). */
const DEFAULT_RUNS = 60;
/** The kill soak's: 60 runs of both stacks, 120 stack runs, each killed (unless it ends first) and run again. */
const DEFAULT_KILL_RUNS = 60;

function engineLine(e: SoakReport["engine"]): string {
  return e.name === "cli"
    ? `Engine: the real ${e.engine}; programs and providers under Node ${e.programNode}, the soak runner and the emulator under Node ${e.runnerNode}`
    : `Engine: ${e.engine}, NOT the Pulumi engine; Node ${e.programNode}`;
}

const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

function faultMixLines(report: SoakReport): string[] {
  const m = report.faultMix;
  const r = m.rates;
  const episodes = Object.entries(m.episodes).map(([kind, e]) => {
    const targets = Object.entries(e.byTarget).map(([t, n]) => `${n} on ${t}`).join(", ");
    const past = kind === "429 burst" ? `, ${m.burstsPastRetries} of them longer than the client's retries` : "";
    return `${kind} in ${e.runs} runs (${targets}${past})`;
  });
  return [
    `Fault mix: ${m.calmRuns} of ${report.runs} runs calm; the others 429 ${percent(r.rate429.mean)} on average (at most ${percent(r.rate429.max)}), 5xx ${percent(r.rate5xx.mean)} (${percent(r.rate5xx.max)}), dropped ${percent(r.dropRate.mean)} (${percent(r.dropRate.max)}), latency ${Math.round(r.latencyMs.mean)} ms (${r.latencyMs.max} ms)`,
    `  scripted: ${episodes.join("; ")}; token expiry in ${m.tokenExpiryRuns} runs; Adobe fails the next export job in ${m.exportJobFailRuns} runs`,
    `Variants: ${Object.entries(report.variantChanges).map(([stack, changes]) => `${stack}: ${Object.entries(changes).map(([c, n]) => `${c} ${n}×`).join(", ") || "no change"}`).join("; ")}`,
  ];
}

function formatSoak(report: SoakReport): string {
  const c = report.counts;
  const lines = [
    `Soak: ${report.runs} runs of ${Object.keys(report.perStack).join(" and ")} (${c.stackRuns} stack runs), seed ${report.seed}, ×1/${report.scale} time (${seconds(report.durationMs)}, ${seconds(report.durationMs / report.runs)} per run)`,
    engineLine(report.engine),
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? "unknown"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    `Client settings: ${Object.entries(report.clientSettings).map(([k, v]) => `${k}=${v}`).join(", ")}`,
    ...faultMixLines(report),
    "",
    "| stack | converged | of which through faults | failed, repaired by the next run | violations |",
    "|---|--:|--:|--:|--:|",
    ...Object.entries(report.perStack).map(([name, s]) => `| ${name} | ${s.converged} | ${s.convergedThroughFaults} | ${s.repaired} | ${s.violations} |`),
    `| all | ${c.converged} | ${c.convergedThroughFaults} | ${c.repaired} | ${c.violations} |`,
    "",
    ...(report.counts.killed > 0
      ? [
          `Killed: ${report.counts.killed} stack runs stopped before they ended; ${report.counts.cancelled} left the stack locked (\`pulumi cancel\` before the next run); ${report.counts.pendingCreatesCleared} pending creates left in the checkpoint after the repair adopted their objects (\`pulumi refresh --clear-pending-creates\`); objects no key could claim: ${report.counts.unclaimed}`,
          "",
        ]
      : []),
    `Time of one stack run's \`pulumi up --refresh\` (repair runs not included): ${Object.entries(report.perStack).map(([name, s]) => `${name} ${seconds(s.meanUpMs)} on average, ${seconds(s.maxUpMs)} at most`).join("; ")}`,
    "",
    `Requests that met a fault: ${report.faultsHit.throttled} answered 429, ${report.faultsHit.serverErrors} answered 5xx, ${report.faultsHit.dropped} dropped, ${report.faultsHit.unauthorized} refused for an expired token (tokens expired in ${report.faultsHit.tokenExpiries} runs)`,
    "",
    "Errors of the failed runs, by kind:",
  ];
  for (const [id, kind] of Object.entries(report.errorKinds).sort((a, b) => b[1].count - a[1].count)) {
    lines.push(`  ${kind.count} × ${kind.title} (${id})`);
    for (const [shape, n] of Object.entries(kind.shapes).sort((a, b) => b[1] - a[1]).slice(0, 4)) lines.push(`      ${n} × ${shape.length > 300 ? `${shape.slice(0, 300)}…` : shape}`);
  }
  lines.push("", "The same errors by the request that gave up:");
  for (const [request, n] of Object.entries(report.failedRequests).sort((a, b) => b[1].errors - a[1].errors)) {
    lines.push(`  ${request === "none" ? "no request (Adobe failed the job)" : request}: ${n.errors} errors in ${n.stackRuns} stack runs`);
  }
  if (report.violations.length > 0) {
    lines.push("", "VIOLATIONS:");
    for (const v of report.violations) lines.push(`  run ${v.run} ${v.stack}: ${v.detail}`);
  } else {
    lines.push("", "No violation: every run converged, or failed with an error and was repaired by the next run.");
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: "string" },
      seed: { type: "string", default: "1" },
      scale: { type: "string", default: "50" },
      stacks: { type: "string" },
      engine: { type: "string", default: "cli" },
      json: { type: "string" },
      kill: { type: "boolean", default: false },
    },
    strict: true,
  });
  const runs = Number(values.runs ?? (values.kill ? DEFAULT_KILL_RUNS : DEFAULT_RUNS));
  const seed = Number(values.seed);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number >= 1, got ${values.runs}`);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be a whole number, got ${values.seed}`);
  const stacks = values.stacks?.split(",").map((s) => s.trim()) as SoakStackName[] | undefined;
  for (const s of stacks ?? []) if (!SOAK_STACKS.includes(s)) throw new Error(`unknown stack "${s}": choose from ${SOAK_STACKS.join(", ")}`);

  const engine = values.engine as SoakEngineName;
  if (!SOAK_ENGINES.includes(engine)) throw new Error(`unknown engine "${values.engine}": choose from ${SOAK_ENGINES.join(", ")}`);

  const report = await runSoak({ runs, seed, scale: Number(values.scale), stacks, engine, kill: values.kill, log: (line) => console.log(line) });
  console.log(`\n${formatSoak(report)}`);
  if (values.json) {
    writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nCounts and run records written to ${values.json}`);
  }
  if (report.counts.violations > 0) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(err.stack ?? err.message);
    process.exitCode = 2;
  });
}
