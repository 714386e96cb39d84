/**
 * Shared set-up for the resource tests: the runtime driven exactly as Pulumi's dynamic-provider
 * host drives it (check → create → diff → read → update → delete, `__provider` added by the host),
 * configured against a real emulator over HTTP, and the person at the Adobe UI who configured the
 * AJO connection and its template data view (admin routes).
 */
import * as runtime from "../../provider/runtime";
import type { ResourceHandler } from "../../provider/runtime/resource-handler";
import { startTestEmulator, TEST_ORG, type Counter, type TestEmulator } from "../helpers/emulator";

export type Props = Record<string, unknown>;

/** The string unknown sentinel the Node SDK sends for every unknown Output during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** What the host puts in every input and output: the serialized provider (opaque to the runtime). */
export const PROVIDER = "exports.handler = __provider;";
const PROVIDER_KEY = "__provider";

// ---- the provider process ----

/** Settings of the provider under test: the emulator's endpoints, no client-side limiter, short retry waits. */
export function providerConfig(emu: TestEmulator, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    ...emu.config(),
    "adobe:cjaRateLimit": "off",
    "adobe:retryBaseDelayMs": "5",
    "adobe:retryMaxDelayMs": "20",
    "adobe:requestTimeoutMs": "5000",
    ...overrides,
  };
}

/** A fresh provider process: Pulumi calls `configure` with the stack config; nothing is cached from an earlier run. */
export function startProvider(emu: TestEmulator, overrides: Record<string, string> = {}): void {
  const config = providerConfig(emu, overrides);
  runtime.configure({ get: (key) => config[key] });
  runtime.clearComponentCache();
}

/** A resource as the engine keeps it in the state file: id, outputs and inputs, each with `__provider`. */
export interface Deployed {
  id: string;
  outs: Props;
  inputs: Props;
}

/** Thrown by {@link Engine.checked} when `check` reports failures, as the engine would stop. */
/**
 * `failures` hold one for `property` whose `<property>: <reason>` matches `pattern`, and no reason
 * names its property again (the engine prints `property <name> value ... has a problem: <reason>`).
 */
export function expectFailure(failures: Array<{ property: string; reason: string }> | undefined, property: string, pattern: RegExp): void {
  // A reason below the input starts with its path: `[0].granularity: ...` or `Sends: ...` (of `metrics.Sends`).
  const full = (f: { property: string; reason: string }) =>
    f.reason.startsWith("[") ? `${f.property}${f.reason}` : /^[A-Za-z_$][\w$]*(\[\d+\]|\.[\w$]+)*: /.test(f.reason) ? `${f.property}.${f.reason}` : `${f.property}: ${f.reason}`;
  expect((failures ?? []).filter((f) => f.property === property).map(full)).toContainEqual(expect.stringMatching(pattern));
  for (const f of failures ?? []) expect(f.reason.startsWith(`${f.property}: `) || f.reason.startsWith(`${f.property}.`)).toBe(false);
}

export class CheckFailed extends Error {
  constructor(readonly failures: Array<{ property: string; reason: string }>) {
    super(`check failed: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
  }
}

/** The calls the engine makes for one resource type, with the host's `__provider` bookkeeping. */
export class Engine {
  readonly handler: ResourceHandler;

  constructor(readonly type: string) {
    this.handler = runtime.handler(type);
  }

  /** `check(olds, news)` with the program's inputs as the host sends them. */
  check(news: Props, olds: Props = {}) {
    return this.handler.check(olds, { ...news, [PROVIDER_KEY]: PROVIDER });
  }

  /** Checked inputs, or {@link CheckFailed}. */
  async checked(news: Props, olds: Props = {}): Promise<Props> {
    const result = await this.check(news, olds);
    if (result.failures && result.failures.length > 0) throw new CheckFailed(result.failures);
    return { ...result.inputs, [PROVIDER_KEY]: PROVIDER };
  }

  /** `pulumi up` of a new resource: check, then create. */
  async create(news: Props): Promise<Deployed> {
    const inputs = await this.checked(news);
    const result = await this.handler.create(inputs);
    expect(result.id).toBeTruthy();
    return { id: result.id, outs: { ...result.outs, [PROVIDER_KEY]: PROVIDER }, inputs };
  }

  /**
   * A lookup (Connection, Dimension, Metric) in `pulumi preview` or `up`: registered with the `id`
   * option, it is read with the program's inputs as props (no check, no diff, no create).
   */
  async read(news: Props, locator = "lookup:test"): Promise<Deployed> {
    const result = await this.handler.read(locator, { ...news, [PROVIDER_KEY]: PROVIDER });
    expect(result.id).toBeTruthy();
    return { id: result.id!, outs: { ...result.props, [PROVIDER_KEY]: PROVIDER }, inputs: { ...news, [PROVIDER_KEY]: PROVIDER } };
  }

  /** `pulumi refresh`: read with the stored outputs; `undefined` when the object is gone. */
  async refresh(deployed: Deployed): Promise<Deployed | undefined> {
    const result = await this.handler.read(deployed.id, deployed.outs);
    if (!result.id) return undefined;
    return { id: result.id, outs: { ...result.props, [PROVIDER_KEY]: PROVIDER }, inputs: { ...result.inputs, [PROVIDER_KEY]: PROVIDER } };
  }

  /** `pulumi preview`: check the program's inputs against the stored ones, then diff with the stored outputs. */
  async preview(deployed: Deployed, news: Props) {
    const inputs = await this.checked(news, deployed.inputs);
    return this.handler.diff(deployed.id, deployed.outs, inputs);
  }

  /** `pulumi up` of an existing resource whose diff reported changes: check, then update. */
  async update(deployed: Deployed, news: Props): Promise<Deployed> {
    const inputs = await this.checked(news, deployed.inputs);
    const result = await this.handler.update(deployed.id, deployed.outs, inputs);
    return { id: deployed.id, outs: { ...result.outs, [PROVIDER_KEY]: PROVIDER }, inputs };
  }

  /** `pulumi destroy` (or removal from the program). */
  destroy(deployed: Deployed): Promise<void> {
    return this.handler.delete(deployed.id, deployed.outs);
  }
}

// ---- the emulator ----

/** The emulator with Adobe's specs on and strict response validation (its defaults for tests). */
export async function startResourceEmulator(): Promise<TestEmulator> {
  return startTestEmulator();
}

/** Admin path of the test org's CJA routes, relative to `/_emulator`. */
export const ORG_ADMIN = `/orgs/${encodeURIComponent(TEST_ORG)}`;

/** How many requests the emulator answered for `method route` (any status). */
export async function countOf(emu: TestEmulator, method: string, route: string): Promise<number> {
  const { counters } = await emu.requests();
  return sumCounters(counters.filter((c) => c.method === method && c.route === route));
}

/** Every request Adobe's side received (IMS included), as `METHOD route status`. */
export async function requestLines(emu: TestEmulator): Promise<string[]> {
  const { log } = await emu.requests();
  return log.map((entry) => `${entry.method} ${entry.route} ${entry.status}`);
}

/** Requests that could change something at Adobe (anything but GET, IMS and the validate calls). */
export async function writes(emu: TestEmulator): Promise<string[]> {
  return (await requestLines(emu)).filter((line) => !line.startsWith("GET ") && !line.includes("/ims/") && !line.includes("/validate "));
}

/**
 * Waits until the emulator has answered `count` requests of `method route`: a request the client
 * gave up on (timeout) is still carried out, and must not land in the next test's counters.
 */
export async function untilAnswered(emu: TestEmulator, method: string, route: string, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { log } = await emu.requests();
    if (log.filter((e) => e.method === method && e.route === route).length >= count) return;
    if (Date.now() > deadline) throw new Error(`the emulator never answered ${count} × ${method} ${route}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function sumCounters(counters: Counter[]): number {
  return counters.reduce((sum, c) => sum + c.count, 0);
}

/** Runs `fn` with `process.stderr.write` captured (the provider host's log, shown by the CLI). */
export async function captureStderr<T>(fn: () => Promise<T>): Promise<{ result: T; stderr: string }> {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  });
  try {
    const result = await fn();
    return { result, stderr: chunks.join("") };
  } finally {
    spy.mockRestore();
  }
}

/** The error `fn` rejects with (fails the test when it resolves). */
export async function rejectionOf(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection, but the call succeeded");
}

// ---- what the person at the Adobe UI configured: the AJO guide ----

export const AJO_CONNECTION_ID = "dg_6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
export const TEMPLATE_DATA_VIEW_ID = "dv_ajotemplate0000000000001";
export const STEP_EVENTS_PERSON_ID = "_experience.journeyOrchestration.stepEvents.profileID";
export const ENTITY_MATCHING_KEY = "_experience.decisioning.propositions.scopeDetails.correlationID";

/** The five AJO datasets as the UI configured them in the connection (Adobe's wire names). */
export function ajoConnection(): Props {
  const event = (dataSetId: string, name: string, person: Props) => ({ dataSetId, name, type: "event", timestampId: "timestamp", ...person });
  return {
    id: AJO_CONNECTION_ID,
    name: "AJO connection",
    description: "Journey Optimizer datasets",
    sandboxName: "prod",
    dataSets: [
      event("ds_feedback", "AJO Message Feedback Event Dataset", { identityMap: true }),
      event("ds_email", "AJO Email Tracking Experience Event Dataset", { identityMap: true }),
      event("ds_push", "AJO Push Tracking Experience Event Dataset", { identityMap: true }),
      event("ds_steps", "Journey Step Events", { visitorId: STEP_EVENTS_PERSON_ID }),
      { dataSetId: "ds_entity", name: "AJO Entity Dataset", type: "lookup", lookupKeyField: "_id", lookupParentFields: [ENTITY_MATCHING_KEY] },
    ],
  };
}

/** The same five datasets as a `Connection` declares them. */
export function declaredAjoDatasets(): Props[] {
  return [
    { name: "AJO Message Feedback Event Dataset", type: "event", personIdField: "IdentityMap", timestampField: "timestamp" },
    { name: "AJO Email Tracking Experience Event Dataset", type: "event", personIdField: "IdentityMap" },
    { name: "AJO Push Tracking Experience Event Dataset", type: "event", personIdField: "IdentityMap" },
    { name: "Journey Step Events", type: "event", personIdField: STEP_EVENTS_PERSON_ID },
    { name: "AJO Entity Dataset", type: "lookup", key: "_id", matchingKey: ENTITY_MATCHING_KEY },
  ];
}

const CJM = "_experience.customerJourneyManagement";

export interface AjoDimension {
  name: string;
  schemaPath: string;
  componentId: string;
  contextLabels?: string[];
}

/**
 * The guide's 13 dimensions as its table writes them: "Journey Node Name" reads the field of
 * "Journey Name" (the guide's erratum, see examples/ajo-cja/README.md), so two dimensions share a
 * schema path here and the node name dimension has its own component id.
 */
export const AJO_DIMENSIONS: AjoDimension[] = [
  ["Journey Name", "entities.journey.journeyName"],
  ["Journey Name & Version", "entities.journey.journeyNameAndVersion"],
  ["Journey Node Name", "entities.journey.journeyName", "journeyNodeName"],
  ["Journey Node Type", "entities.journey.journeyNodeType"],
  ["Campaign name", "entities.campaign.name"],
  ["Channel", "entities.channelDetails.channel._id"],
  ["Push Title", "entities.channelDetails.push.title"],
  ["Email Subject", "entities.channelDetails.email.subject"],
  ["Link Label", "messageInteraction.label"],
  ["Experiment Name", "entities.experiment.experimentName", undefined, ["Experimentation Experiment"]],
  ["Treatment Name", "entities.experiment.treatmentName", undefined, ["Experimentation Variant"]],
  ["Email Delivery Failure Reason", "messageDeliveryfeedback.messageFailure.reason"],
  ["Email Delivery Exclusion Reason", "messageDeliveryfeedback.messageExclusion.reason"],
].map(([name, field, id, labels]) => ({
  name: name as string,
  schemaPath: `${CJM}.${field as string}`,
  componentId: `variables/${CJM}.${(id as string | undefined) ?? (field as string)}`,
  ...(labels ? { contextLabels: labels as string[] } : {}),
}));

export interface AjoMetric {
  name: string;
  schemaPath: string;
  componentId: string;
  /** Include/exclude: Equals each value; several values: "If any criteria are met". */
  values: string[];
}

/** The guide's 9 metrics, each counting a field's values through include/exclude rules. */
export const AJO_METRICS: AjoMetric[] = [
  ["Bounces", "bounces", "messageDeliveryfeedback.feedbackStatus", ["bounce", "denylist"]],
  ["Bounces After Delivery", "bounces_after_delivery", "messageDeliveryfeedback.messageFailure.category", ["async"]],
  ["Email Clicks", "email_clicks", "messageInteraction.interactionType", ["click"]],
  ["Email Opens", "email_opens", "messageInteraction.interactionType", ["open"]],
  ["Errors", "errors", "messageDeliveryfeedback.feedbackStatus", ["error"]],
  ["Excludes", "excludes", "messageDeliveryfeedback.feedbackStatus", ["exclude"]],
  ["Sends", "sends", "messageDeliveryfeedback.feedbackStatus", ["sent"]],
  ["Spam Complaints", "spam_complaints", "messageInteraction.interactionType", ["spam_complaint"]],
  ["Unsubscribes", "unsubscribes", "messageInteraction.interactionType", ["unsubscribe"]],
].map(([name, id, field, values]) => ({ name: name as string, componentId: `metrics/${id as string}`, schemaPath: `${CJM}.${field as string}`, values: values as string[] }));

export function ajoDimension(name: string): AjoDimension {
  const found = AJO_DIMENSIONS.find((d) => d.name === name);
  if (!found) throw new Error(`no AJO dimension ${name}`);
  return found;
}

export function ajoMetric(name: string): AjoMetric {
  const found = AJO_METRICS.find((m) => m.name === name);
  if (!found) throw new Error(`no AJO metric ${name}`);
  return found;
}

/** Adobe's include/exclude setting for "Equals v1 [or Equals v2 ...]". */
export function equalsSetting(values: string[]): Props {
  return { enabled: true, caseSensitive: false, match: values.length > 1 ? "or" : "and", type: "string", rules: values.map((value) => ({ clause: "equals", value })) };
}

/** The same rule as a Dimension/Metric declares it. */
export function declaredEquals(values: string[]): Props {
  return { match: values.length > 1 ? "any" : "all", rules: values.map((value) => ({ clause: "equals", value })) };
}

function dimensionDoc(d: AjoDimension): Props {
  return {
    id: d.componentId,
    name: d.name,
    description: "",
    sourceFieldId: d.schemaPath,
    sourceFieldName: d.schemaPath.split(".").pop(),
    schemaPath: d.schemaPath,
    sourceFieldType: "string",
    type: "string",
    dataSetType: "event",
    dataSetIds: ["ds_feedback", "ds_email", "ds_push", "ds_steps"],
    ...(d.contextLabels ? { contextLabels: d.contextLabels } : {}),
    ...(d.name === "Channel" ? { persistenceSetting: { enabled: true, allocationModel: { func: "allocation-lastTouch_dim", expiration: { context: "sessions" } } } } : {}),
  };
}

function metricDoc(m: AjoMetric): Props {
  return {
    id: m.componentId,
    name: m.name,
    description: "",
    sourceFieldId: m.schemaPath,
    sourceFieldName: m.schemaPath.split(".").pop(),
    schemaPath: m.schemaPath,
    sourceFieldType: "string",
    type: "int",
    dataSetType: "event",
    dataSetIds: ["ds_feedback", "ds_email"],
    includeExcludeSetting: equalsSetting(m.values),
    formatSetting: { formatType: "decimal", decimalPlaces: 0, polarity: "positive" },
  };
}

export interface AjoSeed {
  connectionId: string;
  dataViewId: string;
}

/**
 * What a person did in the Adobe UI before the stack ran: the AJO connection, and a data view
 * with the guide's 13 dimensions and 9 metrics (the template a managed data view is copied from).
 */
export async function seedAjo(emu: TestEmulator): Promise<AjoSeed> {
  await emu.admin("POST", `${ORG_ADMIN}/connections`, ajoConnection());
  await emu.admin("POST", `${ORG_ADMIN}/dataviews`, {
    id: TEMPLATE_DATA_VIEW_ID,
    name: "AJO template",
    description: "Configured in the Data View Manager",
    parentDataGroupId: AJO_CONNECTION_ID,
    timezoneDesignator: "US/Mountain",
    dimensions: AJO_DIMENSIONS.map(dimensionDoc),
    metrics: AJO_METRICS.map(metricDoc),
  });
  return { connectionId: AJO_CONNECTION_ID, dataViewId: TEMPLATE_DATA_VIEW_ID };
}

/** The stored component, as the admin API returns it. */
export function adminComponent(emu: TestEmulator, dataViewId: string, kind: "dimensions" | "metrics", componentId: string): Promise<Props> {
  return emu.admin<Props>("GET", `${ORG_ADMIN}/dataviews/${dataViewId}/${kind}/${encodeURIComponent(componentId)}`);
}

/** A person changes a component's settings in the Data View Manager. */
export function patchComponent(emu: TestEmulator, dataViewId: string, kind: "dimensions" | "metrics", componentId: string, patch: Props): Promise<Props> {
  return emu.admin<Props>("PATCH", `${ORG_ADMIN}/dataviews/${dataViewId}/${kind}/${encodeURIComponent(componentId)}`, patch);
}

/** A copy of a data view made as in the Data View Manager; its id. */
export async function copyOf(emu: TestEmulator, dataViewId: string): Promise<string> {
  const copy = await emu.call<{ id: string }>("PUT", `/data/dataviews/copy/${dataViewId}`);
  if (copy.status !== 200) throw new Error(`copy of ${dataViewId} answered ${copy.status}`);
  return copy.body.id;
}

/** A new run of the provider process (the next `pulumi refresh`/`up`): nothing read earlier is reused. */
export function newRun(): void {
  runtime.clearComponentCache();
}
