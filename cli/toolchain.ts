/**
 * Finds the real Pulumi CLI and a Node.js the SDK supports: first where `npm run setup:pulumi`
 * puts them (`.tools/bin`, `tools/node-runtimes`), then on `PATH`. Nothing here stands in for
 * either: when one is missing, the error says how to get it.
 */
import { execFileSync } from "child_process";
import { existsSync } from "fs";
import * as path from "path";

/** The repository root, from the sources or from their compiled copy in dist/. */
export const REPO_ROOT = [path.resolve(__dirname, ".."), path.resolve(__dirname, "..", "..")].find((dir) =>
  existsSync(path.join(dir, "tools", "pulumi-cli", "go.mod")),
) ?? path.resolve(__dirname, "..");

/** The Node.js majors the package supports and the real-CLI suite runs under. */
export const SUPPORTED_NODE_MAJORS = [22, 24] as const;
export type NodeMajor = (typeof SUPPORTED_NODE_MAJORS)[number];

export interface Toolchain {
  /** The `pulumi` binary. */
  pulumi: string;
  /** Folder holding `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs`. */
  pulumiDir: string;
  /** `pulumi version`, e.g. v3.274.1. */
  pulumiVersion: string;
  /** Folder holding the `node` binary programs and providers run under. */
  nodeDir: string;
  /** `node --version` of it, e.g. v22.23.5. */
  nodeVersion: string;
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

function versionOf(binary: string, args: string[]): string {
  return execFileSync(binary, args, { encoding: "utf8", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } }).trim();
}

const SETUP_HINT = "Run `npm run setup:pulumi` (builds the CLI from Go modules and installs Node.js 22 and 24 from npm), or put your own on PATH.";

/** The Pulumi CLI folder: `.tools/bin` when it has the CLI, else the folder of `pulumi` on PATH. */
function findPulumiDir(): string {
  const tools = path.join(REPO_ROOT, ".tools", "bin");
  if (existsSync(path.join(tools, "pulumi"))) return tools;
  const found = onPath("pulumi");
  if (found) return path.dirname(found);
  throw new Error(`No Pulumi CLI in .tools/bin or on PATH. ${SETUP_HINT}`);
}

/** A Node.js folder of the given major: tools/node-runtimes first, else `node` on PATH when it is that major. */
function findNodeDir(major: NodeMajor): string {
  const tools = path.join(REPO_ROOT, "tools", "node-runtimes", "node_modules", `node${major}`, "bin");
  if (existsSync(path.join(tools, "node"))) return tools;
  const found = onPath("node");
  if (found && versionOf(found, ["--version"]).startsWith(`v${major}.`)) return path.dirname(found);
  throw new Error(`No Node.js ${major} in tools/node-runtimes or on PATH. ${SETUP_HINT}`);
}

const cache = new Map<NodeMajor, Toolchain>();

/** The CLI and the Node.js of `major` (default: `PULUMI_TEST_NODE` or 22). Throws with the way to get them. */
export function toolchain(major: NodeMajor = defaultNodeMajor()): Toolchain {
  const known = cache.get(major);
  if (known) return known;
  const pulumiDir = findPulumiDir();
  for (const plugin of ["pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"]) {
    if (!existsSync(path.join(pulumiDir, plugin)) && !onPath(plugin)) throw new Error(`No ${plugin} beside ${path.join(pulumiDir, "pulumi")} or on PATH. ${SETUP_HINT}`);
  }
  const pulumi = path.join(pulumiDir, "pulumi");
  const nodeDir = findNodeDir(major);
  const found: Toolchain = { pulumi, pulumiDir, pulumiVersion: versionOf(pulumi, ["version"]), nodeDir, nodeVersion: versionOf(path.join(nodeDir, "node"), ["--version"]) };
  cache.set(major, found);
  return found;
}

/** `PULUMI_TEST_NODE=24` runs the suite's programs under Node.js 24; the default is 22. */
export function defaultNodeMajor(): NodeMajor {
  const asked = Number(process.env.PULUMI_TEST_NODE ?? "22");
  if (!SUPPORTED_NODE_MAJORS.includes(asked as NodeMajor)) throw new Error(`PULUMI_TEST_NODE must be one of ${SUPPORTED_NODE_MAJORS.join(", ")}, got "${process.env.PULUMI_TEST_NODE}"`);
  return asked as NodeMajor;
}
