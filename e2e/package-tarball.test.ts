/**
 * The package as a user gets it: `npm pack` (which builds it), the tarball installed with
 * `@pulumi/pulumi` and TypeScript into projects outside the repository. README's resource
 * snippet type-checks there, and the Journey Optimizer example, copied alone into such a project,
 * runs through the real CLI against the emulator.
 */
import { execFileSync } from "child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { prepareStack } from "../cli/example-stacks";
import { REPO_ROOT } from "../cli/toolchain";
import { PROGRAMS, PulumiWorkspace } from "../cli/workspace";
import { adobeWrites, emulatorWorkspace, opCounts, startTestEmulator, TEST_ORG, type TestEmulator } from "./support";

const lock = JSON.parse(readFileSync(path.join(REPO_ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string }> };
const pinned = (name: string) => lock.packages[`node_modules/${name}`]?.version ?? "latest";
const npm = (cwd: string, args: string[]) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

let scratch: string;
let tarball: string;
const repoDist = path.join(REPO_ROOT, "dist", "provider", "index.js");
let repoDistBuilt: number;

/**
 * A copy of the repository's sources with its node_modules linked in, where `npm pack` builds:
 * packing in the repository itself would rewrite dist/ while the suite's other programs load it.
 */
function sourceCopy(parent: string): string {
  const copy = path.join(parent, "source");
  const skipped = new Set(["node_modules", "dist", ".git", ".tools", ".e2e"]);
  cpSync(REPO_ROOT, copy, { recursive: true, filter: (src) => !skipped.has(path.basename(src)) });
  symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(copy, "node_modules"));
  return copy;
}

beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), "pulumi-adobe-cja-package-"));
  repoDistBuilt = statSync(repoDist).mtimeMs;
  npm(sourceCopy(scratch), ["pack", "--silent", "--pack-destination", scratch]);
  tarball = path.join(scratch, readdirSync(scratch).find((f) => f.endsWith(".tgz"))!);
}, 300_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A user's package.json: the tarball, the SDK and TypeScript at the versions this repository pins. */
function userPackageJson(name: string): string {
  return JSON.stringify({
    name,
    private: true,
    main: "index.ts",
    dependencies: { "@pulumi/pulumi": pinned("@pulumi/pulumi"), "pulumi-adobe-cja": `file:${tarball}` },
    devDependencies: { typescript: pinned("typescript"), "@types/node": pinned("@types/node") },
  });
}

const install = (dir: string) => npm(dir, ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"]);

describe("the packed package", () => {
  it("holds the compiled package, its types, README and LICENSE, and nothing else, packed without rewriting the repository's dist/", () => {
    const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).trim().split("\n").map((f) => f.replace(/^package\//, ""));
    expect(files).toEqual(expect.arrayContaining(["package.json", "README.md", "LICENSE", "dist/provider/index.js", "dist/provider/index.d.ts", "dist/provider/runtime/index.js"]));
    expect(files.filter((f) => !/^(package\.json|README\.md|LICENSE|dist\/provider\/.*\.(js|d\.ts))$/.test(f))).toEqual([]);
    const manifest = JSON.parse(execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" })) as Record<string, unknown>;
    expect(manifest.private).toBeUndefined();
    expect(manifest.engines).toEqual({ node: ">=22" });
    expect(statSync(repoDist).mtimeMs).toBe(repoDistBuilt);
  });

  it("type-checks README's resource snippet in a project outside the repository", () => {
    const dir = mkdtempSync(path.join(scratch, "readme-"));
    const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    const snippet = /## Resources\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(snippet).toContain('from "pulumi-adobe-cja"');
    writeFileSync(path.join(dir, "package.json"), userPackageJson("readme-snippet"));
    writeFileSync(path.join(dir, "index.ts"), snippet!);
    writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", module: "commonjs", moduleResolution: "node", esModuleInterop: true, noEmit: true }, files: ["index.ts"] }));
    install(dir);
    expect(() => execFileSync(path.join(dir, "node_modules", ".bin", "tsc"), ["-p", "."], { cwd: dir, encoding: "utf8" })).not.toThrow();
    // And a wrong input is a type error there: the package's types reach the user.
    writeFileSync(path.join(dir, "index.ts"), `${snippet}\nnew DataView("bad", { name: 1, connectionId: "dg_x", timezone: "UTC" });\n`);
    let typeErrors = "";
    try {
      execFileSync(path.join(dir, "node_modules", ".bin", "tsc"), ["-p", "."], { cwd: dir, encoding: "utf8", stdio: "pipe" });
    } catch (err) {
      typeErrors = String((err as { stdout?: string }).stdout);
    }
    expect(typeErrors).toMatch(/index\.ts\(\d+,\d+\): error TS2322: Type 'number' is not assignable to type 'Input<string>'/);
  }, 300_000);

  describe("examples/ajo-cja copied alone into a project with the tarball", () => {
    let emu: TestEmulator;
    let ws: PulumiWorkspace;

    beforeAll(async () => {
      emu = await startTestEmulator();
      const prepared = await prepareStack("ajo-cja", emu.url, TEST_ORG);
      const program = { ...PROGRAMS["ajo-cja"], files: PROGRAMS["ajo-cja"].files.filter(([, to]) => to !== "package.json"), write: { "package.json": userPackageJson("ajo-cja") } };
      ws = await emulatorWorkspace(emu, program, prepared.config, { parent: scratch });
      install(ws.dir);
    }, 300_000);

    afterAll(async () => {
      ws?.dispose();
      await emu?.close();
    });

    it("resolves the package from its own node_modules, not from the repository", () => {
      expect(ws.dir.startsWith(REPO_ROOT + path.sep)).toBe(false);
      const resolved = execFileSync(path.join(ws.tools.nodeDir, "node"), ["-p", "require.resolve('pulumi-adobe-cja')"], { cwd: ws.dir, encoding: "utf8" }).trim();
      expect(resolved).toBe(path.join(ws.dir, "node_modules", "pulumi-adobe-cja", "dist", "provider", "index.js"));
    });

    it("up creates the stack, a preview after it changes nothing, destroy removes it", async () => {
      const up = await ws.up();
      // The data view, 3 calculated metrics and the filter are made; the connection and the 22 components are lookups: read, then only forgotten by destroy.
      expect(opCounts(up.steps)).toEqual({ create: 5, read: 23 });
      await emu.clearRequests();
      expect(opCounts((await ws.preview()).steps)).toEqual({ same: 5, read: 23 });
      expect(await adobeWrites(emu)).toEqual({});
      expect(opCounts((await ws.destroy()).steps)).toEqual({ delete: 5, discard: 23 });
    });
  });
});
