import { z } from "zod";
import * as dateRanges from "../../adobe/cja/date-ranges";
import { isNotFound } from "../../adobe/errors";
import { batchedRead, type BatchedRead } from "../batched-reads";
import { adobeClient } from "../client";
import { dateRangesBefore } from "../component-cache";
import { canonicalMetadata, metadataChanges, readMetadata, sharesInput, tagsInput, writeMetadata } from "../component-metadata";
import { warn } from "../drift";
import { onlyOwn, ownershipKey, ownershipMarkOf, stripOwnershipMark, withOwnershipMark } from "../ownership";
import { defineResource } from "../resource-handler";
import { nonEmpty, objectName } from "../schemas";
import { containsUnknown, isUnknown } from "../unknowns";

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,3})?$/;
/** A rolling end as Adobe's date ranges guide writes one (`tm`, `tm+1m`): an anchor of letters, then signed offsets. */
const ROLLING = /^[a-z]{1,3}(?:[+-]\d{1,4}[a-z])*$/;

function isoProblem(end: string): string | undefined {
  const match = ISO.exec(end);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  const same = date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && date.getUTCHours() === h && date.getUTCMinutes() === mi && date.getUTCSeconds() === s;
  return same ? undefined : `${end} is no date and time`;
}

/** Why `definition` is no date range definition (`<start>/<end>`), or undefined. */
export function dateRangeDefinitionProblem(definition: string): string | undefined {
  const ends = definition.split("/");
  if (ends.length !== 2) return 'must be <start>/<end>, each a date and time (2024-01-01T00:00:00/2024-01-31T23:59:59) or a rolling date (tm/tm+1m: this month)';
  for (const [i, end] of ends.entries()) {
    const which = i === 0 ? "start" : "end";
    if (ISO.test(end)) {
      const problem = isoProblem(end);
      if (problem) return `${which} ${problem}`;
    } else if (!ROLLING.test(end)) {
      return `${which} ${JSON.stringify(end)} is neither a date and time (2024-01-01T00:00:00) nor a rolling date (tm, tm+1m)`;
    }
  }
  if (ISO.test(ends[0]) && ISO.test(ends[1]) && ends[0] > ends[1]) return `ends (${ends[1]}) before it starts (${ends[0]})`;
  return undefined;
}

export const dateRangeInputs = z.strictObject({
  name: objectName,
  description: z.string().max(10_000, "must be at most 10,000 characters").optional(),
  definition: nonEmpty.superRefine((definition, ctx) => {
    if (isUnknown(definition)) return;
    const problem = dateRangeDefinitionProblem(definition);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
  shares: sharesInput,
  tags: tagsInput,
  adoptId: nonEmpty.optional(),
  deleteOnDestroy: z.boolean().optional(),
});

type Inputs = z.infer<typeof dateRangeInputs>;
interface Outputs extends Inputs {
  dateRangeId: string;
  ownershipKey?: string;
  [key: string]: unknown;
}

const subject = (inputs: { name: string }) => `DateRange ${inputs.name}`;

function body(inputs: Inputs, key: string | undefined): dateRanges.DateRangeBody {
  return {
    name: inputs.name,
    description: key === undefined ? (inputs.description ?? "") : withOwnershipMark(inputs.description, key),
    definition: inputs.definition,
  };
}

/** The date range that carries `key` (an earlier run's create); two fail with their ids. */
function ownDateRange(inputs: Inputs, key: string, found: dateRanges.DateRange[]): dateRanges.DateRange | undefined {
  return onlyOwn(
    found.filter((r) => ownershipMarkOf(r.description) === key),
    {
      subject: subject(inputs),
      objects: "date ranges of this credential",
      key,
      remedy: "Delete all but one in the Date ranges manager (Components > Date ranges), then run pulumi up again (it adopts the one left).",
    },
  );
}

function changes(inputs: Inputs, live: dateRanges.DateRange): string[] {
  const current: Record<string, unknown> = { name: live.name, description: stripOwnershipMark(live.description) ?? "", definition: live.definition };
  const declared: Record<string, unknown> = { name: inputs.name, description: inputs.description ?? "", definition: inputs.definition };
  return Object.keys(declared)
    .filter((key) => current[key] !== undefined && JSON.stringify(current[key]) !== JSON.stringify(declared[key]))
    .map((key) => `${key}: ${JSON.stringify(current[key])} → ${JSON.stringify(declared[key])}`);
}

async function adoptable(inputs: Inputs & { adoptId: string }): Promise<{ live: dateRanges.DateRange } | { failure: { property: "adoptId"; reason: string } }> {
  try {
    return { live: await dateRanges.getDateRange(adobeClient(), inputs.adoptId) };
  } catch (error) {
    if (isNotFound(error)) return { failure: { property: "adoptId", reason: `date range ${inputs.adoptId} does not exist (or this credential cannot see it: a date range is seen by its owner, those it is shared with, and product admins)` } };
    throw error;
  }
}

async function adoptExisting(inputs: Inputs & { adoptId: string }): Promise<{ id: string; outs: Outputs }> {
  const found = await adoptable(inputs);
  if ("failure" in found) throw new Error(`${subject(inputs)}: adoptId ${found.failure.reason}`);
  if (changes(inputs, found.live).length > 0) await dateRanges.updateDateRange(adobeClient(), found.live.id, body(inputs, undefined));
  await writeMetadata("dateRange", found.live.id, inputs);
  return { id: found.live.id, outs: { ...inputs, dateRangeId: found.live.id } };
}

/** A refresh's date ranges, read with one list by id (`GET /dateranges?filterByIds=…`). */
const DATE_RANGE_READS: BatchedRead<dateRanges.DateRange> = {
  list: (client, ids) => dateRanges.listDateRanges(client, { filterByIds: ids }),
  get: (client, id) => dateRanges.getDateRange(client, id),
  idOf: (d) => d.id,
};

export const dateRangeHandler = defineResource<Inputs, Outputs>({
  type: "cja:DateRange",
  inputs: dateRangeInputs,
  replaceOnChanges: ["adoptId"],
  canonical: canonicalMetadata,

  liveInputs: ["adoptId"],
  /** A date range to adopt exists; what adopting changes is listed. */
  async checkLive(inputs) {
    if (inputs.adoptId === undefined || isUnknown(inputs.adoptId) || isUnknown(inputs.definition) || isUnknown(inputs.name)) return [];
    const found = await adoptable({ ...inputs, adoptId: inputs.adoptId });
    if ("failure" in found) return [found.failure];
    const listed = [...changes(inputs, found.live), ...(containsUnknown(inputs.shares) || containsUnknown(inputs.tags) ? [] : await metadataChanges("dateRange", found.live, inputs))];
    if (listed.length > 0) warn(`${subject(inputs)}: adopting ${found.live.id} ("${found.live.name ?? ""}") changes ${listed.join("; ")}.`);
    return [];
  },

  keyed: true,
  async create(inputs, { owner }) {
    if (inputs.adoptId !== undefined) return adoptExisting({ ...inputs, adoptId: inputs.adoptId });
    const client = adobeClient();
    const key = ownershipKey(owner);
    const request = body(inputs, key);
    // Date ranges belong to no data view: the credential's list is where an earlier run's create is.
    const findOwn = async () => ownDateRange(inputs, key, await dateRanges.listDateRanges(client));
    // What an earlier run made is in the list as this run first read it (one list per run).
    const own = owner === undefined ? undefined : ownDateRange(inputs, key, await dateRangesBefore());
    const adopted = own ? await dateRanges.updateDateRange(client, own.id, request).catch((error: unknown) => (isNotFound(error) ? undefined : Promise.reject(error))) : undefined;
    const created = adopted ?? (await dateRanges.createDateRange(client, request, { recover: findOwn }));
    // A run killed before this leaves the date range without its shares and tags: the next run adopts it by its key and writes them.
    await writeMetadata("dateRange", created.id, inputs);
    return { id: created.id, outs: { ...inputs, dateRangeId: created.id, ownershipKey: key } };
  },

  async read(id, outs) {
    let live: dateRanges.DateRange;
    try {
      live = await batchedRead("dateRanges", id, DATE_RANGE_READS);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    const description = stripOwnershipMark(live.description);
    return {
      ...outs,
      ...(await readMetadata("dateRange", live, outs)),
      name: live.name ?? outs.name,
      description: outs.description === undefined && (description === undefined || description === "") ? undefined : (description ?? ""),
      // An object (what cja.json types) would be a definition no program wrote: shown as its JSON text, so it reads as drift.
      definition: live.definition === undefined ? outs.definition : typeof live.definition === "string" ? live.definition : JSON.stringify(live.definition),
      dateRangeId: live.id,
    };
  },

  async update(id, olds, news, changed) {
    if (!changed.every((key) => key === "shares" || key === "tags")) await dateRanges.updateDateRange(adobeClient(), id, body(news, olds.ownershipKey));
    await writeMetadata("dateRange", id, news, changed);
    return { ...news, dateRangeId: id, ownershipKey: olds.ownershipKey };
  },

  async delete(id, outs) {
    if (!(outs.deleteOnDestroy ?? outs.adoptId === undefined)) {
      warn(`${subject(outs)}: ${id} was adopted, so it is released from the stack and kept in Adobe (deleteOnDestroy: true deletes it).`);
      return;
    }
    try {
      await dateRanges.deleteDateRange(adobeClient(), id);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  },
});
