import { z } from "zod";
import * as dataViews from "../../adobe/cja/dataviews";
import { isNotFound } from "../../adobe/errors";
import { adobeClient } from "../client";
import { listedOrBatched, type BatchedRead } from "../batched-reads";
import { componentKindOf, connectionDataViewsBefore, madeThisRun, templateDataView } from "../component-cache";
import { warn } from "../drift";
import { missingComponents, noDataView, type CheckFailure } from "../live-checks";
import { onlyOwn, ownershipKey } from "../ownership";
import { canonicalJson, defineResource } from "../resource-handler";
import { connectionId, dataViewId, nonEmpty, objectName, timeZone, upperEnum } from "../schemas";
import { containsUnknown, isUnknown } from "../unknowns";

const sessionRule = z.strictObject({
  numPeriods: z.number().int().positive(),
  granularity: upperEnum(["MINUTE", "HOUR", "DAY", "WEEK"]),
  func: upperEnum(["INACTIVITY", "BEFORE_EVENTS"]),
  events: z.array(nonEmpty).optional(),
});

export const dataViewInputs = z.strictObject({
  name: objectName,
  description: z.string().optional(),
  connectionId: connectionId,
  timezone: timeZone,
  sessionDefinition: z.array(sessionRule).min(1).optional(),
  containerNames: z.strictObject({ event: nonEmpty.optional(), session: nonEmpty.optional(), people: nonEmpty.optional() }).optional(),
  copyFrom: dataViewId.optional(),
  requiredComponents: z.array(nonEmpty).min(1, "give at least one component id, or leave requiredComponents out").optional(),
  adoptId: dataViewId.optional(),
  deleteOnDestroy: z.boolean().optional(),
}).superRefine((inputs, ctx) => {
  if (inputs.adoptId !== undefined && inputs.copyFrom !== undefined) {
    ctx.addIssue({ code: "custom", path: ["adoptId"], message: "takes over an existing data view, and copyFrom makes a new one: give one of them" });
  }
  if (inputs.requiredComponents !== undefined && inputs.copyFrom === undefined) {
    ctx.addIssue({ code: "custom", path: ["requiredComponents"], message: "needs copyFrom: a new data view has no components, only a copy has its template's" });
  }
  for (const [index, id] of (inputs.requiredComponents ?? []).entries()) {
    if (!isUnknown(id) && componentKindOf(id) === undefined) {
      ctx.addIssue({ code: "custom", path: ["requiredComponents", index], message: `"${id}" is not a component id: a dimension id starts with variables/, a metric id with metrics/` });
    }
  }
});

type Inputs = z.infer<typeof dataViewInputs>;
interface Outputs extends Inputs {
  dataViewId: string;
  externalId: string;
  [key: string]: unknown;
}

const DATA_VIEW_SETTINGS = ["name", "description", "timezone", "sessionDefinition", "containerNames"] as const;

/** The declared settings as Adobe's data view body. */
function body(inputs: Partial<Inputs>): dataViews.DataViewBody {
  return {
    name: inputs.name,
    description: inputs.description,
    parentDataGroupId: inputs.connectionId,
    timezoneDesignator: inputs.timezone,
    sessionDefinition: inputs.sessionDefinition?.map((rule) => ({ ...rule, events: rule.events ?? [] })),
    containerNames: inputs.containerNames,
  };
}

/** The live data view in the resource's terms; only the settings the stack declares are reported. */
export function liveSettings(live: dataViews.DataView, declared: Partial<Outputs>): Partial<Outputs> {
  const all: Partial<Outputs> = {
    name: live.name,
    description: live.description,
    connectionId: live.parentDataGroupId,
    timezone: live.timezoneDesignator,
    sessionDefinition: live.sessionDefinition?.map((rule) => ({
      numPeriods: rule.numPeriods ?? 0,
      granularity: (rule.granularity ?? "MINUTE") as "MINUTE",
      func: (rule.func ?? "INACTIVITY") as "INACTIVITY",
      events: rule.events,
    })),
    containerNames: live.containerNames as Inputs["containerNames"],
  };
  return Object.fromEntries(Object.entries(all).filter(([key]) => declared[key] !== undefined));
}

const UPDATABLE: ReadonlyArray<keyof Inputs> = ["name", "description", "timezone", "sessionDefinition", "containerNames"];

/**
 * The data view a previous run made for this resource (it carries the same external id), given
 * the declared settings; undefined when there is none. One on another connection is not adopted,
 * and two carrying the key (two runs of one stack at once) fail with their ids.
 */
async function adoptOwn(inputs: Inputs, externalId: string, views: dataViews.DataView[]): Promise<dataViews.DataView | undefined> {
  const found = onlyOwn(
    views.filter((dv) => dv.externalData?.externalId === externalId),
    { subject: `DataView ${inputs.name}`, objects: "data views", key: externalId, remedy: "Delete all but one in the Data View Manager, then run pulumi up again (it adopts the one left)." },
  );
  if (!found) return undefined;
  if (found.parentDataGroupId !== inputs.connectionId) {
    throw new Error(
      `DataView ${inputs.name}: data view ${found.id} ("${found.name ?? ""}") carries this resource's external id ${externalId} but reports on connection ${found.parentDataGroupId}, not on the declared connectionId ${inputs.connectionId}. ` +
        `Delete it in the Data View Manager if nothing uses it, or declare its connection.`,
    );
  }
  const { parentDataGroupId: _connection, ...settings } = body(inputs);
  return dataViews.updateDataView(adobeClient(), found.id, settings);
}

/** Creates the data view, or adopts the one a previous run made when the key is this resource's own (`keyed`). */
async function createFresh(inputs: Inputs, externalId: string, keyed: boolean): Promise<dataViews.DataView> {
  const client = adobeClient();
  const own = keyed ? await adoptOwn(inputs, externalId, await dataViews.listDataViews(client, { externalIds: [externalId] })) : undefined;
  if (own) return own;
  const request = { ...body(inputs), organization: client.orgId, externalData: { externalId } };
  const validation = await dataViews.validateDataView(client, request);
  if (!validation.valid) throw new Error(`DataView ${inputs.name}: Adobe rejected the data view: ${validation.message ?? "invalid"}`);
  const created = await dataViews.createDataView(client, request, { recover: dataViews.findByExternalId(client, externalId) });
  madeThisRun(created.id);
  return created;
}

/** Why a copy of `source` cannot be the declared data view: a copy stays on its template's connection, and Adobe cannot move a data view. */
function otherConnection(inputs: Inputs & { copyFrom: string }, source: dataViews.DataView): string | undefined {
  if (isUnknown(inputs.connectionId) || source.parentDataGroupId === inputs.connectionId) return undefined;
  return (
    `${inputs.copyFrom} ("${source.name ?? ""}") reports on connection ${source.parentDataGroupId}, not on the declared connectionId ${inputs.connectionId}. ` +
    `Give copyFrom a data view of ${inputs.connectionId}.`
  );
}

/** The template exists, is on the declared connection and holds `requiredComponents`; read-only, so a preview finds what `up` would stop on. */
async function checkTemplate(inputs: Inputs & { copyFrom: string }): Promise<Array<CheckFailure<keyof Inputs & string>>> {
  let source: dataViews.DataView;
  try {
    source = await templateDataView(inputs.copyFrom, isUnknown(inputs.connectionId) ? undefined : inputs.connectionId);
  } catch (error) {
    if (isNotFound(error)) return [{ property: "copyFrom", reason: noDataView(inputs.copyFrom) }];
    throw error;
  }
  const failures: Array<CheckFailure<keyof Inputs & string>> = [];
  const moved = otherConnection(inputs, source);
  if (moved) failures.push({ property: "copyFrom", reason: moved });
  if (inputs.requiredComponents && !containsUnknown(inputs.requiredComponents)) {
    const missing = (await missingComponents(inputs.copyFrom, inputs.requiredComponents)) ?? [];
    if (missing.length > 0) {
      failures.push({
        property: "requiredComponents",
        reason:
          `the template ${inputs.copyFrom} ("${source.name ?? ""}") has no ${missing.join(", ")}. ` +
          "In the Data View Manager, add them to the template with these component ids; Adobe's API cannot add components.",
      });
    }
  }
  return failures;
}

/** The data view `adoptId` names, on the declared connection; a failure naming `adoptId` otherwise. */
async function adoptable(inputs: Inputs & { adoptId: string }): Promise<{ live: dataViews.DataView } | { failure: CheckFailure<"adoptId"> }> {
  let live: dataViews.DataView;
  try {
    live = await dataViews.getDataView(adobeClient(), inputs.adoptId);
  } catch (error) {
    if (isNotFound(error)) return { failure: { property: "adoptId", reason: noDataView(inputs.adoptId) } };
    throw error;
  }
  if (!isUnknown(inputs.connectionId) && live.parentDataGroupId !== inputs.connectionId) {
    const reason = `${inputs.adoptId} ("${live.name ?? ""}") reports on connection ${live.parentDataGroupId}, not on the declared connectionId ${inputs.connectionId}; Adobe cannot move a data view.`;
    return { failure: { property: "adoptId", reason } };
  }
  return { live };
}

/** `name: "Live" → "Declared"` for each declared setting the live data view holds otherwise. */
function settingChanges(inputs: Inputs, live: dataViews.DataView): string[] {
  const current = liveSettings(live, inputs);
  return DATA_VIEW_SETTINGS.filter((key) => inputs[key] !== undefined && canonicalJson(canonicalSetting(key, current[key])) !== canonicalJson(canonicalSetting(key, inputs[key]))).map(
    (key) => `${key}: ${JSON.stringify(current[key] ?? null)} → ${JSON.stringify(inputs[key])}`,
  );
}

/** Takes over `adoptId` in place: its id and external id are kept, its declared settings written. */
async function adoptExisting(inputs: Inputs & { adoptId: string }): Promise<dataViews.DataView> {
  const found = await adoptable(inputs);
  if ("failure" in found) throw new Error(`DataView ${inputs.name}: adoptId ${found.failure.reason}`);
  const { live } = found;
  if (settingChanges(inputs, live).length === 0) return live;
  const { parentDataGroupId: _connection, ...settings } = body(inputs);
  return dataViews.updateDataView(adobeClient(), live.id, settings);
}

/** Copies `copyFrom`, then stamps the copy with the external id and the declared settings. */
async function createCopy(inputs: Inputs & { copyFrom: string }, externalId: string): Promise<dataViews.DataView> {
  const client = adobeClient();
  const source = await templateDataView(inputs.copyFrom, inputs.connectionId);
  const moved = otherConnection(inputs, source);
  if (moved) throw new Error(`DataView ${inputs.name}: copyFrom ${moved}`);
  // One list of the connection's data views finds a copy a previous run made and stamped, and
  // tells which unstamped copies of the template were there before this copy.
  const copyName = `${source.name ?? ""} (Copy)`;
  const unstampedCopies = (views: dataViews.DataView[]) => views.filter((dv) => dv.name === copyName && !dv.externalData?.externalId);
  const before = await connectionDataViewsBefore(inputs.connectionId);
  const own = await adoptOwn(inputs, externalId, before);
  if (own) return own;
  const existing = new Set(unstampedCopies(before).map((dv) => dv.id));
  if (existing.size > 0) {
    warn(
      `DataView ${inputs.name}: ${[...existing].join(", ")} ${existing.size === 1 ? "is an unstamped copy" : "are unstamped copies"} of ${inputs.copyFrom} that no stack claims: ` +
        "a run killed between Adobe's copy and its stamp leaves one, and so does a copy made in the Data View Manager. `npx pulumi-adobe-cja-orphans` lists them, with `--delete-copies` it deletes them.",
    );
  }
  const copy = await dataViews.copyDataView(client, inputs.copyFrom, {
    // The answer was lost: the copy is the one unstamped copy that was not there before, if any.
    recover: async () => {
      const appeared = unstampedCopies(await dataViews.listDataViews(client, { parentDataGroupId: source.parentDataGroupId })).filter((dv) => !existing.has(dv.id));
      if (appeared.length <= 1) return appeared[0];
      throw new Error(
        `DataView ${inputs.name}: the answer to the copy of ${inputs.copyFrom} was lost, and ${appeared.length} new unstamped copies "${copyName}" appeared (${appeared.map((dv) => dv.id).join(", ")}): ` +
          `one is this stack's, the others were made at the same time by another stack or a person. In the Data View Manager, delete the ones that are no one's, then run pulumi up again (this stack makes its own copy).`,
      );
    },
  });
  const { parentDataGroupId: _connection, ...settings } = body(inputs);
  try {
    const stamped = await dataViews.updateDataView(client, copy.id, { ...settings, externalData: { externalId } });
    madeThisRun(stamped.id);
    return stamped;
  } catch (error) {
    // Unstamped, the copy would stay behind as "<template> (Copy)" with nothing to tell it from a
    // copy made in the UI, and the next run would copy again: remove it before reporting the error.
    await dataViews.deleteDataView(client, copy.id).catch((cleanup: unknown) => {
      if (isNotFound(cleanup)) return;
      throw new Error(
        `DataView ${inputs.name}: setting up the copy ${copy.id} of ${inputs.copyFrom} failed (${(error as Error).message}), and deleting it failed too (${(cleanup as Error).message}). ` +
          `Delete data view ${copy.id} in the Data View Manager.`,
      );
    });
    throw error;
  }
}

/** A refresh's data views, read together by one list (`batched-reads.ts`). */
const DATA_VIEW_READS: BatchedRead<dataViews.DataView> = {
  list: (client, ids) => dataViews.listDataViews(client, { dataViewIds: ids }),
  get: (client, id) => dataViews.getDataView(client, id),
  idOf: (dv) => dv.id,
};

export const dataViewHandler = defineResource<Inputs, Outputs>({
  type: "cja:DataView",
  inputs: dataViewInputs,
  replaceOnChanges: ["connectionId", "copyFrom", "adoptId"],
  canonical: (key, value) => canonicalSetting(key, value),

  liveInputs: ["copyFrom", "connectionId", "requiredComponents", "adoptId"],
  async checkLive(inputs) {
    if (inputs.adoptId !== undefined) {
      if (isUnknown(inputs.adoptId)) return [];
      const found = await adoptable({ ...inputs, adoptId: inputs.adoptId });
      if ("failure" in found) return [found.failure];
      const { live } = found;
      const changes = settingChanges(inputs, live);
      if (changes.length > 0) warn(`DataView ${inputs.name}: adopting ${live.id} ("${live.name ?? ""}") changes ${changes.join("; ")}.`);
      return [];
    }
    if (inputs.copyFrom === undefined || isUnknown(inputs.copyFrom)) return [];
    return checkTemplate({ ...inputs, copyFrom: inputs.copyFrom });
  },

  keyed: true,
  async create(inputs, { owner }) {
    if (inputs.adoptId !== undefined) {
      const adopted = await adoptExisting({ ...inputs, adoptId: inputs.adoptId });
      return { id: adopted.id, outs: { ...inputs, dataViewId: adopted.id, externalId: adopted.externalData?.externalId ?? "" } };
    }
    const externalId = ownershipKey(owner);
    const created = inputs.copyFrom ? await createCopy({ ...inputs, copyFrom: inputs.copyFrom }, externalId) : await createFresh(inputs, externalId, owner !== undefined);
    return { id: created.id, outs: { ...inputs, dataViewId: created.id, externalId } };
  },

  async read(id, outs) {
    try {
      // The data views of the connection, one list per run however many of them the engine reads at once
      // (it reads 4 per CPU at a time, so a batch by id holds no more).
      const listed = outs.connectionId === undefined ? undefined : connectionDataViewsBefore(outs.connectionId);
      const live = await listedOrBatched(listed, "dataViews", id, DATA_VIEW_READS);
      return { ...outs, ...liveSettings(live, outs), dataViewId: live.id, externalId: live.externalData?.externalId ?? outs.externalId };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  },

  async update(id, olds, news, changed) {
    const fields = changed.filter((key) => UPDATABLE.includes(key));
    const changes = Object.fromEntries(fields.map((key) => [key, news[key]])) as Partial<Inputs>;
    const request = Object.fromEntries(Object.entries(body(changes)).filter(([, v]) => v !== undefined));
    if (Object.keys(request).length > 0) await dataViews.updateDataView(adobeClient(), id, request);
    return { ...news, dataViewId: id, externalId: olds.externalId };
  },

  async delete(id, outs) {
    if (!(outs.deleteOnDestroy ?? outs.adoptId === undefined)) {
      warn(`DataView ${outs.name}: ${id} was adopted, so it is released from the stack and kept in Adobe (deleteOnDestroy: true deletes it).`);
      return;
    }
    try {
      await dataViews.deleteDataView(adobeClient(), id);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  },
});

function canonicalSetting(key: string, value: unknown): unknown {
  return key === "sessionDefinition" ? canonicalSessions(value) : value;
}

function canonicalSessions(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((rule: Record<string, unknown>) => ({
    numPeriods: rule.numPeriods,
    granularity: String(rule.granularity ?? "").toUpperCase(),
    func: String(rule.func ?? "").toUpperCase(),
    events: Array.isArray(rule.events) && rule.events.length > 0 ? rule.events : undefined,
  }));
}
