/**
 * The package as npm installs it into a user's project: `npm pack` of this repository (what its
 * `files` list ships: the compiled provider, without source maps), unpacked into the benchmark
 * project's own node_modules. Its programs and their providers then load that copy, nearer than the
 * repository's dist/, whose source maps the SDK's stack traces would read; `@pulumi/pulumi`, `zod`
 * and `node-fetch` still resolve from the repository's node_modules, as one install would hold them.
 */
import { execFileSync } from "child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../cli/toolchain";

export const PACKAGE_NAME = "pulumi-adobe-cja";

/** The packed package, unpacked: a folder to copy into projects; `remove` deletes it. */
export interface PackedPackage {
  dir: string;
  remove(): void;
}

/**
 * Packs the repository as built (`npm run bench` builds first; the `prepack` build is skipped so
 * dist/ is not rewritten under a running stack) and unpacks the tarball.
 */
export function packPackage(): PackedPackage {
  const scratch = mkdtempSync(path.join(os.tmpdir(), "bench-package-"));
  execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", scratch], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  const tarball = readdirSync(scratch).find((f) => f.endsWith(".tgz"));
  if (!tarball) throw new Error(`npm pack wrote no tarball into ${scratch}`);
  execFileSync("tar", ["-xzf", path.join(scratch, tarball), "-C", scratch]);
  const dir = path.join(scratch, "package");
  if (!existsSync(path.join(dir, "dist", "provider", "index.js"))) throw new Error(`the packed package has no dist/provider/index.js (run npm run build first)`);
  return { dir, remove: () => rmSync(scratch, { recursive: true, force: true }) };
}

/**
 * Copies the packed package into `projectDir`'s node_modules, where the project resolves it first.
 * @throws Error when the project still resolves another copy (a project without a package.json of
 *   its own is inside the repository's, whose name resolves the package to the repository itself)
 */
export function installPackage(packed: PackedPackage, projectDir: string): void {
  const installed = path.join(projectDir, "node_modules", PACKAGE_NAME);
  cpSync(packed.dir, installed, { recursive: true });
  // Node's own resolution, in a process of its own as the program's (a test runner's module mapping stays out).
  const resolved = execFileSync(process.execPath, ["-p", `require.resolve(${JSON.stringify(PACKAGE_NAME)})`], { cwd: projectDir, encoding: "utf8" }).trim();
  if (!resolved.startsWith(installed + path.sep)) throw new Error(`${projectDir} resolves ${PACKAGE_NAME} to ${resolved}, not to the installed copy`);
}
