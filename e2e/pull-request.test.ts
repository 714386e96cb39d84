/**
 * The pull-request workflow (.github/workflows/pull-request.yml): actionlint finds nothing in it;
 * its stack-file check stops on the committed placeholders and passes a stack file the CLI wrote;
 * and the comment it posts, rendered by `npm run preview-comment` (cli/preview-comment.ts) from
 * the real `pulumi preview --refresh --json` against the emulator, for a new stack, a program
 * edit with a change made by hand in Adobe, and a preview that fails on a wrong client secret.
 * Then the renderer alone, on plans the emulator does not give.
 */
import { spawnSync } from "child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { parse } from "yaml";
import { prepareStack } from "../cli/example-stacks";
import { MAX_ROWS, previewMarker, renderPreviewComment } from "../cli/preview-comment";
import { REPO_ROOT } from "../cli/toolchain";
import type { PreviewJson, PulumiWorkspace } from "../cli/workspace";
import { adobeWrites, editProgram, emulatorWorkspace, startTestEmulator, TEST_CLIENT_SECRET, TEST_ORG, type TestEmulator } from "./support";

const WORKFLOWS = path.join(REPO_ROOT, ".github", "workflows");
const WORKFLOW = path.join(WORKFLOWS, "pull-request.yml");
const ACTIONLINT = path.join(REPO_ROOT, ".tools", "bin", "actionlint");
/** The flags the workflow runs `pulumi preview` with. */
const PREVIEW_FLAGS = ["--refresh", "--json", "--non-interactive"];
const WRONG_SECRET = "not-the-client-secret";

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), "pull-request-"));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const run = (command: string, args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) => {
  const result = spawnSync(command, args, { cwd: opts.cwd ?? REPO_ROOT, encoding: "utf8", env: { ...process.env, ...opts.env } });
  return { code: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
};

const actionlint = (files: string[], cwd = REPO_ROOT) => {
  if (spawnSync(ACTIONLINT, ["-version"]).status !== 0) throw new Error("No .tools/bin/actionlint: run `npm run setup:pulumi` (builds it from tools/actionlint).");
  return run(ACTIONLINT, files, { cwd });
};

describe("actionlint on the workflows", () => {
  it("is the pinned v1.7.12", () => {
    expect(run(ACTIONLINT, ["-version"]).stdout.split("\n")[0]).toBe("v1.7.12");
  });

  it("finds nothing in .github/workflows/*.yml", () => {
    const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(".github", "workflows", f));
    expect(files).toContain(path.join(".github", "workflows", "pull-request.yml"));
    expect(actionlint(files)).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("fails on a copy with a broken expression and an unknown job key, naming both", () => {
    const dir = mkdtempSync(path.join(scratch, "lint-"));
    const text = readFileSync(WORKFLOW, "utf8");
    const broken = text
      .replace("environment: ${{ matrix.stack }}", "environment: ${{ matrix.stak }}")
      .replace("  comment:\n    name: preview comments\n", "  comment:\n    name: preview comments\n    timeout: 5\n");
    expect(broken).not.toBe(text);
    writeFileSync(path.join(dir, "pull-request.yml"), broken);
    const result = actionlint(["pull-request.yml"], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^pull-request\.yml:\d+:\d+: .*"stak" is not defined/m);
    expect(result.stdout).toMatch(/^pull-request\.yml:\d+:\d+: unexpected key "timeout" for "job" section/m);
  });
});

describe("the workflow's guards and pins", () => {
  const workflow = readFileSync(WORKFLOW, "utf8");
  const doc = parse(workflow) as { on: Record<string, unknown>; permissions: unknown; jobs: Record<string, { if?: string; permissions?: Record<string, string>; steps: Array<{ name?: string; uses?: string; run?: string; with?: Record<string, unknown> }> }> };

  it("runs on pull_request only, with no permission by default and the least per job", () => {
    expect(Object.keys(doc.on)).toEqual(["pull_request"]);
    expect(doc.permissions).toEqual({});
    expect(Object.fromEntries(Object.entries(doc.jobs).map(([name, job]) => [name, job.permissions]))).toEqual({
      test: { contents: "read" },
      preview: { contents: "read" },
      comment: { "pull-requests": "write" },
    });
    expect(doc.jobs.preview.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
  });

  it("passes no Adobe credential: they are stack secrets", () => {
    expect(workflow).not.toMatch(/ADOBE_CLIENT|secrets\.ADOBE/);
    expect(workflow.match(/secrets\.[A-Z_]+/g)).toEqual(["secrets.PULUMI_ACCESS_TOKEN"]);
  });

  it("pins every action by a full commit, its tag beside it, and installs the Pulumi CLI 3.274.1", () => {
    const uses = Object.values(doc.jobs).flatMap((job) => job.steps.flatMap((s) => (s.uses ? [s.uses] : [])));
    expect(uses.length).toBeGreaterThan(0);
    for (const ref of uses) expect(ref).toMatch(/^[a-z-]+\/[a-z-]+@[0-9a-f]{40}$/);
    for (const line of workflow.split("\n").filter((l) => /uses: /.test(l))) expect(line).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    const install = doc.jobs.preview.steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(install?.with).toEqual({ "pulumi-version": "3.274.1" });
  });

  it("runs pulumi preview with the flags this test renders comments from", () => {
    const step = doc.jobs.preview.steps.find((s) => s.name === "pulumi preview");
    expect(step?.run).toContain(`pulumi preview --stack "\${PULUMI_ORG:+$PULUMI_ORG/adobe-cja/}\${STACK}" ${PREVIEW_FLAGS.join(" ")}`);
  });
});

/** Runs the workflow's stack-file check in `dir` for `stack`. */
function stackFileCheck(dir: string, stack: string) {
  const doc = parse(readFileSync(WORKFLOW, "utf8")) as { jobs: { preview: { steps: Array<{ name?: string; run?: string }> } } };
  const script = doc.jobs.preview.steps.find((s) => s.name === "The stack file holds the stack's own credentials")?.run;
  if (!script) throw new Error("the workflow has no stack-file check");
  // As GitHub runs a `run:` step with no `shell:` on Linux: bash -e.
  return run("bash", ["-e", "-c", script], { cwd: dir, env: { STACK: stack } });
}

describe("the workflow's stack-file check", () => {
  it.each(["dev", "stage", "prod"])("stops on the placeholders of the committed Pulumi.%s.yaml, naming the file and lines", (stack) => {
    const dir = mkdtempSync(path.join(scratch, "check-"));
    const file = `Pulumi.${stack}.yaml`;
    copyFileSync(path.join(REPO_ROOT, file), path.join(dir, file));
    const lines = readFileSync(path.join(dir, file), "utf8").split("\n");
    const lineOf = (pattern: RegExp) => lines.findIndex((l) => pattern.test(l)) + 1;
    const result = stackFileCheck(dir, stack);
    expect(result.code).toBe(1);
    expect(result.stdout.trim().split("\n")).toEqual([
      `::error file=${file},line=${lineOf(/PLACEHOLDER-not-a-real-ciphertext/)}::${file} still holds the placeholder adobe:clientSecret, which cannot be decrypted. Set the stack's own with pulumi config set --secret adobe:clientSecret <client secret> --stack ${stack} and commit ${file}.`,
      `::error file=${file},line=${lineOf(/adobe:clientId: replace-with-/)}::${file} still holds the placeholder adobe:clientId. Set the stack's own with pulumi config set adobe:clientId <client id> --stack ${stack} and commit ${file}.`,
    ]);
  });

  it("stops when the stack file is missing", () => {
    const result = stackFileCheck(mkdtempSync(path.join(scratch, "check-")), "dev");
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^::error file=Pulumi\.dev\.yaml::Pulumi\.dev\.yaml is missing/);
  });
});

describe("the preview comment, from the real CLI against the emulator", () => {
  let emu: TestEmulator;
  let ws: PulumiWorkspace;

  beforeAll(async () => {
    emu = await startTestEmulator({ rateLimit: null, exportJobTimings: { newMs: 200, processingMs: 400 }, queryDurationMs: 300 });
    const prepared = await prepareStack("audiences-cja", emu.url, TEST_ORG);
    ws = await emulatorWorkspace(emu, prepared.program, { ...prepared.config, "audiences-cja:pollIntervalSeconds": "1", "audiences-cja:timeoutSeconds": "120" }, { stack: "dev" });
  });

  afterAll(async () => {
    ws?.dispose();
    await emu?.close();
  });

  /** `pulumi preview` as the workflow runs it, then `npm run preview-comment` as the workflow runs it. */
  async function previewComment(): Promise<{ code: number; lines: string[]; text: string }> {
    const preview = await ws.cli(["preview", ...PREVIEW_FLAGS], { allowFailure: true });
    const dir = mkdtempSync(path.join(scratch, "comment-"));
    writeFileSync(path.join(dir, "preview.json"), preview.stdout);
    writeFileSync(path.join(dir, "preview.stderr"), preview.stderr);
    const args = ["--stack", "dev", "--exit-code", String(preview.code), "--stderr", path.join(dir, "preview.stderr"), "--out", path.join(dir, "dev.md"), path.join(dir, "preview.json")];
    const rendered = run("npm", ["run", "--silent", "preview-comment", "--", ...args]);
    expect(rendered).toEqual({ code: 0, stdout: "", stderr: "" });
    const text = readFileSync(path.join(dir, "dev.md"), "utf8");
    return { code: preview.code, lines: text.split("\n"), text };
  }

  const tableRows = (lines: string[]) => lines.filter((l) => l.startsWith("| ") && !l.startsWith("| operation") && !l.startsWith("| ---"));

  it("a new stack: every resource to create, in a table under the marker and the summary; the lookups only counted as reads", async () => {
    await emu.clearRequests();
    const { code, lines } = await previewComment();
    expect(code).toBe(0);
    expect(lines.slice(0, 7)).toEqual([
      "<!-- pulumi-preview:dev -->",
      "### Pulumi preview of stack `dev`",
      "",
      "**8 to create**, 5 read",
      "",
      "| operation | type | resource | changed inputs |",
      "| --- | --- | --- | --- |",
    ]);
    const rows = tableRows(lines);
    expect(rows).toHaveLength(8);
    expect(rows.filter((r) => /cja:(Connection|Dimension)/.test(r))).toEqual([]);
    expect(rows).toContain("| create | `pulumi:pulumi:Stack` | `audiences-cja-dev` | |");
    expect(rows).toContain("| create | `cja:DataView` | `audiences` | |");
    expect(rows).toContain("| create | `aep:AudienceExportJob` | `audiences` | |");
    expect(lines).not.toContain("#### Errors");
    expect(await adobeWrites(emu)).toEqual({});
  });

  it("a wrong client secret: the comment says the preview failed, with IMS's error under the resource that asked", async () => {
    await ws.setConfig({}, { "adobe:clientSecret": WRONG_SECRET });
    const { code, lines, text } = await previewComment();
    await ws.setConfig({}, { "adobe:clientSecret": TEST_CLIENT_SECRET });
    expect(code).not.toBe(0);
    expect(lines.slice(0, 4)).toEqual([
      "<!-- pulumi-preview:dev -->",
      "### Pulumi preview of stack `dev` failed",
      "",
      `\`pulumi preview\` exited with code ${code}: the summary and the table hold only what it planned before it stopped.`,
    ]);
    // Each resource whose check asked Adobe has the error under its type and name.
    const errors = lines.indexOf("#### Errors");
    expect(errors).toBeGreaterThan(0);
    const ims = lines.findIndex((l) => /^IMS POST \/ims\/token\/v3 failed: 401 invalid_client: .*adobe:clientSecret/.test(l));
    expect(ims).toBeGreaterThan(errors);
    expect(lines.slice(ims - 4, ims)).toEqual(["", expect.stringMatching(/^`(aep|cja):\w+` `[\w-]+`$/), "", "```text"]);
    expect(text).not.toContain(WRONG_SECRET);
    expect(text).not.toContain(TEST_CLIENT_SECRET);
  });

  it("after up, a program edit: the changed input in its row, the lookups read", async () => {
    await ws.up();
    editProgram(ws, "stack.ts", "AEP audiences in CJA: Adobe's audiences guide, managed by Pulumi.", "AEP audiences in CJA, managed by Pulumi.");
    await emu.clearRequests();
    const { code, lines } = await previewComment();
    expect(code).toBe(0);
    expect(lines.slice(0, 4)).toEqual(["<!-- pulumi-preview:dev -->", "### Pulumi preview of stack `dev`", "", "**1 to update**, 5 read, 7 unchanged"]);
    expect(tableRows(lines)).toEqual(["| update | `cja:DataView` | `audiences` | `description` |"]);
    expect(await adobeWrites(emu)).toEqual({});
  });

  it("a dimension renamed by hand: the comment says the preview failed, with the setting and the fix under the dimension", async () => {
    const { dataViewId } = await ws.outputs();
    const dimension = `/orgs/${encodeURIComponent(TEST_ORG)}/dataviews/${String(dataViewId)}/dimensions/audienceMembershipIdName`;
    const before = await emu.admin<Record<string, unknown>>("GET", dimension);
    await emu.admin("PATCH", dimension, { name: `${String(before.name)} (renamed by hand)` });
    await emu.clearRequests();
    const { code, lines, text } = await previewComment();
    await emu.admin("PATCH", dimension, { name: before.name });
    expect(code).not.toBe(0);
    expect(lines[1]).toBe("### Pulumi preview of stack `dev` failed");
    const at = lines.indexOf("`cja:Dimension` `audience-membership-id-name`");
    expect(at).toBeGreaterThan(lines.indexOf("#### Errors"));
    expect(text).toContain(`name: declared "${String(before.name)}", live "${String(before.name)} (renamed by hand)"`);
    expect(text).toContain(`set Component name to "${String(before.name)}"`);
    expect(await adobeWrites(emu)).toEqual({});
  });

  it("after up, a changed client secret stops the preview too, named (the refresh reads with the last up's credentials, the plan with the new ones)", async () => {
    await ws.setConfig({}, { "adobe:clientSecret": WRONG_SECRET });
    const { code, lines, text } = await previewComment();
    await ws.setConfig({}, { "adobe:clientSecret": TEST_CLIENT_SECRET });
    expect(code).not.toBe(0);
    expect(lines[1]).toBe("### Pulumi preview of stack `dev` failed");
    expect(lines.some((l) => /^IMS POST \/ims\/token\/v3 failed: 401 invalid_client: .*adobe:clientSecret/.test(l))).toBe(true);
    expect(text).not.toContain(WRONG_SECRET);
  });

  it("the stack file the CLI wrote passes the workflow's stack-file check", () => {
    const dir = mkdtempSync(path.join(scratch, "check-"));
    writeFileSync(path.join(dir, "Pulumi.dev.yaml"), ws.stackFile());
    expect(ws.stackFile()).toMatch(/adobe:clientSecret:\s+secure: v1:/);
    expect(stackFileCheck(dir, "dev")).toEqual({ code: 0, stdout: "", stderr: "" });
  });
});

describe("the renderer alone", () => {
  const urn = (type: string, name: string) => `urn:pulumi:dev::adobe-cja::${type}::${name}`;
  const plan = (p: PreviewJson) => JSON.stringify(p);

  it("a preview that printed no plan: failed, with the end of the CLI's stderr", () => {
    const text = renderPreviewComment({ stack: "prod", stdout: "", exitCode: 255, stderr: "\u001b[31merror:\u001b[0m no stack named 'prod' found\n" });
    expect(text.split("\n")).toEqual([
      "<!-- pulumi-preview:prod -->",
      "### Pulumi preview of stack `prod` failed",
      "",
      "`pulumi preview` exited with code 255 before it planned anything.",
      "",
      "#### Errors",
      "",
      "```text",
      "error: no stack named 'prod' found",
      "```",
      "",
    ]);
  });

  it("a replace is one row, its replacing keys marked; deletes listed; summary in the engine's order; warnings kept apart and once", () => {
    const dv = urn("pulumi-nodejs:dynamic/cja:DataView", "ajo");
    const state = (inputs: Record<string, unknown>) => ({ type: "pulumi-nodejs:dynamic/cja:DataView", inputs });
    const text = renderPreviewComment({
      stack: "stage",
      exitCode: 0,
      stdout: plan({
        steps: [
          { op: "same", urn: urn("pulumi:pulumi:Stack", "adobe-cja-stage") },
          { op: "create-replacement", urn: dv, oldState: state({ connectionId: "dg_1", name: "A" }), newState: state({ connectionId: "dg_2", name: "B" }) },
          { op: "replace", urn: dv, replaceReasons: ["connectionId"], oldState: state({ connectionId: "dg_1", name: "A" }), newState: state({ connectionId: "dg_2", name: "B" }) },
          { op: "delete-replaced", urn: dv, oldState: state({ connectionId: "dg_1", name: "A" }) },
          { op: "delete", urn: urn("pulumi-nodejs:dynamic/cja:CalculatedMetric", "gone"), oldState: { inputs: {} } },
          { op: "create", urn: urn("pulumi-nodejs:dynamic/cja:CalculatedMetric", "new|one`") },
        ],
        changeSummary: { delete: 1, same: 2, replace: 1, create: 1 },
        diagnostics: [
          { urn: dv, severity: "warning", message: "warning: \u001b[33mdimension drift\u001b[0m\n" },
          { urn: dv, severity: "warning", message: "warning: \u001b[33mdimension drift\u001b[0m\n" },
          { severity: "info", message: "a log line" },
        ],
      }),
    });
    const lines = text.split("\n");
    expect(lines[3]).toBe("**1 to create, 1 to replace, 1 to delete**, 2 unchanged");
    expect(lines.filter((l) => l.startsWith("| ") && !/^\| (operation|---)/.test(l))).toEqual([
      "| replace | `cja:DataView` | `ajo` | `connectionId` (replaces), `name` |",
      "| delete | `cja:CalculatedMetric` | `gone` | |",
      "| create | `cja:CalculatedMetric` | `` new\\|one` `` | |",
    ]);
    expect(text).not.toContain("#### Errors");
    expect(text).not.toContain("a log line");
    const warnings = lines.indexOf("#### Warnings");
    expect(lines.slice(warnings, warnings + 7)).toEqual(["#### Warnings", "", "`cja:DataView` `ajo`", "", "```text", "dimension drift", "```"]);
    expect(lines.filter((l) => l === "dimension drift")).toHaveLength(1);
  });

  it("lists at most MAX_ROWS resources and counts the rest; no changes says so", () => {
    const steps = Array.from({ length: MAX_ROWS + 50 }, (_, i) => ({ op: "create", urn: urn("pulumi-nodejs:dynamic/cja:Metric", `m${i}`) }));
    const lines = renderPreviewComment({ stack: "dev", exitCode: 0, stdout: plan({ steps, changeSummary: { create: MAX_ROWS + 50 } }) }).split("\n");
    expect(lines.filter((l) => l.startsWith("| create "))).toHaveLength(MAX_ROWS);
    expect(lines).toContain("… and 50 more resources in the workflow log.");
    const none = renderPreviewComment({ stack: "dev", exitCode: 0, stdout: plan({ steps: [{ op: "same", urn: urn("pulumi:pulumi:Stack", "s") }], changeSummary: { same: 11 } }) });
    expect(none.split("\n")[3]).toBe("**No changes**, 11 unchanged");
    expect(none).not.toContain("| operation");
  });

  it("names the marker after the stack, safely inside an HTML comment", () => {
    expect(previewMarker("acme/adobe-cja/prod")).toBe("<!-- pulumi-preview:acme/adobe-cja/prod -->");
    expect(previewMarker("a--b c>")).toBe("<!-- pulumi-preview:a-b_c_ -->");
  });

  it("the npm script prints the comment on stdout without --out, with the commit and run in the footer, and refuses bad arguments", () => {
    const file = path.join(scratch, "plan.json");
    writeFileSync(file, plan({ steps: [], changeSummary: { same: 1 } }));
    const ok = run("npm", ["run", "--silent", "preview-comment", "--", "--stack", "dev", "--commit", "abc123", "--run-url", "https://github.com/o/r/actions/runs/1", file]);
    expect(ok.code).toBe(0);
    expect(ok.stdout.trimEnd().split("\n").slice(-1)).toEqual(["<sub>Commit abc123 · [workflow run](https://github.com/o/r/actions/runs/1)</sub>"]);
    const bad = run("npm", ["run", "--silent", "preview-comment", "--", file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/usage: npm run preview-comment -- --stack NAME/);
  });
});
