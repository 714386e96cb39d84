/**
 * The one shape every resource's runtime takes. A resource states its input schema, which inputs
 * replace it, how to compare values, and its four Adobe operations; this module turns that into
 * the dynamic-provider methods (check, diff, create, read, update, delete) the engine calls.
 */
import type { z } from "zod";
import type * as pulumi from "@pulumi/pulumi";
import { profileProblem, verifyCredentials, withProfile } from "./client";
import { containsUnknown, isUnknownAt } from "./unknowns";

type Props = Record<string, unknown>;

export interface ResourceDefinition<I extends Props, O extends Props> {
  /** `cja:DataView`, as in the type token `pulumi-nodejs:dynamic/cja:DataView`. */
  type: string;
  /** Validates and fills defaults; its object keys are the resource's inputs. */
  inputs: z.ZodType<I>;
  /** Inputs whose change replaces the resource instead of updating it. */
  replaceOnChanges: ReadonlyArray<keyof I & string>;
  /** Optional inputs the provider fills in its outputs when they are omitted (resolved ids, names). */
  computedWhenOmitted?: ReadonlyArray<keyof I & string>;
  /** Canonical form of one input's value, so Adobe's casing or key order never shows as a diff. */
  canonical?: (key: keyof I & string, value: unknown) => unknown;
  /**
   * Checks that need Adobe (an audience name that must exist), run once the inputs are valid,
   * also during a preview: inputs that are not known yet hold unknown sentinels (`isUnknown`),
   * which the check skips. Read-only: a check never writes. Runs for a new resource and when one
   * of `liveInputs` changed; unchanged inputs cost no request.
   */
  checkLive?(inputs: I): Promise<Array<{ property: keyof I & string; reason: string }>>;
  /** The inputs `checkLive` reads. */
  liveInputs?: ReadonlyArray<keyof I & string>;
  /**
   * The object carries an ownership key derived from the declared resource (`ownership.ts`), so
   * its replacement must be made after it is deleted (the resource classes set
   * `deleteBeforeReplace`, and `diff` asks for it).
   */
  keyed?: boolean;
  create(inputs: I, context: CreateContext): Promise<{ id: string; outs: O }>;
  /** The live state with the same keys as the outputs, or undefined when the object is gone. */
  read(id: string, outs: O): Promise<O | undefined>;
  update(id: string, olds: O, news: I, changed: ReadonlyArray<keyof I & string>): Promise<O>;
  delete(id: string, outs: O): Promise<void>;
}

/** What a create knows besides the inputs. */
export interface CreateContext {
  /** `<organization>/<project>/<stack>/<type>/<name>` of the declared resource, when its class gave it (see `ownership.ts`). */
  owner?: string;
}

export interface ResourceHandler {
  check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult>;
  diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult>;
  create(inputs: Props): Promise<pulumi.dynamic.CreateResult>;
  read(id: string, props?: Props): Promise<pulumi.dynamic.ReadResult>;
  update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult>;
  delete(id: string, props: Props): Promise<void>;
}

const PROVIDER_KEY = "__provider";
/** Set by the resource classes: who declared the resource (not an input of the resource itself). */
export const OWNER_KEY = "__owner";
/**
 * Every resource's input naming the `adobe:profiles` entry it uses (another org or sandbox). The
 * handler runs each call in that profile, so no resource definition sees it; changing it replaces
 * the resource, since the object lives in another org or sandbox.
 */
export const PROFILE_KEY = "profile";

/** The profile recorded in props (inputs or outputs); undefined: the stack's own settings. */
function profileOf(props: Props | undefined): string | undefined {
  const profile = props?.[PROFILE_KEY];
  return typeof profile === "string" && profile !== "" ? profile : undefined;
}

/** The check failure of a `profile` input, if it has one (an unknown value of a preview passes). */
function profileFailures(props: Props): Array<{ property: string; reason: string }> {
  const profile = props[PROFILE_KEY];
  if (profile === undefined || isUnknownAt(props, [PROFILE_KEY])) return [];
  if (typeof profile !== "string" || profile.trim() === "") return [{ property: PROFILE_KEY, reason: "must be the name of an adobe:profiles entry" }];
  const problem = profileProblem(profile);
  return problem ? [{ property: PROFILE_KEY, reason: problem }] : [];
}

export function defineResource<I extends Props, O extends Props>(def: ResourceDefinition<I, O>): ResourceHandler {
  const inputKeys = () => Object.keys(shapeOf(def.inputs));
  const canonical = (key: string, value: unknown) => canonicalJson(def.canonical ? def.canonical(key as keyof I & string, value) : value);

  // An input the provider fills when it is omitted (a connection declared by name gets its id) is
  // no change while it stays omitted; removing any other declared input is a change.
  const computed = new Set<string>(def.computedWhenOmitted ?? []);
  const changedKeys = (olds: Props, news: Props): string[] =>
    inputKeys()
      .filter((key) => news[key] !== undefined || (olds[key] !== undefined && !computed.has(key)))
      .filter((key) => containsUnknown(news[key]) || canonical(key, olds[key]) !== canonical(key, news[key]));

  return {
    async check(olds, news) {
      const { [PROVIDER_KEY]: provider, ...rest } = news;
      const inputs = stripProvider(news);
      const parsed = def.inputs.safeParse(inputs);
      if (parsed.success) {
        const wrongProfile = profileFailures(rest);
        if (wrongProfile.length > 0) return { inputs: news, failures: wrongProfile };
        return withProfile(profileOf(news), async () => {
          await verifyCredentials();
          const isNew = Object.keys(stripProvider(olds ?? {})).length === 0;
          const changed = isNew ? [] : changedKeys(olds, plainJson(parsed.data));
          const liveCheck = def.checkLive && (isNew || changed.some((key) => (def.liveInputs as string[] | undefined)?.includes(key)));
          const failures = liveCheck ? await def.checkLive!(parsed.data) : [];
          return failures.length > 0 ? { inputs: news, failures } : { inputs: withProvider(withCarried(plainJson(parsed.data), news), provider) };
        });
      }
      const failures = [
        ...parsed.error.issues.filter((issue) => !isUnknownAt(inputs, issue.path as PropertyKey[])).flatMap((issue) => issueFailures(issue, def.type, inputKeys())),
        ...profileFailures(rest),
      ];
      return failures.length > 0 ? { inputs: news, failures } : { inputs: news };
    },

    async diff(_id, olds, news) {
      const changed = [...changedKeys(olds, news), ...(profileOf(olds) !== profileOf(news) || containsUnknown(news[PROFILE_KEY]) ? [PROFILE_KEY] : [])];
      const replaces = changed.filter((key) => key === PROFILE_KEY || (def.replaceOnChanges as string[]).includes(key));
      return { changes: changed.length > 0, replaces, deleteBeforeReplace: def.keyed === true && replaces.length > 0 };
    },

    create: (inputs) =>
      withProfile(profileOf(inputs), async () => {
        const checked = parseKnown(def.inputs, inputs);
        const owner = inputs[OWNER_KEY];
        const { id, outs } = await def.create(checked, { owner: typeof owner === "string" && owner !== "" ? owner : undefined });
        return { id, outs: withCarried(plainJson({ ...checked, ...outs }), inputs) };
      }),

    read: (id, props) =>
      withProfile(profileOf(props), async () => {
        const live = await def.read(id, (props ?? {}) as O);
        if (live === undefined) return { id: "" };
        const outs = plainJson({ ...stripProvider(props ?? {}), ...stripProvider(live) });
        const inputs = plainJson(pick(outs, inputKeys()));
        return { id, props: withCarried(outs, props), inputs: withCarried(inputs, props) };
      }),

    update: (id, olds, news) =>
      withProfile(profileOf(news), async () => {
        const checked = parseKnown(def.inputs, news);
        const outs = await def.update(id, olds as O, checked, changedKeys(olds, news) as Array<keyof I & string>);
        return { outs: withCarried(plainJson({ ...checked, ...outs }), { ...olds, ...news }) };
      }),

    delete: (id, props) => withProfile(profileOf(props), () => def.delete(id, props as O)),
  };
}

/**
 * A lookup: an object Adobe's API can only read (a connection, a data view's components). Its class
 * registers it with the `id` option, so the engine reads it, in `preview` as in `up`, and never
 * creates, updates or deletes it. Pulumi calls no `check` for a read, so the read checks the inputs.
 */
export interface LookupDefinition<I extends Props, O extends Props> {
  /** `cja:Dimension`, as in the type token `pulumi-nodejs:dynamic/cja:Dimension`. */
  type: string;
  /** Validates and fills defaults; its object keys are the resource's inputs. */
  inputs: z.ZodType<I>;
  /**
   * Finds the object the inputs point at and compares every declared setting with it. Throws what
   * `up` must stop on (the object is missing, a drift under `onDrift: "fail"`) and warns on the
   * rest. Read-only. Returns the object's id and the live values of the declared settings.
   */
  verify(inputs: I): Promise<{ id: string; outs: O }>;
  /** `pulumi refresh`: the live values of what the state recorded, or undefined when the object is gone. Never fails on a drift. */
  refresh(id: string, recorded: O): Promise<O | undefined>;
}

/**
 * How a lookup's locator starts (`lookup:dv_…/variables/…`), the id its class registers with. The
 * read answers with Adobe's id, which the engine records, so a read called with a locator checks the
 * declared inputs (preview, up) and one called with a recorded id refreshes the state.
 */
export const LOCATOR_PREFIX = "lookup:";

/** A lookup's inputs that do not pass: each names its input, in the words the engine uses for `check` failures. */
export class InputError extends Error {
  constructor(
    type: string,
    readonly failures: Array<{ property: string; reason: string }>,
    inputs: Props,
  ) {
    super(`${type} has ${failures.length === 1 ? "a problem" : `${failures.length} problems`}:\n${failures.map((f) => `  property ${f.property} value ${JSON.stringify(inputs[f.property])} has a problem: ${f.reason}`).join("\n")}`);
    this.name = "InputError";
  }
}

export function defineLookup<I extends Props, O extends Props>(def: LookupDefinition<I, O>): ResourceHandler {
  const inputKeys = () => Object.keys(shapeOf(def.inputs));

  const parseDeclared = (props: Props): I => {
    const inputs = stripProvider(props);
    const parsed = def.inputs.safeParse(inputs);
    const failures = [...(parsed.success ? [] : parsed.error.issues.flatMap((issue) => issueFailures(issue, def.type, inputKeys()))), ...profileFailures(props)];
    if (failures.length > 0 || !parsed.success) throw new InputError(def.type, failures, { ...inputs, [PROFILE_KEY]: props[PROFILE_KEY] });
    return parsed.data;
  };

  const verified = (props: Props) =>
    withProfile(profileOf(props), async () => {
      const inputs = parseDeclared(props);
      const { id, outs } = await def.verify(inputs);
      return { id, outs: withCarried(plainJson({ ...inputs, ...outs }), props) };
    });

  return {
    async check(_olds, news) {
      const inputs = stripProvider(news);
      const parsed = def.inputs.safeParse(inputs);
      const failures = [
        ...(parsed.success ? [] : parsed.error.issues.filter((issue) => !isUnknownAt(inputs, issue.path as PropertyKey[])).flatMap((issue) => issueFailures(issue, def.type, inputKeys()))),
        ...profileFailures(news),
      ];
      if (parsed.success && failures.length === 0) return { inputs: withProvider(withCarried(plainJson(parsed.data), news), news[PROVIDER_KEY]) };
      return { inputs: news, failures };
    },

    async diff() {
      return { changes: false };
    },

    async create(inputs) {
      return verified(inputs);
    },

    async read(id, props = {}) {
      if (!id.startsWith(LOCATOR_PREFIX)) {
        return withProfile(profileOf(props), async () => {
          const live = await def.refresh(id, stripProvider(props) as O);
          if (live === undefined) return { id: "" };
          return { id, props: withCarried(plainJson({ ...stripProvider(props), ...stripProvider(live) }), props) };
        });
      }
      // In a preview, an input that waits on another resource is not known yet: `up` verifies it.
      if (containsUnknown(stripProvider(props))) return { id, props: stripProvider(props) };
      const found = await verified(props);
      return { id: found.id, props: found.outs };
    },

    async update(_id, _olds, news) {
      return { outs: (await verified(news)).outs };
    },

    async delete() {
      // Released from the stack only: Adobe's API cannot delete what a lookup reads.
    },
  };
}

/** Inputs that reached create/update are fully known and already checked; parse again for types and defaults. */
function parseKnown<I>(schema: z.ZodType<I>, inputs: Props): I {
  return schema.parse(stripProvider(inputs));
}

/**
 * One failure per input: the engine prints `property <name> value <value> has a problem:
 * <reason>`, so the reason names only what is below the input (`rules[0].clause: ...`), never the
 * input again. A key that is no input is named as the property.
 */
function issueFailures(issue: z.core.$ZodIssue, type: string, inputs: string[]): Array<{ property: string; reason: string }> {
  if (issue.code === "unrecognized_keys" && issue.path.length === 0) {
    return issue.keys.map((key) => ({ property: key, reason: `is not an input of ${type}; its inputs are ${inputs.join(", ")}` }));
  }
  const [property, ...below] = issue.path as PropertyKey[];
  return [{ property: property === undefined ? "" : String(property), reason: below.length > 0 ? `${formatPath(below)}: ${issue.message}` : issue.message }];
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), "");
}

function shapeOf(schema: z.ZodType): Record<string, unknown> {
  const def = (schema as unknown as { def?: { shape?: Record<string, unknown>; in?: z.ZodType; innerType?: z.ZodType; schema?: z.ZodType } }).def;
  if (def?.shape) return def.shape;
  const inner = def?.in ?? def?.innerType ?? def?.schema;
  if (inner) return shapeOf(inner);
  throw new Error("resource inputs must be a zod object schema");
}

function withProvider(inputs: Props, provider: unknown): Props {
  return provider === undefined ? inputs : { ...inputs, [PROVIDER_KEY]: provider };
}

/** `props` with the owner and the profile that `from` carries (what no resource definition sees). */
function withCarried(props: Props, from: Props | undefined): Props {
  const carried = Object.fromEntries([OWNER_KEY, PROFILE_KEY].filter((key) => from?.[key] !== undefined).map((key) => [key, from![key]]));
  return { ...props, ...carried };
}

/** The resource's own inputs or outputs: without the serialized provider, the owner and the profile. */
function stripProvider(props: Props): Props {
  const { [PROVIDER_KEY]: _provider, [OWNER_KEY]: _owner, [PROFILE_KEY]: _profile, ...rest } = props;
  return rest;
}

function pick(obj: Props, keys: string[]): Props {
  return Object.fromEntries(keys.filter((k) => obj[k] !== undefined).map((k) => [k, obj[k]]));
}

/** Outputs must be plain JSON: no undefined anywhere, no Dates, no class instances. */
export function plainJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** JSON text with object keys sorted and undefined dropped: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? "undefined";
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value as Props)
        .sort()
        .filter((k) => (value as Props)[k] !== undefined)
        .map((k) => [k, sortKeys((value as Props)[k])]),
    );
  }
  return value;
}
