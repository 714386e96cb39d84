/**
 * `npm run preview-comment -- --stack dev [options] preview.json`: the pull-request comment of one
 * stack's `pulumi preview --json`, in Markdown. The pull-request workflow posts it, and updates it
 * in place on each push: the first line is a hidden marker per stack (`<!-- pulumi-preview:dev -->`).
 *
 * The comment says whether the preview succeeded, the engine's change summary, a table of each
 * resource that changes (operation, type, name, the input keys that differ: the SDK's dynamic
 * provider host reports no diff keys, so they are read from the old and new inputs; a key that a
 * `--refresh` found changed outside Pulumi, or that replaces the resource, says so), and the
 * engine's errors and warnings. A failed preview
 * (non-zero exit) still gives a comment: what was planned before it stopped and why it failed,
 * from the plan's diagnostics or, when the CLI printed no plan, the end of its stderr.
 *
 * Only keys are shown, never values (the plan holds secrets as `[secret]`, but an input may still
 * be sensitive or long).
 *
 *   --stack NAME      the stack (required; names the marker and the heading)
 *   --exit-code N     the exit status of `pulumi preview` (default 0)
 *   --stderr FILE     its stderr, shown when the preview failed without an error diagnostic
 *   --commit SHA      the commit previewed, and --run-url URL the workflow run, for the footer
 *   --out FILE        write the comment there (default: stdout)
 */
import { readFileSync, writeFileSync } from "fs";
import { parseArgs } from "util";
import { parsePreviewJson, planDiagnostics, planSteps, urnParts, type PlanStep, type PreviewJson } from "./events";

export interface PreviewCommentInput {
  /** The stack previewed, as the comment names it (e.g. `dev`). */
  stack: string;
  /** stdout of `pulumi preview --json`. */
  stdout: string;
  /** Exit status of the preview. */
  exitCode: number;
  /** stderr of the preview. */
  stderr?: string;
  commit?: string;
  runUrl?: string;
}

/** Resources listed in the table at most; the rest are counted. */
export const MAX_ROWS = 100;
/** Diagnostics shown at most per severity, and characters of each. */
export const MAX_DIAGNOSTICS = 10;
export const MAX_DIAGNOSTIC_CHARS = 1500;
/** GitHub refuses a comment body over 65,536 characters. */
export const MAX_COMMENT_CHARS = 60000;

/** The hidden first line that finds a stack's comment again. */
export function previewMarker(stack: string): string {
  return `<!-- pulumi-preview:${stack.replace(/[^A-Za-z0-9_./-]/g, "_").replace(/-{2,}/g, "-")} -->`;
}

/** A type token as the comment shows it: a dynamic resource's `pulumi-nodejs:dynamic/cja:DataView` is `cja:DataView`. */
export function shortType(type: string): string {
  return type.replace(/^pulumi-nodejs:dynamic\//, "");
}

const OP_WORDS: Record<string, string> = {
  create: "to create",
  update: "to update",
  replace: "to replace",
  delete: "to delete",
  import: "to import",
  discard: "to discard",
};
const OP_ORDER = ["create", "update", "replace", "delete", "import", "discard"];
/** Ops that change nothing, left out of the table: a lookup's read (Connection, Dimension, Metric) only verifies. */
const UNCHANGED = new Set(["same", "refresh", "read"]);

/** `**1 to update**, 5 read, 10 unchanged`, from the engine's change summary (which leaves reads out) and the plan's reads. */
export function summaryLine(changeSummary: Record<string, number> = {}, reads = 0): string {
  const counts = Object.entries(changeSummary).filter(([, n]) => n > 0);
  const ordered = [...counts.filter(([op]) => op !== "same" && op !== "read")].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
  const changes = ordered.map(([op, n]) => `${n} ${OP_WORDS[op] ?? op}`);
  const read = reads + (changeSummary.read ?? 0);
  const same = changeSummary.same ?? 0;
  return `${changes.length > 0 ? `**${changes.join(", ")}**` : "**No changes**"}${read > 0 ? `, ${read} read` : ""}${same > 0 ? `, ${same} unchanged` : ""}`;
}

function rank(op: string): number {
  const i = OP_ORDER.indexOf(op);
  return i < 0 ? OP_ORDER.length : i;
}

/** A Markdown code span that holds any text (a fence longer than its longest run of backticks), safe in a table cell. */
export function code(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, " ");
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const padded = longest > 0 || flat.startsWith(" ") ? ` ${flat} ` : flat;
  return `${fence}${padded}${fence}`.replace(/\|/g, "\\|");
}

/** A table row; an empty cell stays empty. */
function tableRow(cells: string[]): string {
  return `|${cells.map((c) => (c ? ` ${c} ` : " ")).join("|")}|`;
}

/** A fenced block that holds any text. */
function block(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return `${fence}text\n${text}\n${fence}`;
}

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

/** A diagnostic's message as shown: no colours, no `error: ` prefix, at most {@link MAX_DIAGNOSTIC_CHARS}. */
function cleanMessage(message: string, severity: string): string {
  const text = message.replace(ANSI, "").replace(new RegExp(`^\\s*${severity}:\\s*`), "").trim();
  return text.length > MAX_DIAGNOSTIC_CHARS ? `${text.slice(0, MAX_DIAGNOSTIC_CHARS)}\n… (${text.length - MAX_DIAGNOSTIC_CHARS} more characters in the workflow log)` : text;
}

function changedKeysCell(step: PlanStep): string {
  if (step.op !== "update" && step.op !== "replace") return "";
  const keys = [...new Set([...step.changedInputs, ...step.replaceReasons])].sort();
  const notes = (k: string) => [step.replaceReasons.includes(k) ? "replaces" : "", step.driftedInputs.includes(k) ? "changed outside Pulumi" : ""].filter(Boolean);
  return keys.map((k) => `${code(k)}${notes(k).length > 0 ? ` (${notes(k).join(", ")})` : ""}`).join(", ");
}

function resourceLabel(urn: string | undefined, steps: PlanStep[]): string {
  if (!urn) return "";
  const step = steps.find((s) => s.urn === urn);
  const { type, name } = step ?? urnParts(urn);
  return `${code(shortType(type))} ${code(name)}`;
}

function diagnosticsSection(title: string, entries: Array<{ urn?: string; message: string; severity: string }>, steps: PlanStep[]): string[] {
  if (entries.length === 0) return [];
  const seen = new Set<string>();
  const unique = entries.filter((d) => {
    const key = `${d.urn ?? ""}\n${d.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  const lines = ["", `#### ${title}`];
  for (const d of unique.slice(0, MAX_DIAGNOSTICS)) {
    const label = resourceLabel(d.urn, steps);
    lines.push("");
    if (label) lines.push(label, "");
    lines.push(block(cleanMessage(d.message, d.severity)));
  }
  if (unique.length > MAX_DIAGNOSTICS) lines.push("", `… and ${unique.length - MAX_DIAGNOSTICS} more in the workflow log.`);
  return lines;
}

/** The end of the CLI's stderr: the error it stopped on when it printed no plan. */
function stderrTail(stderr: string): string {
  const lines = stderr.replace(ANSI, "").trimEnd().split("\n");
  const tail = lines.slice(-40).join("\n");
  return tail.length > MAX_DIAGNOSTIC_CHARS ? `…${tail.slice(-MAX_DIAGNOSTIC_CHARS)}` : tail;
}

/** The comment's Markdown. */
export function renderPreviewComment(input: PreviewCommentInput): string {
  const plan: PreviewJson | undefined = parsePreviewJson(input.stdout);
  const failed = input.exitCode !== 0 || !plan;
  const steps = plan ? planSteps(plan) : [];
  const lines = [previewMarker(input.stack), `### Pulumi preview of stack ${code(input.stack)}${failed ? " failed" : ""}`, ""];

  if (!plan) {
    lines.push(`\`pulumi preview\` exited with code ${input.exitCode} before it planned anything.`);
  } else {
    if (failed) lines.push(`\`pulumi preview\` exited with code ${input.exitCode}: the summary and the table hold only what it planned before it stopped.`, "");
    lines.push(summaryLine(plan.changeSummary, steps.filter((s) => s.op === "read").length));
    const changed = steps.filter((s) => !UNCHANGED.has(s.op));
    if (changed.length > 0) {
      lines.push("", "| operation | type | resource | changed inputs |", "| --- | --- | --- | --- |");
      for (const s of changed.slice(0, MAX_ROWS)) lines.push(tableRow([s.op, code(shortType(s.type)), code(s.name), changedKeysCell(s)]));
      if (changed.length > MAX_ROWS) lines.push("", `… and ${changed.length - MAX_ROWS} more resources in the workflow log.`);
    }
  }

  const errors = plan ? planDiagnostics(plan, ["error"]) : [];
  lines.push(...diagnosticsSection("Errors", errors, steps));
  if (failed && errors.length === 0 && input.stderr?.trim()) lines.push("", "#### Errors", "", block(stderrTail(input.stderr)));
  lines.push(...diagnosticsSection("Warnings", plan ? planDiagnostics(plan, ["warning"]) : [], steps));

  const footer = [input.commit ? `Commit ${input.commit}` : "", input.runUrl ? `[workflow run](${input.runUrl})` : ""].filter(Boolean);
  if (footer.length > 0) lines.push("", `<sub>${footer.join(" · ")}</sub>`);
  const text = `${lines.join("\n")}\n`;
  return text.length > MAX_COMMENT_CHARS ? `${text.slice(0, MAX_COMMENT_CHARS)}\n\n… (cut: the whole preview is in the workflow log)\n` : text;
}

const USAGE = "usage: npm run preview-comment -- --stack NAME [--exit-code N] [--stderr FILE] [--commit SHA] [--run-url URL] [--out FILE] PREVIEW.json";

/** The command: returns its exit status (2 for bad arguments). */
export function main(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        stack: { type: "string" },
        "exit-code": { type: "string" },
        stderr: { type: "string" },
        commit: { type: "string" },
        "run-url": { type: "string" },
        out: { type: "string" },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const exitCode = Number(values["exit-code"] ?? "0");
  if (!values.stack || positionals.length !== 1 || !Number.isInteger(exitCode)) {
    console.error(USAGE);
    return 2;
  }
  const read = (file: string) => {
    try {
      return readFileSync(file, "utf8");
    } catch {
      return ""; // no file: the preview printed nothing
    }
  };
  const comment = renderPreviewComment({
    stack: values.stack,
    stdout: read(positionals[0]),
    exitCode,
    ...(values.stderr ? { stderr: read(values.stderr) } : {}),
    ...(values.commit ? { commit: values.commit } : {}),
    ...(values["run-url"] ? { runUrl: values["run-url"] } : {}),
  });
  if (values.out) writeFileSync(values.out, comment);
  else process.stdout.write(comment);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
