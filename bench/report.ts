/**
 * The benchmark's figures as text: a Markdown table (readable in a terminal, pasted as is into
 * docs/BENCHMARKS.md) and the requests of each operation by endpoint.
 */
import type { BenchReport } from "./run";

/** `1234.5` ms → `"1.2 s"`; under a second in ms. */
export function seconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 100_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 1000)} s`;
}

/** A Markdown table with right-aligned number columns. */
export function markdownTable(header: string[], rows: string[][], numeric: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const cell = (text: string, i: number) => (numeric[i] ? text.padStart(widths[i]) : text.padEnd(widths[i]));
  const line = (cells: string[]) => `| ${cells.map(cell).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (numeric[i] ? `${"-".repeat(w + 1)}:` : `${"-".repeat(w + 2)}`)).join("|")}|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

export function formatReport(report: BenchReport): string {
  const scaleLabel = `wall at ×1/${report.scale}`;
  const header = ["stack", "operation", "CJA requests", "429s", scaleLabel, "no limit", "less CLI cost", "at Adobe's rate", "rate-limit floor", "1 request/component", "its floor"];
  const rows = report.scenarios.flatMap((s) =>
    s.operations.map((o) => [
      s.id,
      o.label,
      String(o.requests.cja),
      String(o.requests.throttled),
      seconds(o.pacedMs),
      seconds(o.unpacedMs),
      signedSeconds(o.beyondCliMs),
      seconds(o.adobeMs),
      seconds(o.floorMs),
      String(o.baseline.requests),
      seconds(o.baseline.floorMs),
    ]),
  );
  const cost = markdownTable(
    ["operation", "median", "runs", "requests"],
    report.cliCost.map((c) => [c.label, seconds(c.medianMs), c.runsMs.map(seconds).join(", "), String(c.requests)]),
    [false, true, false, true],
  );
  const lines = [
    `Real CLI: pulumi ${report.cli.pulumi}, programs and providers under Node.js ${report.cli.programNode}; DIY backend, one new stack per sequence of four operations`,
    `Adobe's limit ${report.adobeLimit.requests} / ${report.adobeLimit.intervalMs} ms; measured at ×1/${report.scale} (${report.scaledLimit.requests} / ${report.scaledLimit.intervalMs} ms on emulator and client), ${report.repeat === 1 ? "one run" : `median of ${report.repeat} runs`} each`,
    `Machine: ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGiB} GiB, benchmark and emulator under Node ${report.machine.node}, ${report.machine.platform}, load average at start ${report.machine.loadAverage.join(" ")}`,
    "",
    "The CLI's fixed cost: the same operations of a TypeScript program with no resources (no limit):",
    "",
    cost,
    "",
    markdownTable(header, rows, [false, false, true, true, true, true, true, true, true, true, true]),
    "",
    "Stacks:",
    ...report.scenarios.map((s) => `  ${s.id}: ${s.title}`),
    "",
    "Requests by endpoint (CJA/AEP; IMS token requests, not rate limited, counted apart), and each run's wall time (no limit | at the scaled limit):",
  ];
  for (const s of report.scenarios) {
    for (const o of s.operations) {
      const steps = Object.entries(o.steps).map(([op, n]) => `${n} ${op}`).join(", ") || "no resources";
      lines.push(`  ${s.id} ${o.label}: ${steps}; ${o.requests.ims} IMS token request(s); runs ${o.unpacedRunsMs.map(seconds).join(", ")} | ${o.pacedRunsMs.map(seconds).join(", ")}`);
      for (const [route, n] of Object.entries(o.requests.byRoute)) lines.push(`    ${String(n).padStart(4)}  ${route}`);
    }
  }
  const reads = report.scenarios.filter((s) => s.perComponentReads);
  if (reads.length > 0) {
    lines.push("", `The baseline's component reads sent for real (one GET per component, all queued at once, at ×1/${report.scale}):`);
    for (const s of reads) {
      const r = s.perComponentReads!;
      lines.push(`  ${s.id}: ${r.requests} requests, ${r.throttled} answered 429, ${seconds(r.pacedMs)} wall → ${seconds(r.adobeMs)} at Adobe's rate (floor ${seconds(r.floorMs)})`);
    }
  }
  const checkpoints = report.scenarios.filter((s) => s.checkpoints);
  if (checkpoints.length > 0) {
    lines.push(
      "",
      "State checkpoints (the engine writes the whole state to the backend after each step): the first up without limit, and once with PULUMI_SKIP_CHECKPOINTS=true:",
      "",
      markdownTable(
        ["stack", "resources", "state after up", "first up", "without intermediate checkpoints"],
        checkpoints.map((s) => {
          const c = s.checkpoints!;
          return [s.id, String(c.resources), megabytes(c.stateBytes), seconds(c.firstUpWithMs), seconds(c.firstUpWithoutMs)];
        }),
        [false, true, true, true, true],
      ),
    );
  }
  lines.push("", `Whole benchmark: ${seconds(report.totalMs)}; load average at the end ${report.loadAverageEnd.join(" ")}`);
  return lines.join("\n");
}

/** Bytes as MB with one decimal (kB under 100 kB). */
export function megabytes(bytes: number): string {
  return bytes < 100_000 ? `${Math.round(bytes / 1000)} kB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

/** {@link seconds} with a sign when negative (a difference of two medians). */
function signedSeconds(ms: number): string {
  return ms < 0 ? `−${seconds(-ms)}` : seconds(ms);
}
