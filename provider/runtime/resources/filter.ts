import { z } from "zod";
import * as segments from "../../adobe/cja/segments";
import { isNotFound } from "../../adobe/errors";
import { listedOrBatched, type BatchedRead } from "../batched-reads";
import { adobeClient } from "../client";
import { filtersBefore } from "../component-cache";
import { canonicalMetadata, metadataChanges, readMetadata, sharesInput, tagsInput, writeMetadata } from "../component-metadata";
import { warn } from "../drift";
import {
  canonicalFilterDefinition,
  compileFilter,
  componentsOf,
  decompileFilter,
  FilterDefinitionError,
  filterDefinitionsEqual,
  pathKeys,
  type FilterContainer,
} from "../filter-definition";
import { missingComponents, noDataView } from "../live-checks";
import { onlyOwn, ownershipKey, ownershipMarkOf, stripOwnershipMark, withOwnershipMark } from "../ownership";
import { defineResource } from "../resource-handler";
import { dataViewId, nonEmpty, objectName } from "../schemas";
import { containsUnknown, isUnknown } from "../unknowns";

type AdobeDefinition = Record<string, unknown>;

export const filterInputs = z
  .strictObject({
    dataViewId: dataViewId,
    name: objectName,
    description: z.string().max(10_000, "must be at most 10,000 characters").optional(),
    definition: z.unknown().refine((value) => value !== undefined, "is required: a container, e.g. { context: \"event\", rules: [{ dimension: \"variables/page\", equals: \"Home\" }] }"),
    shares: sharesInput,
    tags: tagsInput,
    adoptId: nonEmpty.optional(),
    deleteOnDestroy: z.boolean().optional(),
  })
  .superRefine((inputs, ctx) => {
    if (isUnknown(inputs.definition)) return;
    try {
      compileFilter(inputs.definition);
    } catch (error) {
      if (!(error instanceof FilterDefinitionError)) throw error;
      // The path goes into the issue, so a problem at a value a preview does not know yet is dropped.
      const path = pathKeys(error.path);
      ctx.addIssue({ code: "custom", path, message: error.problem });
    }
  });

type Inputs = Omit<z.infer<typeof filterInputs>, "definition"> & { definition: FilterContainer };
interface Outputs extends Inputs {
  filterId: string;
  /** Adobe's segment definition, as compiled from `definition` (or, after a refresh, as Adobe holds it). */
  adobeDefinition: AdobeDefinition;
  ownershipKey?: string;
  [key: string]: unknown;
}

const subject = (inputs: { name: string }) => `Filter ${inputs.name}`;

function body(inputs: Inputs, definition: AdobeDefinition, key: string | undefined): segments.SegmentBody {
  return {
    name: inputs.name,
    description: key === undefined ? (inputs.description ?? "") : withOwnershipMark(inputs.description, key),
    dataId: inputs.dataViewId,
    definition,
  };
}

/** Adobe's validator before every write; an invalid definition stops the write, with Adobe's message. */
async function validate(request: segments.SegmentBody, inputs: Inputs): Promise<void> {
  const result = await segments.validateSegment(adobeClient(), request);
  if (result.valid === false) {
    const detail = [result.message, ...(result.errors ?? []).filter((e) => e !== result.message)].filter(Boolean).join("; ");
    throw new Error(`${subject(inputs)}: Adobe's POST /segments/validate refused the definition: ${detail || "invalid"}. Nothing was written.`);
  }
}

/** The segment of the data view that carries `key` (an earlier run's create); two fail with their ids. */
function ownSegment(inputs: Inputs, key: string, found: segments.Segment[]): segments.Segment | undefined {
  return onlyOwn(
    found.filter((s) => ownershipMarkOf(s.description) === key),
    {
      subject: subject(inputs),
      objects: `filters of data view ${inputs.dataViewId}`,
      key,
      remedy: "Delete all but one in the Filters manager (Components > Filters), then run pulumi up again (it adopts the one left).",
    },
  );
}

const listOwn = (inputs: Inputs) => segments.listSegments(adobeClient(), { dataIds: [inputs.dataViewId] });

/** The readable definition of Adobe's, or a note saying why it has none: the same on every read, so it shows as drift once. */
function readable(definition: AdobeDefinition): FilterContainer | string {
  try {
    return decompileFilter(definition);
  } catch (error) {
    if (!(error instanceof FilterDefinitionError)) throw error;
    return `(Adobe's definition has no readable form: ${error.message})`;
  }
}

/** The declared definition as Adobe's JSON without labels, so `variables/` left out or an `and` written out never shows as a change. */
function canonicalDefinition(value: unknown): unknown {
  try {
    return canonicalFilterDefinition(compileFilter(value));
  } catch {
    return value;
  }
}

/** `name: "Old" → "New"` for each declared setting the live filter holds otherwise. */
function changes(inputs: Inputs, live: segments.Segment): string[] {
  const found: string[] = [];
  if (live.name !== undefined && live.name !== inputs.name) found.push(`name: ${JSON.stringify(live.name)} → ${JSON.stringify(inputs.name)}`);
  const description = stripOwnershipMark(live.description) ?? "";
  if (description !== (inputs.description ?? "")) found.push(`description: ${JSON.stringify(description)} → ${JSON.stringify(inputs.description ?? "")}`);
  const declared = compileFilter(inputs.definition);
  if (!filterDefinitionsEqual(live.definition, declared)) found.push(`definition: ${JSON.stringify(readable(live.definition ?? {}))} → ${JSON.stringify(inputs.definition)}`);
  return found;
}

async function adoptable(inputs: Inputs & { adoptId: string }): Promise<{ live: segments.Segment } | { failure: { property: "adoptId"; reason: string } }> {
  let live: segments.Segment;
  try {
    live = await segments.getSegment(adobeClient(), inputs.adoptId);
  } catch (error) {
    if (isNotFound(error)) return { failure: { property: "adoptId", reason: `filter ${inputs.adoptId} does not exist (or this credential cannot see it: a filter is seen by its owner, those it is shared with, and product admins)` } };
    throw error;
  }
  if (live.dataId !== undefined && !isUnknown(inputs.dataViewId) && live.dataId !== inputs.dataViewId) {
    return { failure: { property: "adoptId", reason: `filter ${inputs.adoptId} ("${live.name ?? ""}") belongs to data view ${live.dataId}, not to the declared dataViewId ${inputs.dataViewId}` } };
  }
  return { live };
}

async function adoptExisting(inputs: Inputs & { adoptId: string }): Promise<{ id: string; outs: Outputs }> {
  const found = await adoptable(inputs);
  if ("failure" in found) throw new Error(`${subject(inputs)}: adoptId ${found.failure.reason}`);
  const definition = compileFilter(inputs.definition);
  if (changes(inputs, found.live).length > 0) {
    const request = body(inputs, definition, undefined);
    await validate(request, inputs);
    const { dataId: _dataId, ...update } = request;
    await segments.updateSegment(adobeClient(), found.live.id, update);
  }
  await writeMetadata("segment", found.live.id, inputs);
  return { id: found.live.id, outs: { ...inputs, filterId: found.live.id, adobeDefinition: definition } };
}

/** A refresh's filters, read with one list by id (`GET /segments?filterByIds=…`). */
const SEGMENT_READS: BatchedRead<segments.Segment> = {
  list: (client, ids) => segments.listSegments(client, { filterByIds: ids }),
  get: (client, id) => segments.getSegment(client, id),
  idOf: (s) => s.id,
};

export const filterHandler = defineResource<Inputs, Outputs>({
  type: "cja:Filter",
  inputs: filterInputs as unknown as z.ZodType<Inputs>,
  replaceOnChanges: ["dataViewId", "adoptId"],
  canonical: (key, value) => (key === "definition" ? canonicalDefinition(value) : canonicalMetadata(key, value)),

  liveInputs: ["dataViewId", "definition", "adoptId"],
  /** Every dimension and metric the definition names is in the data view; a filter to adopt exists there, and what adopting changes is listed. */
  async checkLive(inputs) {
    if (inputs.adoptId !== undefined && !isUnknown(inputs.adoptId) && !containsUnknown(inputs.definition)) {
      const found = await adoptable({ ...inputs, adoptId: inputs.adoptId });
      if ("failure" in found) return [found.failure];
      const listed = [...changes(inputs, found.live), ...(containsUnknown(inputs.shares) || containsUnknown(inputs.tags) ? [] : await metadataChanges("segment", found.live, inputs))];
      if (listed.length > 0) warn(`${subject(inputs)}: adopting ${found.live.id} ("${found.live.name ?? ""}") changes ${listed.join("; ")}.`);
    }
    if (isUnknown(inputs.dataViewId)) return [];
    let compiled: AdobeDefinition;
    try {
      compiled = compileFilter(inputs.definition);
    } catch (error) {
      // Only a definition holding values a preview does not know yet gets here (check dropped its problem).
      if (error instanceof FilterDefinitionError && containsUnknown(inputs.definition)) return [];
      throw error;
    }
    const named = componentsOf(compiled).filter((id) => !isUnknown(id.replace(/^(variables|metrics)\//, "")));
    if (named.length === 0) return [];
    const missing = await missingComponents(inputs.dataViewId, named);
    if (missing === undefined) return [{ property: "dataViewId", reason: noDataView(inputs.dataViewId) }];
    if (missing.length === 0) return [];
    return [
      {
        property: "definition",
        reason: `data view ${inputs.dataViewId} has no ${missing.join(", ")}; each dimension (variables/...) and metric (metrics/...) a rule names must be a component of that data view`,
      },
    ];
  },

  keyed: true,
  async create(inputs, { owner }) {
    if (inputs.adoptId !== undefined) return adoptExisting({ ...inputs, adoptId: inputs.adoptId });
    const client = adobeClient();
    const key = ownershipKey(owner);
    const definition = compileFilter(inputs.definition);
    const request = body(inputs, definition, key);
    const findOwn = async () => ownSegment(inputs, key, await listOwn(inputs));
    // What an earlier run made is in the data view's list as this run first read it (one list per data view and run).
    const own = owner === undefined ? undefined : ownSegment(inputs, key, await filtersBefore(inputs.dataViewId));
    await validate(request, inputs);
    const { dataId: _dataId, ...update } = request;
    const adopted = own ? await segments.updateSegment(client, own.id, update).catch((error: unknown) => (isNotFound(error) ? undefined : Promise.reject(error))) : undefined;
    const created = adopted ?? (await segments.createSegment(client, request, { recover: findOwn }));
    // A run killed before this leaves the filter without its shares and tags: the next run adopts it by its key and writes them.
    await writeMetadata("segment", created.id, inputs);
    return { id: created.id, outs: { ...inputs, filterId: created.id, adobeDefinition: definition, ownershipKey: key } };
  },

  async read(id, outs) {
    let live: segments.Segment;
    try {
      // The filters of its data view, one list per run however many of them the engine reads at once.
      live = await listedOrBatched(filtersBefore(outs.dataViewId), "segments", id, SEGMENT_READS);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    const definition = (live.definition ?? outs.adobeDefinition) as AdobeDefinition;
    const description = stripOwnershipMark(live.description);
    return {
      ...outs,
      ...(await readMetadata("segment", live, outs)),
      name: live.name ?? outs.name,
      description: outs.description === undefined && (description === undefined || description === "") ? undefined : (description ?? ""),
      dataViewId: live.dataId ?? outs.dataViewId,
      // Unchanged in Adobe: keep the definition as written (reading it back would lose how it was written).
      definition: (filterDefinitionsEqual(definition, outs.adobeDefinition) ? outs.definition : readable(definition)) as FilterContainer,
      adobeDefinition: definition,
      filterId: live.id,
    };
  },

  async update(id, olds, news, changed) {
    const definition = compileFilter(news.definition);
    if (changed.every((key) => key === "shares" || key === "tags")) {
      await writeMetadata("segment", id, news, changed);
      return { ...news, filterId: id, adobeDefinition: definition, ownershipKey: olds.ownershipKey };
    }
    const request = body(news, definition, olds.ownershipKey);
    await validate(request, news);
    const { dataId: _dataId, ...update } = request;
    await segments.updateSegment(adobeClient(), id, update);
    await writeMetadata("segment", id, news, changed);
    return { ...news, filterId: id, adobeDefinition: definition, ownershipKey: olds.ownershipKey };
  },

  async delete(id, outs) {
    if (!(outs.deleteOnDestroy ?? outs.adoptId === undefined)) {
      warn(`${subject(outs)}: ${id} was adopted, so it is released from the stack and kept in Adobe (deleteOnDestroy: true deletes it).`);
      return;
    }
    try {
      await segments.deleteSegment(adobeClient(), id);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  },
});
