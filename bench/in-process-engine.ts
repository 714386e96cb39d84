/**
 * The in-process engine of the unit suite: NOT the Pulumi engine. The real `pulumi` CLI is the
 * engine of record (cli/, the real-CLI suite in e2e/, `npm run example`, the benchmark and the
 * soak); this runner stays because it runs a program in milliseconds, inside jest, and
 * e2e/engine-parity.test.ts checks that it takes the same steps and sends the same requests as
 * the real CLI on the same scenario. Where the two are known to differ is listed at the end.
 *
 * It runs a Pulumi program without the Pulumi CLI: the program runs under
 * `pulumi.runtime.setMocks`, and each dynamic resource registration goes through the real
 * serialized provider (`__provider`, loaded the way the SDK's provider host loads it), with the
 * engine's step logic around it:
 *
 * - `up` without a previous state: check → create.
 * - `up` with the previous run's state: check → diff → update (only when diff says so), replace
 *   when diff names a replacing key, same otherwise; resources gone from the program are deleted.
 *   A replace creates the new object first and deletes the old one after the program; when the
 *   run fails before that delete (or the delete fails), the old object stays in the state marked
 *   `pendingDelete`, and the next `up` deletes it before anything else, as Pulumi does.
 * - A resource registered with the `id` option (a lookup) is read, in `up` and `preview` alike:
 *   `read(id, inputs)`, no check; its state is marked external and it is never deleted. With an
 *   id not known yet (preview) the read is skipped and its outputs are unknown.
 * - `preview`: check, and diff when there is a previous state; never create, update or delete.
 *   Outputs of what would change are unknown, as in a real preview.
 * - `refresh`: the program does not run; every dynamic resource of the previous state is read
 *   (`read(id, outputs)`, all at once, as the engine's parallel refresh steps do) and its state
 *   replaced by what read returned; a resource whose read returns no id is dropped from the state.
 *
 * What it leaves out of the engine: import, resource options (protect, ignoreChanges,
 * aliases...), parents in URNs (every resource is at the stack's top level), parallelism limits.
 * And where the real engine differs (seen through the real CLI): a new provider process (so a new
 * IMS token) per operation; `refresh` and `destroy` configure the provider from the config stored
 * in the state, not from the stack's current config; the project's config schema (types, required
 * keys) is enforced; the dynamic provider host reports no changed keys (no `diffs`).
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as packageRuntime from "../provider/runtime";

type Props = Record<string, unknown>;

const PROVIDER_KEY = "__provider";

/** The string the engine sends for a value not known during a preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * What the engine did with one resource. In a refresh: `same` (read found what the state holds),
 * `update` (the state took the live values), `delete` (the object is gone; dropped from the state).
 */
export type Operation = "create" | "update" | "replace" | "same" | "delete" | "read";

export interface ResourceState {
  urn: string;
  type: string;
  name: string;
  id: string;
  custom: boolean;
  /** Checked inputs, `__provider` included (as the engine stores them). */
  inputs: Props;
  /** Outputs, `__provider` included. */
  outputs: Props;
  /** A replaced object not yet deleted: the next `up` deletes it first (Pulumi's `delete: true`). */
  pendingDelete?: boolean;
  /** Read, not made, by the stack (Pulumi's `external: true`): never deleted. */
  external?: boolean;
}

/** The stack's state after a run, in the order the resources registered; plain JSON, so it can be saved to a file. */
export interface EngineState {
  resources: ResourceState[];
}

export interface Step {
  urn: string;
  type: string;
  name: string;
  op: Operation;
  /** True in a preview: nothing was done. */
  preview: boolean;
  id?: string;
  /** Replacing keys named by diff. */
  replaces?: string[];
}

export interface RunOptions {
  kind: "up" | "preview" | "refresh";
  project: string;
  stack: string;
  /** The full stack config, namespaced (`adobe:clientId`, `<project>:dataViewName`). */
  config: Record<string, string>;
  /** Config keys that are secrets (the program sees them as secret Outputs). */
  secretKeys?: string[];
  /** The previous run's state; none for a new stack (a refresh needs one). */
  state?: EngineState;
  /** Called after each step, in the order the steps finish. */
  onStep?: (step: Step) => void;
  /**
   * Modules the serialized providers `require` by name, resolved here instead of from a
   * node_modules folder. Default: this package's runtime under its exported name, as a Pulumi
   * project that installed the package would resolve it.
   */
  modules?: Record<string, unknown>;
}

export interface RunResult {
  /** The new state (a preview returns the previous state unchanged). */
  state: EngineState;
  steps: Step[];
  /** The program's stack outputs; a value unknown in a preview is {@link UNKNOWN}. */
  outputs: Record<string, unknown>;
}

/** A run whose resources failed; `steps` and `state` hold what succeeded. */
export class EngineRunError extends Error {
  constructor(
    message: string,
    /** The resources whose provider call failed (check failures, provider errors). */
    readonly failures: { urn: string; error: Error }[],
    /** Errors of the program itself, and of resources that could not register because a dependency failed. */
    readonly programErrors: Error[],
    readonly steps: Step[],
    readonly state: EngineState,
  ) {
    super(message);
    this.name = "EngineRunError";
  }
}

interface LoadedProvider {
  provider: pulumi.dynamic.ResourceProvider;
  configured: Promise<void>;
}

interface NodeModuleInternals {
  new (id: string, parent?: unknown): NodeModuleInstance;
  _nodeModulePaths(from: string): string[];
  prototype: { require(this: NodeModuleInstance, id: string): unknown };
}

interface NodeModuleInstance {
  filename: string;
  paths: string[];
  exports: { handler?: () => pulumi.dynamic.ResourceProvider };
  require(id: string): unknown;
  _compile(code: string, filename: string): void;
}

/**
 * Loads a serialized provider as the SDK's provider host does (`require-from-string` of the text,
 * then `handler()`), except that the names in `modules` resolve to the given modules.
 */
export function loadSerializedProvider(text: string, modules: Record<string, unknown>): pulumi.dynamic.ResourceProvider {
  const Module = require("module") as NodeModuleInternals;
  const filename = path.join(__dirname, "__provider.js");
  const m = new Module(filename, module);
  m.filename = filename;
  m.paths = Module._nodeModulePaths(__dirname);
  m.require = (id: string) => (Object.prototype.hasOwnProperty.call(modules, id) ? modules[id] : Module.prototype.require.call(m, id));
  m._compile(text, filename);
  if (typeof m.exports.handler !== "function") throw new Error("the serialized provider exports no handler()");
  return m.exports.handler();
}

/**
 * Routes the process's unhandled rejections to `handler` until the returned function is called,
 * which puts the previous handlers back. It reaches the real `process` through a module compiled
 * by Node itself: under jest, the global `process` is a sandbox copy that Node never emits on.
 */
function takeOverUnhandledRejections(handler: (reason: unknown) => void): () => void {
  const Module = require("module") as NodeModuleInternals;
  const m = new Module(path.join(__dirname, "__host-process.js"), module);
  m._compile("module.exports = process;", path.join(__dirname, "__host-process.js"));
  const host = m.exports as unknown as NodeJS.Process;
  const previous = host.listeners("unhandledRejection");
  host.removeAllListeners("unhandledRejection");
  host.on("unhandledRejection", handler);
  return () => {
    host.off("unhandledRejection", handler);
    for (const listener of previous) host.on("unhandledRejection", listener);
  };
}

/** `pulumi.dynamic.Config` as the host builds it: unqualified keys get the project's namespace. */
function dynamicConfig(config: Record<string, string>, project: string): pulumi.dynamic.Config {
  const get = (key: string) => config[key.includes(":") ? key : `${project}:${key}`];
  return {
    get,
    require(key: string) {
      const value = get(key);
      if (value === undefined) throw new Error(`Missing required configuration variable '${key}'`);
      return value;
    },
  };
}

/** Inputs as the engine sends them to a provider: the SDK's unknown values become the sentinel. */
function toWire(value: unknown): unknown {
  if (pulumi.Output.isInstance(value)) throw new Error("an Output reached the in-process engine; inputs should be resolved");
  if (pulumi.isUnknown(value)) return UNKNOWN;
  if (Array.isArray(value)) return value.map(toWire);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Props).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toWire(v)]));
  }
  return value;
}

function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function canonical(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v !== null && typeof v === "object"
        ? Object.fromEntries(Object.keys(v as Props).sort().map((k) => [k, sort((v as Props)[k])]))
        : v;
  return JSON.stringify(sort(value));
}

function describeFailures(failures: pulumi.dynamic.CheckFailure[]): string {
  return failures.map((f) => `${f.property}: ${f.reason}`).join("; ");
}

/** Resolves a stack output; unknown parts become {@link UNKNOWN}. */
async function resolveOutput(value: unknown): Promise<unknown> {
  const output = pulumi.output(value) as unknown as { promise(withUnknowns: boolean): Promise<unknown> };
  const resolved = await output.promise(true);
  return replaceUnknowns(resolved);
}

function replaceUnknowns(value: unknown): unknown {
  if (pulumi.isUnknown(value)) return UNKNOWN;
  if (Array.isArray(value)) return value.map(replaceUnknowns);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value as Props).map(([k, v]) => [k, replaceUnknowns(v)]));
  return value;
}

/** Loads each serialized provider once per run and configures it with the stack config. */
function providerLoader(options: RunOptions, modules: Record<string, unknown>): (text: unknown) => Promise<pulumi.dynamic.ResourceProvider> {
  const providers = new Map<string, LoadedProvider>();
  const providerConfig = dynamicConfig(options.config, options.project);
  return async (text) => {
    if (typeof text !== "string") throw new Error(`code must be a string, not ${typeof text}`);
    let loaded = providers.get(text);
    if (!loaded) {
      const provider = loadSerializedProvider(text, modules);
      loaded = { provider, configured: Promise.resolve(provider.configure?.({ config: providerConfig })) };
      providers.set(text, loaded);
    }
    await loaded.configured;
    return loaded.provider;
  };
}

/**
 * `pulumi refresh`: reads every dynamic resource of the state at once with its stored outputs
 * (`__provider` included, as the host passes them) and keeps what `read` returned: its `props` as
 * the outputs, its `inputs` (when given) as the inputs. Other resources are kept as they are.
 */
async function refreshState(options: RunOptions, providerFor: (text: unknown) => Promise<pulumi.dynamic.ResourceProvider>): Promise<RunResult> {
  if (!options.state) throw new Error("a refresh needs the state of a previous run");
  const steps: Step[] = [];
  const record = (step: Step) => {
    steps.push(step);
    options.onStep?.(step);
  };
  // Keyed by the state entry: a replaced object pending deletion shares its URN with its replacement.
  const refreshed = new Map<ResourceState, ResourceState | null>();
  const failures: { urn: string; error: Error }[] = [];

  await Promise.all(
    options.state.resources
      .filter((r) => r.custom && r.type.startsWith("pulumi-nodejs:dynamic"))
      .map(async (r) => {
        try {
          const provider = await providerFor(r.outputs[PROVIDER_KEY]);
          if (!provider.read) {
            record({ urn: r.urn, type: r.type, name: r.name, op: "same", preview: false, id: r.id });
            return;
          }
          const result = await provider.read(r.id, r.outputs);
          if (!result.id) {
            refreshed.set(r, null);
            record({ urn: r.urn, type: r.type, name: r.name, op: "delete", preview: false, id: r.id });
            return;
          }
          const outputs = plain({ ...(result.props ?? {}), [PROVIDER_KEY]: r.outputs[PROVIDER_KEY] }) as Props;
          const inputs = result.inputs ? (plain({ ...result.inputs, [PROVIDER_KEY]: r.inputs[PROVIDER_KEY] }) as Props) : r.inputs;
          refreshed.set(r, { ...r, id: result.id, inputs, outputs });
          const op: Operation = canonical(outputs) === canonical(r.outputs) && result.id === r.id ? "same" : "update";
          record({ urn: r.urn, type: r.type, name: r.name, op, preview: false, id: result.id });
        } catch (error) {
          failures.push({ urn: r.urn, error: error as Error });
        }
      }),
  );

  const resources = options.state.resources.flatMap((r) => {
    const after = refreshed.get(r);
    return after === undefined ? [r] : after === null ? [] : [after];
  });
  if (failures.length > 0) {
    const lines = failures.map((f) => `  ${f.urn}: ${f.error.message}`);
    throw new EngineRunError(`${failures.length} resource${failures.length === 1 ? "" : "s"} failed to refresh:\n${lines.join("\n")}`, failures, [], steps, { resources });
  }
  return { state: { resources }, steps, outputs: {} };
}

/**
 * Runs `program` (it declares the resources and returns the stack outputs, e.g. a module's
 * exports) once, as `pulumi up`, `pulumi preview` or `pulumi refresh` would (a refresh does not
 * run the program, and returns no stack outputs). One call = one provider host process: the
 * package runtime's per-run caches are cleared first.
 * @throws EngineRunError when a resource failed (check failures, provider errors)
 */
export async function runProgram(program: () => unknown, options: RunOptions): Promise<RunResult> {
  const preview = options.kind === "preview";
  const modules = options.modules ?? { "pulumi-adobe-cja/runtime": packageRuntime };
  const runtimeModule = modules["pulumi-adobe-cja/runtime"] as { clearComponentCache?: () => void } | undefined;
  runtimeModule?.clearComponentCache?.();
  const providerFor = providerLoader(options, modules);
  if (options.kind === "refresh") return refreshState(options, providerFor);

  const oldResources = options.state?.resources ?? [];
  const previous = new Map(oldResources.filter((r) => !r.pendingDelete).map((r) => [r.urn, r]));
  const registered = new Map<string, ResourceState>();
  const steps: Step[] = [];
  const failures: { urn: string; error: Error }[] = [];

  const record = (step: Step) => {
    steps.push(step);
    options.onStep?.(step);
  };

  const deleteResource = async (r: ResourceState) => {
    if (r.external || !r.custom || !r.type.startsWith("pulumi-nodejs:dynamic")) return;
    const provider = await providerFor(r.outputs[PROVIDER_KEY]);
    await provider.delete?.(r.id, r.outputs);
  };

  // Objects a failed run replaced but could not delete go first.
  const pendingDeletes = oldResources.filter((r) => r.pendingDelete);
  for (const r of pendingDeletes) {
    if (!preview) {
      try {
        await deleteResource(r);
      } catch (error) {
        const remaining = oldResources.filter((o) => !o.pendingDelete || pendingDeletes.indexOf(o) >= pendingDeletes.indexOf(r));
        throw new EngineRunError(`1 resource failed:\n  ${r.urn}: ${(error as Error).message}`, [{ urn: r.urn, error: error as Error }], [], steps, { resources: remaining });
      }
    }
    record({ urn: r.urn, type: r.type, name: r.name, op: "delete", preview, id: r.id });
  }
  const survivors = oldResources.filter((r) => !r.pendingDelete);

  const urnOf = (type: string, name: string) => `urn:pulumi:${options.stack}::${options.project}::${type}::${name}`;

  const registerDynamic = async (urn: string, type: string, name: string, news: Props): Promise<pulumi.runtime.MockResourceResult> => {
    const provider = await providerFor(news[PROVIDER_KEY]);
    const old = previous.get(urn);
    const checked = provider.check ? await provider.check(old?.inputs ?? {}, news) : { inputs: news };
    if (checked.failures && checked.failures.length > 0) throw new Error(`${type} ${name}: ${describeFailures([...checked.failures])}`);
    const inputs = { ...(checked.inputs ?? news), [PROVIDER_KEY]: news[PROVIDER_KEY] } as Props;

    let op: Operation = "create";
    let replaces: string[] = [];
    let deleteFirst = false;
    if (old) {
      const diff: pulumi.dynamic.DiffResult = provider.diff
        ? await provider.diff(old.id, old.outputs, inputs)
        : { changes: undefined };
      replaces = [...(diff.replaces ?? [])];
      deleteFirst = diff.deleteBeforeReplace === true;
      const changed = diff.changes ?? canonical(old.inputs) !== canonical(inputs);
      op = replaces.length > 0 ? "replace" : changed ? "update" : "same";
    }

    if (op === "same") {
      registered.set(urn, { ...old!, inputs });
      record({ urn, type, name, op, preview, id: old!.id });
      return { id: old!.id, state: old!.outputs };
    }
    if (preview) {
      registered.set(urn, { urn, type, name, id: old?.id ?? "", custom: true, inputs, outputs: inputs });
      record({ urn, type, name, op, preview, id: old?.id, ...(replaces.length ? { replaces } : {}) });
      return { id: op === "update" ? old!.id : undefined, state: inputs };
    }
    if (op === "update") {
      if (!provider.update) throw new Error(`${type} ${name}: the provider has no update`);
      const result = await provider.update(old!.id, old!.outputs, inputs);
      const outputs = plain({ ...(result.outs ?? {}), [PROVIDER_KEY]: inputs[PROVIDER_KEY] }) as Props;
      registered.set(urn, { urn, type, name, id: old!.id, custom: true, inputs, outputs });
      record({ urn, type, name, op, preview, id: old!.id });
      return { id: old!.id, state: outputs };
    }
    // create, or the create half of a replace: the old one is deleted after the program, as Pulumi
    // does by default, or first when the provider asks (delete-before-replace; this engine does not
    // replace the old one's dependents first, as Pulumi would)
    if (op === "replace" && deleteFirst) {
      await provider.delete?.(old!.id, old!.outputs);
      deletedFirst.add(old!);
    }
    const created = await provider.create(inputs);
    if (!created.id) throw new Error(`${type} ${name}: provider did not return an ID from Create`);
    const outputs = plain({ ...(created.outs ?? {}), [PROVIDER_KEY]: inputs[PROVIDER_KEY] }) as Props;
    registered.set(urn, { urn, type, name, id: created.id, custom: true, inputs, outputs });
    if (op === "replace" && !deleteFirst) pendingReplacements.push(old!);
    record({ urn, type, name, op, preview, id: created.id, ...(replaces.length ? { replaces } : {}) });
    return { id: created.id, state: outputs };
  };

  const readDynamic = async (urn: string, type: string, name: string, news: Props, id: string): Promise<pulumi.runtime.MockResourceResult> => {
    if (id === UNKNOWN) {
      registered.set(urn, { urn, type, name, id: "", custom: true, external: true, inputs: news, outputs: {} });
      record({ urn, type, name, op: "read", preview, id: undefined });
      return { id: undefined, state: {} };
    }
    const provider = await providerFor(news[PROVIDER_KEY]);
    const result = provider.read ? await provider.read(id, news) : { id, props: news };
    if (!result.id) throw new Error(`resource '${id}' does not exist`);
    const outputs = plain({ ...(result.props ?? {}), [PROVIDER_KEY]: news[PROVIDER_KEY] }) as Props;
    registered.set(urn, { urn, type, name, id: result.id, custom: true, external: true, inputs: news, outputs });
    record({ urn, type, name, op: "read", preview, id: result.id });
    return { id: result.id, state: outputs };
  };

  const pendingReplacements: ResourceState[] = [];
  const deletedFirst = new Set<ResourceState>();

  const mocks: pulumi.runtime.Mocks = {
    async newResource(args) {
      const urn = urnOf(args.type, args.name);
      const news = toWire(args.inputs) as Props;
      if (!args.custom || !args.type.startsWith("pulumi-nodejs:dynamic")) {
        const id = args.custom ? `${args.name}-id` : undefined;
        registered.set(urn, { urn, type: args.type, name: args.name, id: id ?? "", custom: Boolean(args.custom), inputs: news, outputs: news });
        return { id, state: args.inputs };
      }
      try {
        return args.id ? await readDynamic(urn, args.type, args.name, news, args.id) : await registerDynamic(urn, args.type, args.name, news);
      } catch (error) {
        failures.push({ urn, error: error as Error });
        throw error;
      }
    },
    call(args) {
      throw new Error(`the in-process engine implements no invokes (${args.token})`);
    },
  };

  pulumi.runtime.setAllConfig(options.config, options.secretKeys ?? []);
  await pulumi.runtime.setMocks(mocks, options.project, options.stack, preview);

  // The SDK turns a failed registration into an unhandled rejection (on purpose); Pulumi's language
  // host owns that handler and fails the run, and so does this engine while the program runs.
  const programErrors: Error[] = [];
  const restoreHandlers = takeOverUnhandledRejections((reason) => programErrors.push(reason instanceof Error ? reason : new Error(String(reason))));
  const outputs: Record<string, unknown> = {};
  try {
    const exported = await program();
    if (exported !== null && typeof exported === "object") {
      const settled = await Promise.allSettled(Object.entries(exported as Props).map(async ([key, value]) => [key, await resolveOutput(value)] as const));
      for (const result of settled) if (result.status === "fulfilled") outputs[result.value[0]] = result.value[1];
    }
  } catch (error) {
    programErrors.push(error as Error);
  } finally {
    await pulumi.runtime.disconnect();
    await new Promise((resolve) => setImmediate(resolve));
    restoreHandlers();
  }

  if (failures.length > 0 || programErrors.length > 0) {
    const lines = [...failures.map((f) => `  ${f.urn}: ${f.error.message}`), ...(failures.length === 0 ? programErrors.map((e) => `  ${e.message}`) : [])];
    const what = failures.length > 0 ? `${failures.length} resource${failures.length === 1 ? "" : "s"} failed` : "the program failed";
    throw new EngineRunError(`${what}:\n${lines.join("\n")}`, failures, programErrors, steps, {
      resources: [...mergeState(survivors.filter((r) => !deletedFirst.has(r)), registered), ...pendingReplacements.map(markPendingDelete)],
    });
  }

  const gone = [...previous.values()].filter((r) => !registered.has(r.urn)).reverse();
  if (preview) {
    for (const r of gone) record({ urn: r.urn, type: r.type, name: r.name, op: "delete", preview, id: r.id });
    return { state: options.state ?? { resources: [] }, steps, outputs };
  }
  const undeleted: ResourceState[] = [];
  for (const r of [...pendingReplacements, ...gone]) {
    const replaced = pendingReplacements.includes(r);
    try {
      await deleteResource(r);
    } catch (error) {
      failures.push({ urn: r.urn, error: error as Error });
      undeleted.push(replaced ? markPendingDelete(r) : r);
      continue;
    }
    if (!replaced) record({ urn: r.urn, type: r.type, name: r.name, op: "delete", preview, id: r.id });
  }
  const resources = [...registered.values(), ...undeleted];
  if (failures.length > 0) {
    const lines = failures.map((f) => `  ${f.urn}: ${f.error.message}`);
    throw new EngineRunError(`${failures.length} resource${failures.length === 1 ? "" : "s"} failed to delete:\n${lines.join("\n")}`, failures, [], steps, { resources });
  }
  return { state: { resources }, steps, outputs };
}

/** After a failed run the state keeps what the run made or changed, and the rest of the old state. */
function mergeState(old: ResourceState[], registered: Map<string, ResourceState>): ResourceState[] {
  const merged = new Map(old.map((r) => [r.urn, r]));
  for (const [urn, r] of registered) merged.set(urn, r);
  return [...merged.values()];
}

function markPendingDelete(r: ResourceState): ResourceState {
  return { ...r, pendingDelete: true };
}

/** Counts of steps by operation, e.g. `{ create: 27 }`. */
export function countSteps(steps: Step[]): Partial<Record<Operation, number>> {
  const counts: Partial<Record<Operation, number>> = {};
  for (const s of steps) counts[s.op] = (counts[s.op] ?? 0) + 1;
  return counts;
}
