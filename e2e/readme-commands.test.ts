/**
 * Every shell command of README.md and the examples' READMEs, run as written, the way a newcomer
 * meets them: on a copy of the repository outside it (its files, no node_modules, no dist), with
 * `pulumi` and Node.js 22 on PATH, a `PULUMI_HOME` of its own, and `pulumi up`'s confirmation
 * answered yes (`PULUMI_SKIP_CONFIRMATIONS`, the CLI's switch for that, since no one is at a
 * terminal). `pulumi login --local` is the real one: its stacks live in the user's
 * `~/.pulumi` (the CLI takes `~` from the user database, not from `HOME`), so the test refuses to
 * start when a stack it makes exists there, and removes exactly those it made. Commands that need a real Adobe account run
 * against the emulator with their `<placeholders>` filled in; the rest are marked with why they do
 * not run here. A command added to a README and not listed below fails the first test.
 */
import { execFileSync, spawn, type ChildProcess } from "child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT, toolchain } from "../cli/toolchain";
import { testSpecDir } from "../tests/helpers/emulator";
import { markdownCommands } from "./markdown-commands";

const DOCS = ["README.md", "examples/ajo-cja/README.md", "examples/audiences-cja/README.md"];

/** How each command is covered: `run` (by a test below), or why it does not run here. */
const COVERAGE: Record<string, string> = {
  "npm ci && npm test": "ci: .ci/run runs `npm ci && npm test` as README gives it",
  "npm test": "ci: .ci/run runs it",
  "npm run test:cli": "ci: .ci/run runs it, under Node.js 22 and 24",
  "npm run setup:pulumi": "ci: `npm run test:cli` runs it first",
  "npm run setup:spark": "ci: `npm run test:cli` runs it (scripts/setup-spark.sh) before the suite",
  "npm run specs": "untested: downloads Adobe's specs from GitHub, which these machines cannot reach; tests read them from ADOBE_OPENAPI_DIR",
  "npm run bench": "untested: about half an hour at Adobe's own rate; docs/BENCHMARKS.md has its figures",
  "npm run preview-comment": "elsewhere: e2e/pull-request.test.ts runs it, with the workflow's arguments, on the real CLI's `pulumi preview --json`",
  "npm run soak": "untested: about 15 minutes; docs/RELIABILITY.md has its figures, and `npm test` runs a small soak",
  "npm run soak -- --kill": "elsewhere: about 20 minutes; e2e/kill-soak.test.ts runs a short kill soak, docs/RELIABILITY.md has the full one's figures",
  "npx pulumi-adobe-cja-orphans --stack dev": "elsewhere: e2e/kill-rerun.test.ts runs the finder as a user does, in a stack's folder",
  "pulumi config set --path 'adobe:profiles.development.sandbox' dev": "elsewhere: e2e/sandboxes.test.ts sets it on its stack and runs a program in two sandboxes",
  "pulumi config set --path 'adobe:profiles.emea.orgId' 5D3C...@AdobeOrg": "untested: a second org; e2e/sandboxes.test.ts sets a profile's settings the same way, tests/adobe/profiles.test.ts resolves another org's",
  "pulumi config set --path 'adobe:profiles.emea.clientId' 0e1f...": "untested: a second org; as above",
  "pulumi config set --secret --path 'adobe:profiles.emea.clientSecret' <client secret>": "elsewhere: e2e/sandboxes.test.ts sets a profile's client secret with --secret --path and checks it stays encrypted",
  "npx pulumi-adobe-cja-generate --data-view dv_62ba17d5a5d7845496f5fb4d --out reporting --stack dev": "elsewhere: e2e/generate.test.ts runs the command against the emulator (credentials in ADOBE_* variables) and the program it writes with the real CLI",
  "npm ci && npm run build": "run",
  "npm run example": "run",
  "npm run example -- audiences-cja": "run",
  "npm run example -- root": "run",
  "npm run emulator -- --help": "run",
  "npm run emulator -- --setup ajo-cja": "run",
  "npm run emulator -- --setup audiences-cja": "run",
  "cd examples/ajo-cja": "run",
  "pulumi login --local": "run",
  "pulumi stack init emulator": "run",
  "pulumi stack init dev": "run (against the emulator)",
  "pulumi stack init prod": "run (against the emulator)",
  "pulumi config set adobe:clientId <client id>": "run (against the emulator)",
  "pulumi config set adobe:clientId <client id of the OAuth server-to-server credential>": "run (against the emulator)",
  "pulumi config set --secret adobe:clientSecret <client secret>": "run (against the emulator)",
  "pulumi config set adobe:orgId <ORG>@AdobeOrg": "run (against the emulator)",
  "pulumi preview": "run",
  "pulumi up": "run",
};

const ran = new Set<string>();
let copy: string;
let env: NodeJS.ProcessEnv;

/** The stacks the commands make in the `pulumi login --local` backend, `project/stack`. */
const LOCAL_STACKS = ["ajo-cja/emulator", "ajo-cja/dev", "ajo-cja/prod", "audiences-cja/emulator", "audiences-cja/dev"];
const LOCAL_BACKEND = path.join(os.userInfo().homedir, ".pulumi");

/** Every file and folder of the local backend that holds `project/stack`. */
function localStackPaths(projectStack: string): string[] {
  const [project, stack] = projectStack.split("/");
  const stacks = path.join(LOCAL_BACKEND, "stacks", project);
  const files = existsSync(stacks) ? readdirSync(stacks).filter((f) => f === `${stack}.json` || f.startsWith(`${stack}.json.`)).map((f) => path.join(stacks, f)) : [];
  return [...files, ...["history", "backups"].map((d) => path.join(LOCAL_BACKEND, d, project, stack)), path.join(LOCAL_BACKEND, "locks", "organization", project, stack)].filter((p) => existsSync(p));
}
const emulators: ChildProcess[] = [];

/** The commands of one README, in order. */
function commandsOf(doc: string): string[] {
  return markdownCommands(readFileSync(path.join(REPO_ROOT, doc), "utf8")).map((c) => c.command);
}

/** The fenced block of `doc` that holds `marker`, its commands in order. */
function blockWith(doc: string, marker: string): string[] {
  const text = readFileSync(path.join(REPO_ROOT, doc), "utf8");
  const blocks = text.split(/^\s*```.*$/m).filter((_, i) => i % 2 === 1);
  const block = blocks.find((b) => b.includes(marker));
  if (!block) throw new Error(`${doc} has no shell block with "${marker}"`);
  return markdownCommands(["```sh", block.trim(), "```"].join("\n")).map((c) => c.command);
}

/** Commands exactly as a README gives them, in one shell (a `cd` carries on); `fill` replaces their `<placeholders>`. */
function run(commands: string | string[], cwd: string, fill: Record<string, string> = {}): string {
  const list = typeof commands === "string" ? [commands] : commands;
  for (const command of list) if (!(command in COVERAGE)) throw new Error(`not a README command: ${command}`);
  const filled = list
    .map((command) =>
      command.replace(/<[^>]+>/g, (placeholder) => {
        const value = fill[placeholder];
        if (value === undefined) throw new Error(`no value for ${placeholder} in: ${command}`);
        return value;
      }),
    )
    .join(" && ");
  for (const command of list) ran.add(command);
  try {
    return execFileSync("bash", ["-c", filled], { cwd, env, encoding: "utf8", stdio: "pipe", timeout: 600_000 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`\`${filled}\` in ${path.relative(copy, cwd) || "."} failed: ${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
  }
}

/** What a test checks on the side, not a README command. */
function sh(script: string, cwd: string): string {
  return execFileSync("bash", ["-c", script], { cwd, env, encoding: "utf8", stdio: "pipe" });
}

/** Starts a README's emulator command; resolves with the `pulumi config set` lines it printed. */
function startEmulator(command: string): Promise<string[]> {
  ran.add(command);
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", `exec ${command}`], { cwd: copy, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    emulators.push(child);
    let printed = "";
    const timer = setTimeout(() => reject(new Error(`\`${command}\` printed no set-up in 120 s:\n${printed}`)), 120_000);
    child.stdout!.on("data", (d: Buffer) => {
      printed += d.toString();
      if (/Point the example stack[^\n]*\n(?:  pulumi config set[^\n]*\n)+/.test(printed)) {
        clearTimeout(timer);
        resolve(printed.split("\n").filter((l) => /^\s+pulumi config set /.test(l)).map((l) => l.trim()));
      }
    });
    child.stderr!.on("data", (d: Buffer) => (printed += d.toString()));
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`\`${command}\` exited ${code}:\n${printed}`));
    });
  });
}

function stopEmulators(): void {
  for (const child of emulators.splice(0)) {
    child.removeAllListeners("exit");
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, "SIGTERM");
  }
}

/** The value a `pulumi config set [--secret] <key> <value>` line sets, by key. */
function configLines(lines: string[]): Map<string, string> {
  return new Map(lines.map((l) => [l.replace(/^pulumi config set (--secret )?/, "").split(" ")[0], l]));
}

/** The data view a stack made, read from the emulator as Adobe would hold it, with its component counts. */
async function dataViewOf(stackDir: string, org: string): Promise<{ name: string; dimensions: number; metrics: number }> {
  const id = sh("pulumi stack output dataViewId", stackDir).trim();
  const res = await fetch(`http://127.0.0.1:8787/_emulator/orgs/${encodeURIComponent(org)}/dataviews/${id}`);
  expect(res.status).toBe(200);
  const document = (await res.json()) as { dataView: { name: string }; dimensions: unknown[]; metrics: unknown[] };
  return { name: document.dataView.name, dimensions: document.dimensions.length, metrics: document.metrics.length };
}

beforeAll(() => {
  const taken = LOCAL_STACKS.filter((s) => localStackPaths(s).some((p) => p.endsWith(".json")));
  if (taken.length > 0) throw new Error(`the local backend ${LOCAL_BACKEND} already has ${taken.join(", ")}: remove them (pulumi stack rm) or run on a clean machine`);
  copy = mkdtempSync(path.join(os.tmpdir(), "readme-commands-"));
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: REPO_ROOT, encoding: "utf8" })
    .split("\0")
    .filter((f) => f && existsSync(path.join(REPO_ROOT, f)));
  for (const file of files) cpSync(path.join(REPO_ROOT, file), path.join(copy, file), { recursive: false });
  // The tools a user brings (`pulumi`, Node.js 22 and 24), as `npm run setup:pulumi` left them.
  symlinkSync(path.join(REPO_ROOT, ".tools"), path.join(copy, ".tools"));
  symlinkSync(path.join(REPO_ROOT, "tools", "node-runtimes", "node_modules"), path.join(copy, "tools", "node-runtimes", "node_modules"));
  const tools = toolchain(22);
  const npmCache = execFileSync("npm", ["config", "get", "cache"], { encoding: "utf8" }).trim();
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(PULUMI_|ADOBE_|npm_)/.test(key)));
  env = {
    ...inherited,
    PATH: [tools.pulumiDir, tools.nodeDir, process.env.PATH].join(path.delimiter),
    npm_config_cache: npmCache,
    PULUMI_CONFIG_PASSPHRASE: "readme-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    PULUMI_HOME: path.join(copy, ".pulumi-home"),
    ADOBE_OPENAPI_DIR: testSpecDir(),
  };
});

afterAll(() => {
  stopEmulators();
  if (!copy) return;
  for (const stack of LOCAL_STACKS) for (const p of localStackPaths(stack)) rmSync(p, { recursive: true, force: true });
  for (const project of new Set(LOCAL_STACKS.map((s) => s.split("/")[0]))) {
    for (const dir of ["stacks", "history", "backups", path.join("locks", "organization")].map((d) => path.join(LOCAL_BACKEND, d, project))) {
      if (existsSync(dir) && readdirSync(dir).length === 0) rmSync(dir, { recursive: true });
    }
  }
  if (copy) rmSync(copy, { recursive: true, force: true });
});

it("every command of the READMEs is run below or marked with why not, and the list names no command they lost", () => {
  const inDocs = new Set(DOCS.flatMap(commandsOf));
  expect([...inDocs].filter((c) => !(c in COVERAGE))).toEqual([]);
  expect(Object.keys(COVERAGE).filter((c) => !inDocs.has(c))).toEqual([]);
});

describe("the Journey Optimizer example by hand, on a fresh copy (examples/ajo-cja/README.md)", () => {
  let printed: string[];
  const stackDir = () => path.join(copy, "examples", "ajo-cja");

  it("step 1 installs and builds, then starts the emulator set up for the example", async () => {
    const [install, emulator] = blockWith("examples/ajo-cja/README.md", "npm run emulator -- --setup ajo-cja");
    expect(existsSync(path.join(copy, "node_modules"))).toBe(false);
    run(install, copy);
    expect(existsSync(path.join(copy, "dist", "provider", "index.js"))).toBe(true);
    printed = await startEmulator(emulator);
    expect([...configLines(printed).keys()]).toEqual(expect.arrayContaining(["adobe:clientId", "adobe:clientSecret", "ajo-cja:templateDataViewId", "ajo-cja:dataViewName"]));
  });

  it("step 2 makes a local stack in the example folder, and the printed lines configure it", () => {
    const script = blockWith("examples/ajo-cja/README.md", "pulumi stack init emulator");
    expect(script).toEqual(["cd examples/ajo-cja", "pulumi login --local", "pulumi stack init emulator"]);
    run(script, copy);
    for (const line of printed) sh(line, stackDir());
    expect(readFileSync(path.join(stackDir(), "Pulumi.emulator.yaml"), "utf8")).toMatch(/adobe:clientSecret:\s+secure: v1:/);
  });

  it("step 3 previews and applies: the data view is made, and a second preview changes nothing", async () => {
    for (const command of blockWith("examples/ajo-cja/README.md", "pulumi preview")) run(command, stackDir());
    const dataView = await dataViewOf(stackDir(), configLines(printed).get("adobe:orgId")!.split(" ").pop()!);
    expect(dataView).toEqual({ name: configLines(printed).get("ajo-cja:dataViewName")!.replace(/^.*ajo-cja:dataViewName /, "").replace(/^'|'$/g, ""), dimensions: 13, metrics: 9 });
    sh("pulumi preview --expect-no-changes", stackDir());
  });

  it("README's \"Against Adobe\" commands, in the example folder, work on the dev stack file with the secret it holds as a placeholder", async () => {
    const org = configLines(printed).get("adobe:orgId")!.split(" ").pop()!;
    const secret = configLines(printed).get("adobe:clientSecret")!.split(" ").pop()!;
    const clientId = configLines(printed).get("adobe:clientId")!.split(" ").pop()!;
    const fill = { "<client id>": clientId, "<client secret>": secret, "<ORG>": org.replace(/@AdobeOrg$/, "") };
    const commands = blockWith("README.md", "pulumi stack init dev");
    expect(commands.at(-1)).toBe("pulumi up");
    for (const command of commands.slice(0, -1)) run(command, stackDir(), fill);
    // What the stack file says to replace ("replace its values"): the emulator's endpoints, connection and template.
    for (const [key, line] of configLines(printed)) if (/Endpoint$|connectionName|templateDataViewId/.test(key)) sh(line, stackDir());
    run("pulumi up", stackDir());
    expect(readFileSync(path.join(stackDir(), "Pulumi.dev.yaml"), "utf8")).toMatch(/adobe:clientSecret:\s+secure: v1:/);
    expect((await dataViewOf(stackDir(), org)).name).toBe("AJO reporting (dev)");
  });

  it("this README's \"Run it against Adobe\" commands do the same for the prod stack file, whose connection is pinned by id", async () => {
    const value = (key: string) => configLines(printed).get(key)!.split(" ").pop()!;
    const fill = {
      "<client id of the OAuth server-to-server credential>": value("adobe:clientId"),
      "<client secret>": value("adobe:clientSecret"),
      "<ORG>": value("adobe:orgId").replace(/@AdobeOrg$/, ""),
    };
    for (const command of blockWith("examples/ajo-cja/README.md", "pulumi stack init prod")) run(command, stackDir(), fill);
    // The values the file says to replace: the endpoints, the connection (by name here) and the template.
    sh("pulumi config rm ajo-cja:connectionId", stackDir());
    for (const [key, line] of configLines(printed)) if (/Endpoint$|connectionName|templateDataViewId/.test(key)) sh(line, stackDir());
    for (const command of blockWith("examples/ajo-cja/README.md", "writes nothing: reads the template")) run(command, stackDir());
    expect(readFileSync(path.join(stackDir(), "Pulumi.prod.yaml"), "utf8")).toMatch(/adobe:clientSecret:\s+secure: v1:/);
    expect((await dataViewOf(stackDir(), value("adobe:orgId"))).name).toBe("AJO reporting");
  });
});

describe("the audiences example's commands (examples/audiences-cja/README.md)", () => {
  let printed: string[];
  const stackDir = () => path.join(copy, "examples", "audiences-cja");

  beforeAll(async () => {
    stopEmulators();
    printed = await startEmulator("npm run emulator -- --setup audiences-cja");
  });

  it("by hand: login, a local stack, the printed lines, then up", async () => {
    run("pulumi login --local", stackDir());
    run("pulumi stack init emulator", stackDir());
    for (const line of printed) sh(line, stackDir());
    run("pulumi up", stackDir());
    sh("pulumi preview --expect-no-changes", stackDir());
  });

  it("against Adobe: the dev stack file with its credentials set as the README says, then preview and up", async () => {
    const value = (key: string) => configLines(printed).get(key)!.split(" ").pop()!;
    const fill = { "<client id>": value("adobe:clientId"), "<client secret>": value("adobe:clientSecret") };
    for (const command of blockWith("examples/audiences-cja/README.md", "pulumi stack init dev")) run(command, stackDir(), fill);
    for (const [key, line] of configLines(printed)) if (!/clientId|clientSecret|dataViewName|exportDatasetName/.test(key)) sh(line, stackDir());
    // `npm ci && npm run build`, which this section asks for first, ran in the install step above.
    for (const command of blockWith("examples/audiences-cja/README.md", "pulumi preview")) run(command, stackDir());
    expect((await dataViewOf(stackDir(), value("adobe:orgId"))).name).toBe("Audiences (dev)");
  });
});

describe("the one-command examples and the emulator's help, from the copy's root", () => {
  beforeAll(() => stopEmulators());

  it("npm run emulator -- --help prints the options", () => {
    expect(run("npm run emulator -- --help", copy)).toMatch(/--setup <name>/);
  });

  it.each(["npm run example", "npm run example -- audiences-cja", "npm run example -- root"])("%s runs the real CLI against an in-process emulator", (command) => {
    const out = run(command, copy);
    for (const section of ["pulumi preview (new stack)", "pulumi up (new stack)", "pulumi preview (same program)", "pulumi up (same program again)"]) expect(out).toContain(`== ${section}`);
  });
});

it("every command marked run ran", () => {
  const marked = Object.entries(COVERAGE).filter(([, how]) => how.startsWith("run")).map(([command]) => command);
  expect(marked.filter((c) => !ran.has(c))).toEqual([]);
});
