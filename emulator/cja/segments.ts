/**
 * Filters, which CJA's API calls segments: `GET/POST /segments`, `GET/PUT/DELETE /segments/{id}`,
 * `POST /segments/validate` (all in cja.json; the answers in the shapes of Adobe's segments,
 * filters and validate guides, see component-spec-deviations.ts).
 *
 * A segment belongs to a data view (`dataId`) and is owned by the identity that made it (for an
 * OAuth Server-to-Server credential, its technical account). Its definition must pass the
 * validator of segment-definition.ts: the guide's structure, each component in the data view.
 */
import { z } from "zod";
import type { EmuRequest, EmulatorContext, RouteDef } from "../types";
import { forgetComponent, listedTo, metadataFields } from "./component-metadata";
import { expand, parseExpansion } from "./expansion";
import { guarded, invalidParameters, notFound, ok } from "./failure";
import { pageEnvelope, pageRequest, sortItems } from "./paging";
import { checkSegmentDefinition, type SegmentCheck } from "./segment-definition";
import { cjaState, type CjaOrgState, type CjaOwner } from "./state";
import { clone, csvList, nowIso, requester } from "./wire";

/** A segment as the emulator keeps it. */
export interface StoredSegment {
  id: string;
  name: string;
  description: string;
  dataId: string;
  owner: CjaOwner;
  definition: Record<string, unknown>;
  created: string;
  modified: string;
}

/** The org's segments, kept beside its other CJA objects (created empty on first use). */
export function segmentsOf(state: CjaOrgState): Record<string, StoredSegment> {
  const slot = state as CjaOrgState & { segments?: Record<string, StoredSegment> };
  return (slot.segments ??= {});
}

/** The validator's identity, as the validate guide's answer shows it. */
const VALIDATOR = { validator_version: "1.1.11", supported_products: ["data_warehouse", "oberon", "discover"], supported_schema: ["schema_data_warehouse", "schema_oberon"] };

/** The body of `POST /segments` as Adobe's filters guide shows it. */
export const createSegmentSchema = z.looseObject({
  name: z.string().trim().min(1),
  description: z.string().nullish(),
  dataId: z.string().min(1),
  definition: z.looseObject({}),
});
const updateSegmentSchema = createSegmentSchema.partial();

/** Always on the wire: `id` (cja.json's default item), `name` and `description` (every answer of the guides). */
const ALWAYS = ["id", "name", "description"] as const;

function parseOrFail<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    invalidParameters(`${issue.path.join(".") || "body"}: ${issue.message}`);
  }
  return parsed.data as z.output<T>;
}

function dataViewOrFail(state: CjaOrgState, dataId: string): void {
  if (!state.dataViews[dataId]) notFound(`Unable to find data view ${dataId}`);
}

function check(state: CjaOrgState, definition: unknown, dataId: string): SegmentCheck {
  const components = state.components[dataId];
  return checkSegmentDefinition(definition, { dimensions: new Set(Object.keys(components?.dimensions ?? {})), metrics: new Set(Object.keys(components?.metrics ?? {})) }, dataId);
}

function validationAnswer(result: SegmentCheck): Record<string, unknown> {
  return result.valid
    ? { valid: true, message: "Segment definition is valid", ...VALIDATOR, supported_features: result.functions.map((f) => `function_${f}`) }
    : { valid: false, message: result.message, errors: [result.message], ...VALIDATOR };
}

function segmentView(state: CjaOrgState, segment: StoredSegment, expansion: Set<string>): Record<string, unknown> {
  const derived: Record<string, unknown> = {
    ...segment,
    createdDate: segment.created,
    definitionLastModified: segment.modified,
    dataName: state.dataViews[segment.dataId]?.name,
    isDeleted: false,
    internal: false,
    approved: false,
    favorite: false,
    ...metadataFields(state, "segment", segment.id),
  };
  if (expansion.has("compatibility")) derived.compatibility = validationAnswer(check(state, segment.definition, segment.dataId));
  return expand(derived, ALWAYS, expansion);
}

function existing(state: CjaOrgState, id: string): StoredSegment {
  const segment = segmentsOf(state)[id];
  if (!segment) notFound(`Segment ${id} was not found`);
  return segment;
}

function matches(segment: StoredSegment, query: Record<string, string>): boolean {
  const dataIds = csvList(query.dataIds);
  if (dataIds && dataIds.length > 0 && !dataIds.includes(segment.dataId)) return false;
  const ids = csvList(query.filterByIds);
  if (ids && ids.length > 0 && !ids.includes(segment.id)) return false;
  if (query.name !== undefined && query.name !== "" && segment.name !== query.name) return false;
  return !query.ownerId || segment.owner.imsUserId === query.ownerId;
}

function listSegments(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  const expansion = parseExpansion(req.query);
  const matching = Object.values(segmentsOf(state)).filter((s) => matches(s, req.query) && listedTo(req, state, "segment", s));
  const sorted = sortItems(matching, req.query, { id: (s) => s.id, name: (s) => s.name.toLowerCase(), modified_date: (s) => s.modified, performanceScore: (s) => s.id }, "id");
  const views = sorted.map((s) => segmentView(state, s, expansion));
  const request = req.query.pagination === "false" ? { page: 0, limit: Math.max(views.length, 1) } : pageRequest(req.query);
  return ok(pageEnvelope(views, request));
}

function requireValid(state: CjaOrgState, definition: unknown, dataId: string): void {
  const result = check(state, definition, dataId);
  if (!result.valid) invalidParameters(result.message);
}

function createSegment(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  const input = parseOrFail(createSegmentSchema, req.body);
  dataViewOrFail(state, input.dataId);
  requireValid(state, input.definition, input.dataId);
  const now = nowIso(ctx);
  const segment: StoredSegment = {
    id: `s300000000_${ctx.newId(24)}`,
    name: input.name,
    description: input.description ?? "",
    dataId: input.dataId,
    owner: requester(req),
    definition: clone(input.definition),
    created: now,
    modified: now,
  };
  segmentsOf(state)[segment.id] = segment;
  ctx.state.touch();
  return ok(segmentView(state, segment, parseExpansion(req.query)));
}

function getSegment(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  return ok(segmentView(state, existing(state, req.params.id), parseExpansion(req.query)));
}

function updateSegment(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  const segment = existing(state, req.params.id);
  const input = parseOrFail(updateSegmentSchema, req.body);
  const dataId = input.dataId ?? segment.dataId;
  if (input.dataId !== undefined || input.definition !== undefined) {
    dataViewOrFail(state, dataId);
    requireValid(state, input.definition ?? segment.definition, dataId);
  }
  if (input.name !== undefined) segment.name = input.name;
  if (input.description !== undefined) segment.description = input.description ?? "";
  if (input.dataId !== undefined) segment.dataId = input.dataId;
  if (input.definition !== undefined) segment.definition = clone(input.definition);
  segment.modified = nowIso(ctx);
  ctx.state.touch();
  return ok(segmentView(state, segment, parseExpansion(req.query)));
}

function deleteSegment(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  const segment = existing(state, req.params.id);
  delete segmentsOf(state)[segment.id];
  forgetComponent(state, "segment", segment.id);
  ctx.state.touch();
  return ok({ result: "success" });
}

/**
 * Validate: the validate guide's body (`dataId`, `name`, `definition`, ...); answers `{valid,
 * message, validator_version, supported_products, supported_schema, supported_features}` or
 * `{valid: false, message, errors}` (cja.json's answer schema).
 */
function validateSegment(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  const body = req.body as Record<string, unknown> | undefined;
  if (!body || typeof body !== "object" || Array.isArray(body) || typeof body.dataId !== "string" || body.dataId === "") {
    invalidParameters("Bad JSON input; a data view id (dataId) and a definition are required");
  }
  const dataId = (body as Record<string, unknown>).dataId as string;
  dataViewOrFail(state, dataId);
  return ok(validationAnswer(check(state, (body as Record<string, unknown>).definition, dataId)));
}

const route = (method: RouteDef["method"], path: string, handler: RouteDef["handler"]): RouteDef => ({
  method,
  path,
  service: "cja",
  spec: "cja",
  handler: guarded(handler),
});

export const segmentRoutes: RouteDef[] = [
  route("GET", "/segments", listSegments),
  route("POST", "/segments", createSegment),
  route("POST", "/segments/validate", validateSegment),
  route("GET", "/segments/:id", getSegment),
  route("PUT", "/segments/:id", updateSegment),
  route("DELETE", "/segments/:id", deleteSegment),
];
