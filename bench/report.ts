/**
 * The benchmark's figures as text: a Markdown table (readable in a terminal, pasted as is into
 * docs/BENCHMARKS.md) and the requests of each operation by endpoint.
 */
import type { BenchReport } from "./run";
import { REPEAT_UNDER_MS } from "./scenarios";

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

/** `a ÷ b` with two decimals, or "–" when there is nothing to divide by. */
export function ratio(a: number, b: number): string {
  return b > 0 ? `${(a / b).toFixed(2)}×` : "–";
}

export function formatReport(report: BenchReport): string {
  const header = [
    "stack",
    "operation",
    "CJA requests",
    "minimum",
    "AEP requests",
    "minimum",
    "429s",
    "time",
    "pacing floor",
    "÷ pacing floor",
    "first→last request",
    "÷ pacing floor",
    "engine floor",
    "÷ engine floor",
    "time beyond Adobe's span",
    "÷ engine floor",
    "1 request/component",
    "its pacing floor",
  ];
  const minimum = (sent: number, least: number | undefined) => (least === undefined ? "–" : least === sent ? String(least) : `${least} (≠)`);
  const rows = report.scenarios.flatMap((s) =>
    s.operations.map((o) => [
      s.id,
      o.label,
      String(o.requests.cja),
      minimum(o.requests.cja, o.minimum),
      String(o.requests.aep),
      minimum(o.requests.aep, o.aepMinimum),
      String(o.requests.throttled),
      seconds(o.ms),
      seconds(o.pacingFloorMs),
      ratio(o.ms, o.pacingFloorMs),
      seconds(o.cjaSpanMs),
      ratio(o.cjaSpanMs, o.pacingFloorMs),
      seconds(o.engineFloorMs),
      ratio(o.ms, o.engineFloorMs),
      seconds(o.ms - o.adobeSpanMs),
      ratio(o.ms - o.adobeSpanMs, o.engineFloorMs),
      String(o.baseline.requests),
      seconds(o.baseline.pacingFloorMs),
    ]),
  );
  const cost = markdownTable(
    ["operation", "time", "requests"],
    report.cliCost.map((c) => [c.label, seconds(c.ms), String(c.requests)]),
    [false, true, true],
  );
  const state = markdownTable(
    ["stack", "resources", "state", "per resource", "engine floor's state", "per resource"],
    report.scenarios.map((s) => [
      s.id,
      String(s.state.resources),
      megabytes(s.state.bytes),
      `${Math.round(s.state.bytes / Math.max(s.state.resources, 1))} B`,
      megabytes(s.state.floorBytes),
      `${Math.round(s.state.floorBytes / Math.max(s.state.resources, 1))} B`,
    ]),
    [false, true, true, true, true, true],
  );
  const lines = [
    `Real CLI: pulumi ${report.cli.pulumi}, programs and providers under Node.js ${report.cli.programNode}; DIY backend, one new stack per sequence`,
    `CJA limit ${report.limit.requests} / ${report.limit.intervalMs} ms on the emulator and on the client${report.scale === 1 ? " (Adobe's own)" : ` (Adobe's ×1/${report.scale})`}`,
    ...(report.skipCheckpoints ? ["Every command with PULUMI_SKIP_CHECKPOINTS=true: the engine writes the state once, at the end of each operation"] : []),
    `Machine: ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGiB} GiB, benchmark and emulator under Node ${report.machine.node}, ${report.machine.platform}, load average at start ${report.machine.loadAverage.join(" ")}`,
    "",
    "The CLI's fixed cost: the same operations of a TypeScript program with no resources:",
    "",
    cost,
    "",
    `A no-op up, refresh or unchanged preview that took under ${REPEAT_UNDER_MS / 1000} s ran three times from the same state (the same requests each time): its figures are the median run's.`,
    "",
    markdownTable(header, rows, [false, false, ...header.slice(2).map(() => true)]),
    "",
    "State after the sequence (`pulumi stack export`'s deployment):",
    "",
    state,
    "",
    "Stacks:",
    ...report.scenarios.map((s) => `  ${s.id}: ${s.title} (engine floor: ${s.shape.managed} managed, ${s.shape.reads} reads)`),
    "",
    "Requests by endpoint (CJA/AEP; IMS token requests, not rate limited, counted apart):",
  ];
  for (const s of report.scenarios) {
    for (const o of s.operations) {
      const steps = Object.entries(o.steps).map(([op, n]) => `${n} ${op}`).join(", ") || "no resources";
      lines.push(`  ${s.id} ${o.label}: ${steps}; ${o.requests.ims} IMS token request(s)`);
      for (const [route, n] of Object.entries(o.requests.byRoute)) lines.push(`    ${String(n).padStart(4)}  ${route}`);
    }
  }
  lines.push("", `Whole benchmark: ${seconds(report.totalMs)}; load average at the end ${report.loadAverageEnd.join(" ")}`);
  return lines.join("\n");
}

/** Bytes as MB with one decimal (kB under 100 kB). */
export function megabytes(bytes: number): string {
  return bytes < 100_000 ? `${Math.round(bytes / 1000)} kB` : `${(bytes / 1e6).toFixed(1)} MB`;
}
