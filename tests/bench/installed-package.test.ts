/** The benchmark's projects hold the package as npm installs it: the shipped files, no source maps, resolved first. */
import { execFileSync } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "fs";
import * as path from "path";
import { installPackage, packPackage, type PackedPackage } from "../../bench/installed-package";
import { REPO_ROOT } from "../../cli/toolchain";

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string, prefix = ""): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

let packed: PackedPackage;
let project: string;
const repoDist = path.join(REPO_ROOT, "dist", "provider", "index.js");
let repoDistBuilt: number;

beforeAll(() => {
  repoDistBuilt = statSync(repoDist).mtimeMs;
  packed = packPackage();
  mkdirSync(path.join(REPO_ROOT, ".e2e"), { recursive: true });
  project = mkdtempSync(path.join(REPO_ROOT, ".e2e", "installed-package-"));
}, 120_000);

afterAll(() => {
  packed?.remove();
  if (project) rmSync(project, { recursive: true, force: true });
});

describe("the benchmark's installed package", () => {
  it("is what npm pack ships: the compiled provider with its types, no source map, and dist/ left as built", () => {
    const files = filesUnder(packed.dir);
    expect(files).toEqual(expect.arrayContaining(["package.json", "dist/provider/index.js", "dist/provider/index.d.ts", "dist/provider/runtime/index.js"]));
    expect(files.filter((f) => f.endsWith(".map"))).toEqual([]);
    expect(files.filter((f) => f.startsWith("dist/") && !f.startsWith("dist/provider/"))).toEqual([]);
    expect(statSync(repoDist).mtimeMs).toBe(repoDistBuilt);
  });

  it("is the copy a project of its own inside the repository resolves, for the package and for the provider's runtime", () => {
    // A project with a package.json of its own, as every benchmark program has (without one, the repository's would name the package itself).
    mkdirSync(path.join(project, "app"));
    writeFileSync(path.join(project, "app", "package.json"), JSON.stringify({ name: "app", private: true, main: "index.ts" }));
    installPackage(packed, path.join(project, "app"));
    const resolve = (id: string) => execFileSync(process.execPath, ["-p", `require.resolve(${JSON.stringify(id)})`], { cwd: path.join(project, "app"), encoding: "utf8" }).trim();
    expect(resolve("pulumi-adobe-cja")).toBe(path.join(project, "app", "node_modules", "pulumi-adobe-cja", "dist", "provider", "index.js"));
    expect(resolve("pulumi-adobe-cja/runtime")).toBe(path.join(project, "app", "node_modules", "pulumi-adobe-cja", "dist", "provider", "runtime", "index.js"));
    // Its dependencies are the repository's, as one install holds them.
    expect(resolve("@pulumi/pulumi").startsWith(path.join(REPO_ROOT, "node_modules") + path.sep)).toBe(true);
    expect(existsSync(path.join(project, "app", "node_modules", "@pulumi"))).toBe(false);
  });

  it("refuses a project that would still load another copy: one without a package.json of its own", () => {
    mkdirSync(path.join(project, "bare"));
    expect(() => installPackage(packed, path.join(project, "bare"))).toThrow(/bare resolves pulumi-adobe-cja to .*dist\/provider\/index\.js, not to the installed copy$/);
  });
});
