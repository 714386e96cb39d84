/**
 * The engines the soak runs its stacks through, each stack run being `pulumi up --refresh` from
 * the state the stack's previous run left:
 *
 * - `cli` (`npm run soak`): the real Pulumi CLI. Each stack has a workspace of its own
 *   (cli/workspace.ts: a copy of the program under `.e2e/`, a DIY backend, stack `soak`); a run sets
 *   the config keys its variant changed (`pulumi config set-all`), runs `pulumi up --refresh
 *   --skip-preview`, and reads the checkpoint back with `pulumi stack export`. Every run is a new
 *   CLI process with a new provider process (a new IMS token, a fresh rate limiter).
 * - `in-process` (the unit suite's small soak): bench/in-process-engine.ts, NOT the Pulumi
 *   engine: the program under the SDK's mocks and each resource through its real serialized
 *   provider, a refresh then an update, in milliseconds. All runs share one provider runtime.
 */
import type { EngineEvent } from "../../cli/events";
import { PulumiWorkspace, type Deployment } from "../../cli/workspace";
import { toolchain } from "../../cli/toolchain";
import { EngineRunError, runProgram, type EngineState } from "../in-process-engine";
import type { SoakState } from "./emulator-view";
import type { SoakStack } from "./soak-stack";

export const SOAK_ENGINES = ["cli", "in-process"] as const;
export type SoakEngineName = (typeof SOAK_ENGINES)[number];

/** Config keys that are secrets in the stack. */
const SECRET_KEYS = ["adobe:clientSecret"];

/** The stack's name in every engine (URNs read `urn:pulumi:soak::<project>::...`). */
export const SOAK_STACK_NAME = "soak";

export interface UpResult {
  ok: boolean;
  /** The state the run left (undefined: the stack has none yet). */
  state: SoakState | undefined;
  /** One per failed resource, `<urn>: <message>`, as the user reads them; other errors as they come. */
  errors: string[];
  /** Set when the engine itself broke (not a resource failing): what it said. */
  crash?: string;
  /** Set when a kill plan stopped the run before it ended: the plan, and whether the stack's lock had to be removed (`pulumi cancel`). */
  killed?: { describe: string; signal: string; cancelled: boolean; pendingCreatesCleared?: number };
  /** When the run started and ended (the emulator logs requests with the same clock). */
  from: number;
  to: number;
}

/**
 * How a kill soak stops one `pulumi up`: SIGKILL to every process of the run (CLI, language host,
 * program, providers: a machine that dies), or SIGINT to the CLI's process group (a terminal's
 * Ctrl-C), `afterMs` after it started, or once `until` says so (the emulator holds the answer to a
 * write it carried out).
 */
export interface KillPlan {
  signal: "SIGKILL" | "SIGINT";
  afterMs?: number;
  until?: () => Promise<boolean>;
  /** What the plan aims at, for the report: `SIGKILL after 3.2 s`, `SIGKILL once Adobe carried out write 2`. */
  describe: string;
  /** What the kill met, asked after it (the write whose answer was held). */
  detail?: () => Promise<string | undefined>;
}

export interface SoakEngine {
  name: SoakEngineName;
  /** What ran the programs, for the report: the engine (with its version) and the Node.js of the programs and providers. */
  describe: { engine: string; pulumiVersion?: string; programNode: string };
  /** `pulumi up --refresh` of `stack` declaring `variant`, from the state its previous run left; stopped by `kill` when given. */
  up<V>(stack: SoakStack<V>, variant: V, kill?: KillPlan): Promise<UpResult>;
  /**
   * Drops the pending creates a killed run left in the checkpoint, once a later `up` adopted their
   * objects (`pulumi refresh --clear-pending-creates`, the CLI's remedy); how many it dropped.
   */
  clearPendingCreates<V>(stack: SoakStack<V>): Promise<{ cleared: number; state: SoakState | undefined }>;
  /** Removes what the engine made (workspaces). */
  close(): Promise<void>;
}

export function soakEngine(name: SoakEngineName): SoakEngine {
  return name === "cli" ? new CliEngine() : new InProcessEngine();
}

function split(config: Record<string, string>): { plain: Record<string, string>; secrets: Record<string, string> } {
  const plain: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) (SECRET_KEYS.includes(k) ? secrets : plain)[k] = v;
  return { plain, secrets };
}

/** The checkpoint as the checks read it. */
export function stateOfDeployment(deployment: Deployment): SoakState {
  return {
    resources: (deployment.deployment.resources ?? []).map((r) => ({
      urn: r.urn,
      type: r.type,
      id: r.id ?? "",
      outputs: r.outputs ?? {},
      ...(r.delete ? { pendingDelete: true } : {}),
    })),
    pendingOperations: (deployment.deployment.pending_operations ?? []).map((p) => `${p.type} ${p.resource.urn}`),
  };
}

/** The CLI's closing line of a failed operation, which names nothing. */
const CLOSING = /^(update|preview|refresh|destroy) failed$/;

/** The error diagnostics of an operation: `<urn>: <message>` for a resource's, the message alone for others. */
export function cliErrors(events: EngineEvent[]): string[] {
  const errors: string[] = [];
  for (const e of events) {
    const d = e.diagnosticEvent;
    if (!d || d.severity !== "error") continue;
    const message = d.message.trim();
    if (!d.urn && CLOSING.test(message)) continue;
    errors.push(d.urn ? `${d.urn}: ${message}` : message);
  }
  return errors;
}

class CliEngine implements SoakEngine {
  readonly name = "cli" as const;
  readonly describe: SoakEngine["describe"];
  private readonly workspaces = new Map<string, { ws: PulumiWorkspace; config: Record<string, string>; state?: SoakState }>();

  constructor() {
    const tools = toolchain();
    this.describe = { engine: `pulumi CLI ${tools.pulumiVersion}`, pulumiVersion: tools.pulumiVersion, programNode: tools.nodeVersion };
  }

  private async workspace<V>(stack: SoakStack<V>) {
    let entry = this.workspaces.get(stack.name);
    if (!entry) {
      entry = { ws: await PulumiWorkspace.create({ program: stack.cliProgram, stack: SOAK_STACK_NAME }), config: {} };
      this.workspaces.set(stack.name, entry);
    }
    return entry;
  }

  async up<V>(stack: SoakStack<V>, variant: V, kill?: KillPlan): Promise<UpResult> {
    let from = Date.now();
    const entry = await this.workspace(stack);
    try {
      // Only what the variant changed: `config set-all` is a CLI process of its own.
      const wanted = stack.config(variant);
      const changed = Object.fromEntries(Object.entries(wanted).filter(([k, v]) => entry.config[k] !== v));
      const { plain, secrets } = split(changed);
      await entry.ws.setConfig(plain, secrets);
      entry.config = wanted;

      from = Date.now();
      // SIGKILL as a machine that dies (every process of the run); SIGINT as a terminal's Ctrl-C.
      const signalWhen = kill && { signal: kill.signal, after: kill.afterMs, until: kill.until, to: kill.signal === "SIGKILL" ? ("tree" as const) : ("group" as const) };
      const run = await entry.ws.up(["--refresh"], { allowFailure: true, signalWhen });
      const to = Date.now();
      if (kill && run.code !== 0) {
        // A CLI killed before it let go of the stack leaves the DIY backend's lock file; the CLI's
        // own remedy, which its refusal names, is `pulumi cancel`.
        const cancelled = entry.ws.isLocked() ? (await entry.ws.cli(["cancel", "--yes", "--non-interactive"], { allowFailure: true })).code === 0 : false;
        entry.state = stateOfDeployment(await entry.ws.exportState());
        const met = await kill.detail?.();
        const describe = met ? `${kill.describe} (${met})` : kill.describe;
        return { ok: false, state: entry.state, errors: cliErrors(run.events), killed: { describe, signal: kill.signal, cancelled }, from, to };
      }
      entry.state = stateOfDeployment(await entry.ws.exportState());
      const errors = cliErrors(run.events);
      if (run.code === 0) return { ok: true, state: entry.state, errors: [], from, to };
      const ended = run.events.some((e) => e.summaryEvent);
      if (!ended && errors.length === 0) {
        return { ok: false, state: entry.state, errors, crash: `pulumi up exited ${run.code} with no summary and no error: ${run.stderr.slice(-2000)}`, from, to };
      }
      return { ok: false, state: entry.state, errors, from, to };
    } catch (error) {
      return { ok: false, state: entry.state, errors: [], crash: (error as Error).stack ?? String(error), from, to: Date.now() };
    }
  }

  async clearPendingCreates<V>(stack: SoakStack<V>): Promise<{ cleared: number; state: SoakState | undefined }> {
    const entry = await this.workspace(stack);
    const pending = (entry.state?.pendingOperations ?? []).filter((op) => op.startsWith("creating "));
    if (pending.length === 0) return { cleared: 0, state: entry.state };
    await entry.ws.cli(["refresh", "--clear-pending-creates", "--yes", "--skip-preview", "--non-interactive"]);
    entry.state = stateOfDeployment(await entry.ws.exportState());
    return { cleared: pending.length, state: entry.state };
  }

  async close(): Promise<void> {
    for (const { ws } of this.workspaces.values()) ws.dispose();
    this.workspaces.clear();
  }
}

class InProcessEngine implements SoakEngine {
  readonly name = "in-process" as const;
  readonly describe = { engine: "in-process engine (bench/in-process-engine.ts)", programNode: process.version };
  private readonly states = new Map<string, EngineState | undefined>();

  async up<V>(stack: SoakStack<V>, variant: V, kill?: KillPlan): Promise<UpResult> {
    if (kill) throw new Error("the in-process engine cannot be killed: run the kill soak with the real CLI (--engine cli)");
    const from = Date.now();
    const options = { project: stack.project, stack: SOAK_STACK_NAME, config: stack.config(variant), secretKeys: SECRET_KEYS };
    let current = this.states.get(stack.name);
    const done = (result: Omit<UpResult, "from" | "to">, state: EngineState | undefined): UpResult => {
      this.states.set(stack.name, state);
      return { ...result, from, to: Date.now() };
    };
    try {
      if (current) current = (await runProgram(stack.inProcessProgram, { ...options, kind: "refresh", state: current })).state;
      const result = await runProgram(stack.inProcessProgram, { ...options, kind: "up", state: current });
      return done({ ok: true, state: result.state, errors: [] }, result.state);
    } catch (error) {
      if (error instanceof EngineRunError) {
        const errors = error.failures.length > 0 ? error.failures.map((f) => `${f.urn}: ${f.error.message}`) : error.programErrors.map((e) => e.message);
        return done({ ok: false, state: error.state, errors }, error.state);
      }
      return done({ ok: false, state: current, errors: [], crash: (error as Error).stack ?? String(error) }, current);
    }
  }

  async clearPendingCreates<V>(stack: SoakStack<V>): Promise<{ cleared: number; state: SoakState | undefined }> {
    return { cleared: 0, state: undefined };
  }

  async close(): Promise<void> {
    this.states.clear();
  }
}
