/**
 * Date ranges: `GET/POST /dateranges`, `GET/PUT/DELETE /dateranges/{id}` (all in cja.json; the
 * answers in the shapes of Adobe's date ranges guide, see component-spec-deviations.ts). A date
 * range belongs to no data view; it is owned by the identity that made it.
 *
 * The `definition` is the guide's string, `<start>/<end>`: each end an ISO date-time
 * (`2024-01-01T00:00:00`) or a rolling expression like the guide's `tm/tm+1m` (an anchor of
 * letters, then offsets `+1m`, `-7d`). Adobe documents no grammar beyond that example; the
 * emulator refuses what is neither, and an ISO range that ends before it starts.
 */
import { z } from "zod";
import type { EmuRequest, EmulatorContext, RouteDef } from "../types";
import { forgetComponent, listedTo, metadataFields } from "./component-metadata";
import { expand, parseExpansion } from "./expansion";
import { guarded, invalidParameters, notFound, ok } from "./failure";
import { pageEnvelope, pageRequest } from "./paging";
import { cjaState, type CjaOrgState, type CjaOwner } from "./state";
import { csvList, nowIso, requester } from "./wire";

export interface StoredDateRange {
  id: string;
  name: string;
  description: string;
  definition: string;
  owner: CjaOwner;
  created: string;
  modified: string;
}

/** The org's date ranges, kept beside its other CJA objects (created empty on first use). */
export function dateRangesOf(state: CjaOrgState): Record<string, StoredDateRange> {
  const slot = state as CjaOrgState & { dateRanges?: Record<string, StoredDateRange> };
  return (slot.dateRanges ??= {});
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?$/;
const ROLLING = /^[a-z]{1,3}(?:[+-]\d{1,4}[a-z])*$/;

/** Why `definition` is no date range definition, or undefined when it is one. */
export function dateRangeDefinitionProblem(definition: string): string | undefined {
  const ends = definition.split("/");
  if (ends.length !== 2) return `definition ${JSON.stringify(definition)} must be <start>/<end>`;
  for (const end of ends) {
    if (ISO.test(end)) {
      if (Number.isNaN(Date.parse(`${end}Z`)) || new Date(`${end}Z`).toISOString().slice(0, 19) !== end.slice(0, 19)) return `definition ${JSON.stringify(definition)}: ${end} is no date`;
    } else if (!ROLLING.test(end)) {
      return `definition ${JSON.stringify(definition)}: ${JSON.stringify(end)} is neither a date-time (2024-01-01T00:00:00) nor a rolling date (tm, tm+1m)`;
    }
  }
  if (ISO.test(ends[0]) && ISO.test(ends[1]) && Date.parse(`${ends[0]}Z`) > Date.parse(`${ends[1]}Z`)) return `definition ${JSON.stringify(definition)} ends before it starts`;
  return undefined;
}

const definition = z.string().refine((d) => dateRangeDefinitionProblem(d) === undefined, { error: (issue) => dateRangeDefinitionProblem(String(issue.input)) ?? "invalid" });

/** The body of `POST /dateranges`: name and definition required (the guide's create steps). */
export const createDateRangeSchema = z.looseObject({
  name: z.string().trim().min(1),
  description: z.string().nullish(),
  definition,
});
const updateDateRangeSchema = createDateRangeSchema.partial();

/** Always on the wire: what the guide's list answers without expansion. */
const ALWAYS = ["id", "name", "description", "owner"] as const;

function parseOrFail<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    invalidParameters(`${issue.path.join(".") || "body"}: ${issue.message}`);
  }
  return parsed.data as z.output<T>;
}

function view(state: CjaOrgState, range: StoredDateRange, expansion: Set<string>): Record<string, unknown> {
  return expand({ ...range, ...metadataFields(state, "dateRange", range.id) }, ALWAYS, expansion);
}

function existing(state: CjaOrgState, id: string): StoredDateRange {
  const range = dateRangesOf(state)[id];
  if (!range) notFound(`Date range ${id} was not found`);
  return range;
}

/** The list, in the guide's page envelope (default page size 100, the guide's "If left null, the default size is 100"). */
function listDateRanges(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  const ids = csvList(req.query.filterByIds);
  const matching = Object.values(dateRangesOf(state))
    .filter((r) => (!ids || ids.length === 0 || ids.includes(r.id)) && listedTo(req, state, "dateRange", r))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const expansion = parseExpansion(req.query);
  return ok(pageEnvelope(matching.map((r) => view(state, r, expansion)), pageRequest(req.query, 100)));
}

function createDateRange(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  const input = parseOrFail(createDateRangeSchema, req.body);
  const now = nowIso(ctx);
  const range: StoredDateRange = { id: ctx.newId(24), name: input.name, description: input.description ?? "", definition: input.definition, owner: requester(req), created: now, modified: now };
  dateRangesOf(state)[range.id] = range;
  ctx.state.touch();
  return ok(view(state, range, parseExpansion(req.query)));
}

function getDateRange(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  return ok(view(state, existing(state, req.params.id), parseExpansion(req.query)));
}

function updateDateRange(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  const range = existing(state, req.params.id);
  const input = parseOrFail(updateDateRangeSchema, req.body);
  if (input.name !== undefined) range.name = input.name;
  if (input.description !== undefined) range.description = input.description ?? "";
  if (input.definition !== undefined) range.definition = input.definition;
  range.modified = nowIso(ctx);
  ctx.state.touch();
  return ok(view(state, range, parseExpansion(req.query)));
}

function deleteDateRange(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  const range = existing(state, req.params.id);
  delete dateRangesOf(state)[range.id];
  forgetComponent(state, "dateRange", range.id);
  ctx.state.touch();
  return ok({ result: "success" });
}

const route = (method: RouteDef["method"], path: string, handler: RouteDef["handler"]): RouteDef => ({ method, path, service: "cja", spec: "cja", handler: guarded(handler) });

export const dateRangeRoutes: RouteDef[] = [
  route("GET", "/dateranges", listDateRanges),
  route("POST", "/dateranges", createDateRange),
  route("GET", "/dateranges/:id", getDateRange),
  route("PUT", "/dateranges/:id", updateDateRange),
  route("DELETE", "/dateranges/:id", deleteDateRange),
];
