/**
 * A Pulumi project and stack driven through the real CLI: a copy of a program in a folder of its
 * own under `.e2e/` (inside the repository, so the program resolves `@pulumi/pulumi` and
 * `pulumi-adobe-cja` from the repository's node_modules as a user's project resolves them from
 * its own), a DIY backend (`file://`) and a `PULUMI_HOME` of its own, the passphrase secrets
 * provider, and the Node.js release asked for first on `PATH`.
 */
import { spawn } from "child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import * as path from "path";
import { diagnostics, parseEngineEvents, parsePreviewJson, parseSteps, type EngineEvent, type PreviewJson, type StepSummary } from "./events";
import { REPO_ROOT, toolchain, type NodeMajor, type Toolchain } from "./toolchain";

/** A program to copy: its files, relative to the repository root, and where each goes in the copy. */
export interface ProgramSource {
  /** Name of the Pulumi project (`name:` in its Pulumi.yaml). */
  project: string;
  /** `[from, to]` pairs: a file or folder of the repository, and its path inside the workspace. */
  files: Array<[from: string, to: string]>;
  /** Files written into the copy, by path: content. */
  write?: Record<string, string>;
}

/** The program files of each example besides Pulumi.yaml, package.json, tsconfig.json and index.ts. */
const STACK_FILES: Record<string, string[]> = { "ajo-cja": ["stack.ts", "guide.ts", "beyond-guide.ts"], "audiences-cja": ["stack.ts", "guide.ts"] };

const exampleFiles = (example: string): Array<[string, string]> =>
  ["Pulumi.yaml", "package.json", "tsconfig.json", "index.ts", ...STACK_FILES[example]].map((f) => [`examples/${example}/${f}`, f]);

/** The programs of this repository: both examples, and the root project (both integrations). */
export const PROGRAMS = {
  "ajo-cja": { project: "ajo-cja", files: exampleFiles("ajo-cja") },
  "audiences-cja": { project: "audiences-cja", files: exampleFiles("audiences-cja") },
  root: {
    project: "adobe-cja",
    files: [
      ["Pulumi.yaml", "Pulumi.yaml"],
      ["deploy", "deploy"],
      ...["ajo-cja", "audiences-cja"].flatMap((e) => STACK_FILES[e].map((f): [string, string] => [`examples/${e}/${f}`, `examples/${e}/${f}`])),
    ],
    // The repository's tsconfig, for the copied folders only (its `paths` point at sources the copy lacks).
    write: {
      "tsconfig.json": JSON.stringify({
        compilerOptions: { strict: true, target: "ES2022", module: "commonjs", moduleResolution: "node", esModuleInterop: true, skipLibCheck: true, rootDir: "." },
        include: ["deploy/**/*.ts", "examples/**/*.ts"],
      }),
    },
  },
} satisfies Record<string, ProgramSource>;

export interface WorkspaceOptions {
  program: ProgramSource;
  /** Stack name (default `test`). */
  stack?: string;
  /** Node.js major the program and its providers run under (default from the toolchain). */
  node?: NodeMajor;
  /** Extra environment for every command (e.g. `ADOBE_DEBUG`). */
  env?: Record<string, string>;
  /** Parent folder of the workspace (default `<repo>/.e2e`). It must be inside the repository. */
  parent?: string;
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall time of the command in ms. */
  ms: number;
}

/** What one engine operation did, from its event log. */
export interface OperationResult extends CommandResult {
  events: EngineEvent[];
  /** One entry per resource the operation touched or looked at, in the order the engine reported them. */
  steps: StepSummary[];
  /** The counts of the summary event (`create`, `update`, `same`, ...). */
  changes: Record<string, number>;
}

export interface CommandOptions {
  /** Return the result of a non-zero exit instead of throwing. */
  allowFailure?: boolean;
  /**
   * Send `signal` (default SIGINT, Ctrl-C) to the CLI `after` ms, or once `until` resolves true
   * (asked every 20 ms). `to`: the CLI alone (default); its process `group`, as a terminal's Ctrl-C
   * reaches it (the CLI starts each plugin in a process group of its own, so not the providers); or
   * its whole process `tree`, providers included, as a machine that dies or a CI job killed.
   * After a `group` signal the CLI exits without stopping its plugins: what is left of the run's
   * processes 2 s after the CLI ended is killed, so no provider outlives the test.
   */
  signalWhen?: { signal?: NodeJS.Signals; after?: number; until?: () => Promise<boolean>; to?: "cli" | "group" | "tree" };
  /** Called with the CLI's process id once it started. */
  onSpawn?: (pid: number | undefined) => void;
  stdin?: string;
  /** Environment for this command only, on top of the workspace's. */
  env?: Record<string, string>;
}

export type OperationOptions = Omit<CommandOptions, "stdin">;

export class CommandError extends Error {
  constructor(readonly args: string[], readonly result: CommandResult) {
    const errors = diagnostics(parseEngineEvents(result.stdout), ["error", "info#err"]).join("").slice(-6000);
    super(`pulumi ${args.join(" ")} exited ${result.code}\n--- errors\n${errors}\n--- stdout\n${result.stdout.slice(-3000)}\n--- stderr\n${result.stderr.slice(-4000)}`);
  }
}

const PASSPHRASE = "e2e-passphrase";

/** `pid` and every process below it (Linux: read from `/proc`), the deepest first. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // `pid (comm) state ppid ...`: comm may hold spaces and parentheses, so read after the last `)`.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended meanwhile
    }
  }
  const below = (p: number): number[] => (children.get(p) ?? []).flatMap((c) => [...below(c), c]);
  return [...below(pid), pid];
}

function signalIfAlive(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already ended
  }
}

export class PulumiWorkspace {
  readonly stack: string;
  readonly tools: Toolchain;
  /** The workspace folder: the program copy, the DIY backend (`backend/`) and the Pulumi home. */
  readonly root: string;
  private readonly extraEnv: Record<string, string>;
  private operations = 0;

  private constructor(readonly program: ProgramSource, readonly dir: string, root: string, opts: WorkspaceOptions) {
    this.root = root;
    this.stack = opts.stack ?? "test";
    this.tools = toolchain(opts.node);
    this.extraEnv = opts.env ?? {};
  }

  /** Copies the program, logs in to a new DIY backend and runs `pulumi stack init`. */
  static async create(opts: WorkspaceOptions): Promise<PulumiWorkspace> {
    const parent = opts.parent ?? path.join(REPO_ROOT, ".e2e");
    mkdirSync(parent, { recursive: true });
    const root = mkdtempSync(path.join(parent, `${opts.program.project}-`));
    const dir = path.join(root, "project");
    mkdirSync(dir);
    for (const [from, to] of opts.program.files) cpSync(path.join(REPO_ROOT, from), path.join(dir, to), { recursive: true });
    for (const [to, content] of Object.entries(opts.program.write ?? {})) {
      mkdirSync(path.dirname(path.join(dir, to)), { recursive: true });
      writeFileSync(path.join(dir, to), content);
    }
    mkdirSync(path.join(root, "backend"));
    mkdirSync(path.join(root, "home"));
    const ws = new PulumiWorkspace(opts.program, dir, root, opts);
    await ws.cli(["stack", "init", ws.stack]);
    return ws;
  }

  /** The environment every command runs with: nothing from the caller's Pulumi or Adobe settings leaks in. */
  get env(): NodeJS.ProcessEnv {
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(PULUMI_|ADOBE_)/.test(k)));
    return {
      ...inherited,
      PATH: [this.tools.pulumiDir, this.tools.nodeDir, process.env.PATH ?? ""].join(path.delimiter),
      PULUMI_HOME: path.join(this.root, "home"),
      PULUMI_BACKEND_URL: `file://${path.join(this.root, "backend")}`,
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      ...this.extraEnv,
    };
  }

  /**
   * Whether the DIY backend holds a lock file for the stack (`.pulumi/locks/...`): a CLI killed
   * before it let go of the stack leaves one, and every later update refuses until `pulumi cancel`.
   */
  isLocked(): boolean {
    return filesUnder(path.join(this.root, "backend", ".pulumi", "locks")).length > 0;
  }

  /**
   * After a SIGKILL that landed while the CLI wrote the stack's checkpoint: when the checkpoint
   * no longer loads (`failed to load checkpoint`), puts back the previous one, which the DIY
   * backend keeps beside it as `<stack>.json.bak`, the user's remedy (docs/RELIABILITY.md, "After
   * a killed `up`"). Whether it had to. `seen`: a command already failed so, put it back without asking.
   */
  async restoreTornCheckpoint(opts: { seen?: boolean } = {}): Promise<boolean> {
    const exported = opts.seen ? undefined : await this.cli(["stack", "export"], { allowFailure: true });
    if (exported && (exported.code === 0 || !/failed to load checkpoint/.test(exported.stderr + exported.stdout))) return false;
    const backups = filesUnder(path.join(this.root, "backend", ".pulumi", "stacks")).filter((f) => path.basename(f) === `${this.stack}.json.bak`);
    if (backups.length !== 1) throw new Error(`The checkpoint of ${this.stack} does not load and ${backups.length} backups were found.`);
    cpSync(backups[0], backups[0].replace(/\.bak$/, ""));
    return true;
  }

  /** Runs `pulumi <args>` in the project folder; throws a {@link CommandError} on a non-zero exit unless `allowFailure`. */
  async cli(args: string[], opts: CommandOptions = {}): Promise<CommandResult> {
    const started = Date.now();
    const result = await new Promise<CommandResult>((resolve, reject) => {
      const to = opts.signalWhen?.to ?? "cli";
      const child = spawn(this.tools.pulumi, args, { cwd: this.dir, env: { ...this.env, ...opts.env }, stdio: ["pipe", "pipe", "pipe"], detached: to !== "cli" });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      if (opts.signalWhen) {
        const { signal = "SIGINT", after, until } = opts.signalWhen;
        let closed = false;
        let survivors: number[] = [];
        const send = () => {
          if (closed) return;
          if (to === "group" && child.pid !== undefined) survivors = processTree(child.pid).filter((pid) => pid !== child.pid);
          // A tree is signalled the CLI first, and a SIGKILL reaches it frozen (SIGSTOP): a CLI that
          // outlived its provider by a moment would record the provider's death as the create's
          // failure, and clear its pending operation, before its own SIGKILL landed.
          const pids = child.pid === undefined ? [] : to === "tree" ? processTree(child.pid).reverse() : [to === "group" ? -child.pid : child.pid];
          if (to === "tree" && signal === "SIGKILL") for (const pid of pids) signalIfAlive(pid, "SIGSTOP");
          for (const pid of pids) signalIfAlive(pid, signal);
        };
        const poll = async (): Promise<void> => {
          while (!closed && !(await until!().catch(() => false))) await new Promise((r) => setTimeout(r, 20));
          send();
        };
        const timer = setTimeout(() => (until ? void poll() : send()), after ?? 0);
        timer.unref();
        child.on("close", () => {
          closed = true;
          clearTimeout(timer);
          if (survivors.length > 0) {
            setTimeout(() => {
              for (const pid of survivors) signalIfAlive(pid, "SIGKILL");
            }, 2000).unref();
          }
        });
      }
      opts.onSpawn?.(child.pid);
      child.stdin.end(opts.stdin ?? "");
      child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr, ms: Date.now() - started }));
    });
    if (result.code !== 0 && !opts.allowFailure) throw new CommandError(args, result);
    return result;
  }

  /**
   * Sets stack config in one `pulumi config set-all --json`; `secrets` are encrypted in the stack
   * file. A value that is a JSON list or object (`'["a","b"]'`) is stored as one, as a project's
   * `type: array` config needs.
   */
  async setConfig(plain: Record<string, string>, secrets: Record<string, string> = {}): Promise<void> {
    const entry = (value: string, secret: boolean) => {
      if (/^\s*[[{]/.test(value)) {
        try {
          return { value, objectValue: JSON.parse(value) as unknown, secret };
        } catch {
          // a string that only looks like JSON
        }
      }
      return { value, secret };
    };
    const values = {
      ...Object.fromEntries(Object.entries(plain).map(([k, v]) => [k, entry(v, false)])),
      ...Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, entry(v, true)])),
    };
    if (Object.keys(values).length > 0) await this.cli(["config", "set-all", "--json", JSON.stringify(values)]);
  }

  /** The stack's config file, as the CLI wrote it. */
  stackFile(): string {
    return readFileSync(path.join(this.dir, `Pulumi.${this.stack}.yaml`), "utf8");
  }

  /**
   * Runs an engine operation (`preview`, `up`, `refresh`, `destroy`) with `--json`, so the engine
   * streams its events on stdout; throws on failure unless `allowFailure`.
   */
  async operation(kind: "preview" | "up" | "refresh" | "destroy", args: string[] = [], opts: OperationOptions = {}): Promise<OperationResult> {
    const full = [kind, "--json", "--non-interactive", ...(kind === "preview" ? [] : ["--yes", "--skip-preview"]), ...args];
    const result = await this.cli(full, { ...opts, allowFailure: true, env: { PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true", ...opts.env } });
    const events = parseEngineEvents(result.stdout);
    const summary = events.find((e) => e.summaryEvent)?.summaryEvent;
    const op: OperationResult = { ...result, events, steps: parseSteps(events), changes: { ...(summary?.resourceChanges ?? {}) } };
    if (result.code !== 0 && !opts.allowFailure) throw new CommandError(full, result);
    return op;
  }

  preview(args: string[] = [], opts: OperationOptions = {}): Promise<OperationResult> {
    return this.operation("preview", args, opts);
  }

  up(args: string[] = [], opts: OperationOptions = {}): Promise<OperationResult> {
    return this.operation("up", args, opts);
  }

  refresh(args: string[] = [], opts: OperationOptions = {}): Promise<OperationResult> {
    return this.operation("refresh", args, opts);
  }

  destroy(args: string[] = [], opts: OperationOptions = {}): Promise<OperationResult> {
    return this.operation("destroy", args, opts);
  }

  /** `pulumi preview --json [--diff]`: the engine's own JSON of the plan (what a PR comment is made from). */
  async previewJson(args: string[] = []): Promise<PreviewJson> {
    const full = ["preview", "--json", "--non-interactive", ...args];
    const result = await this.cli(full);
    const plan = parsePreviewJson(result.stdout);
    if (!plan) throw new CommandError(full, result);
    return plan;
  }

  /** `pulumi stack export` (the checkpoint, secrets encrypted). `showSecrets` decrypts them. */
  async exportState(opts: { showSecrets?: boolean } = {}): Promise<Deployment> {
    const result = await this.cli(["stack", "export", ...(opts.showSecrets ? ["--show-secrets"] : [])]);
    return JSON.parse(result.stdout) as Deployment;
  }

  async importState(deployment: Deployment): Promise<void> {
    const file = path.join(this.root, `import-${++this.operations}.json`);
    writeFileSync(file, JSON.stringify(deployment));
    await this.cli(["stack", "import", "--file", file]);
  }

  /** Stack outputs (`pulumi stack output --json`), secrets shown. */
  async outputs(): Promise<Record<string, unknown>> {
    return JSON.parse((await this.cli(["stack", "output", "--json", "--show-secrets"])).stdout) as Record<string, unknown>;
  }

  /** Writes (or replaces) a file of the program copy. */
  writeFile(relative: string, content: string): void {
    mkdirSync(path.dirname(path.join(this.dir, relative)), { recursive: true });
    writeFileSync(path.join(this.dir, relative), content);
  }

  readFile(relative: string): string {
    return readFileSync(path.join(this.dir, relative), "utf8");
  }

  /** Removes the workspace folder (backend and home included). */
  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export type { PreviewJson } from "./events";

/** `pulumi stack export` (version 3 deployments): the fields the tests read. */
export interface Deployment {
  version: number;
  deployment: {
    manifest?: unknown;
    secrets_providers?: { type: string; state?: unknown };
    resources?: Array<{
      urn: string;
      type: string;
      id?: string;
      custom?: boolean;
      protect?: boolean;
      delete?: boolean;
      inputs?: Record<string, unknown>;
      outputs?: Record<string, unknown>;
      parent?: string;
    }>;
    pending_operations?: Array<{ resource: { urn: string; type: string }; type: string }>;
  };
}

/** Every file below `dir`, at any depth ([] when it does not exist). */
function filesUnder(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)])) : [];
}
