/**
 * Calculated metrics: `GET/POST /calculatedmetrics`, `GET/PUT/DELETE /calculatedmetrics/{id}`,
 * `POST /calculatedmetrics/validate`.
 *
 * `POST /calculatedmetrics` is in Adobe's guide and every client library but missing from cja.json,
 * so it is served without spec validation and checked with `createCalculatedMetricSchema` (the
 * guide's shape). Every metric a definition references must exist in the data view `dataId`.
 */
import { z } from "zod";
import type { EmuRequest, EmulatorContext, RouteDef } from "../types";
import { checkDefinition, type DefinitionCheck } from "./calc-definition";
import { forgetComponent, listedTo, metadataFields } from "./component-metadata";
import { expand, parseExpansion, type ExpansionAliases } from "./expansion";
import { guarded, invalidParameters, notFound, ok } from "./failure";
import { pageEnvelope, pageRequest, sortItems } from "./paging";
import { cjaState, type CjaOrgState, type StoredCalculatedMetric } from "./state";
import { clone, csvList, lowerEnum, nowIso, requester } from "./wire";

const VALIDATOR = { validator_version: "1.0.0", supported_products: ["oberon", "frag"], supported_schema: ["schema_oberon", "schema_frag"] };

const caseInsensitiveEnum = (values: readonly [string, ...string[]]) => z.string().transform(lowerEnum).pipe(z.enum(values));

const definitionSchema = z.looseObject({
  func: z.literal("calc-metric"),
  formula: z.unknown().refine((formula) => formula !== undefined, "Required"),
  version: z.array(z.number().int()).optional(),
});

/** The body of `POST /calculatedmetrics`, as Adobe's calculated metrics guide shows it. */
export const createCalculatedMetricSchema = z.looseObject({
  name: z.string().min(1),
  description: z.string().optional(),
  dataId: z.string().min(1),
  type: caseInsensitiveEnum(["decimal", "percent", "currency", "time"]).optional(),
  precision: z.number().int().min(0).optional(),
  polarity: caseInsensitiveEnum(["positive", "negative"]).optional(),
  definition: definitionSchema,
});

/** The fields `PUT /calculatedmetrics/{id}` may change (partial update). */
const updateCalculatedMetricSchema = createCalculatedMetricSchema.partial();

type CalcMetricInput = z.output<typeof updateCalculatedMetricSchema>;

/**
 * Always on the wire: Adobe's documented default fields, plus `definition`, which cja.json marks
 * required on every `CalculatedMetric` it returns.
 */
const ALWAYS = ["id", "name", "description", "dataId", "owner", "polarity", "precision", "type", "definition"] as const;
const ALIASES: ExpansionAliases = { ownerFullName: ["owner"] };

function metricIdsOf(state: CjaOrgState, dataViewId: string): Set<string> {
  return new Set(Object.keys(state.components[dataViewId]?.metrics ?? {}));
}

function dataViewOrFail(state: CjaOrgState, dataId: string): void {
  if (!state.dataViews[dataId]) notFound(`Unable to find data view ${dataId}`);
}

function check(state: CjaOrgState, definition: unknown, dataId: string): DefinitionCheck {
  return checkDefinition(definition, metricIdsOf(state, dataId), dataId);
}

function compatibility(result: DefinitionCheck): Record<string, unknown> {
  return result.valid ? { ...result, ...VALIDATOR } : { valid: false, message: result.message, ...VALIDATOR };
}

/** A calculated metric on the wire for `expansion`. */
function calcMetricView(state: CjaOrgState, metric: StoredCalculatedMetric, expansion: Set<string>): Record<string, unknown> {
  const derived: Record<string, unknown> = {
    ...metric,
    dataName: state.dataViews[metric.dataId]?.name,
    isDeleted: false,
    internal: false,
    approved: false,
    favorite: false,
    ...metadataFields(state, "calculatedMetric", metric.id),
    categories: [],
    migratedIds: [],
  };
  if (expansion.has("compatibility")) derived.compatibility = compatibility(check(state, metric.definition, metric.dataId));
  return expand(derived, ALWAYS, expansion, ALIASES);
}

function parseOrFail<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    invalidParameters(`${issue.path.join(".") || "body"}: ${issue.message}`);
  }
  return parsed.data as z.output<T>;
}

/** Reject a definition that references a metric missing from the data view, naming it. */
function requireValidDefinition(state: CjaOrgState, definition: unknown, dataId: string): void {
  const result = check(state, definition, dataId);
  if (!result.valid) invalidParameters(result.message);
}

function applyInput(metric: StoredCalculatedMetric, input: CalcMetricInput): void {
  if (input.name !== undefined) metric.name = input.name;
  if (input.description !== undefined) metric.description = input.description;
  if (input.dataId !== undefined) metric.dataId = input.dataId;
  if (input.type !== undefined) metric.type = input.type;
  if (input.precision !== undefined) metric.precision = input.precision;
  if (input.polarity !== undefined) metric.polarity = input.polarity;
  if (input.definition !== undefined) metric.definition = { ...clone(input.definition), version: input.definition.version ?? [1, 0, 0] };
}

function matchesFilters(metric: StoredCalculatedMetric, query: Record<string, string>): boolean {
  const dataIds = csvList(query.dataIds);
  if (dataIds && dataIds.length > 0 && !dataIds.includes(metric.dataId)) return false;
  const ids = csvList(query.filterByIds);
  if (ids && ids.length > 0 && !ids.includes(metric.id)) return false;
  return !query.ownerId || metric.owner.imsUserId === query.ownerId;
}

/**
 * The list, in the page envelope of Adobe's calculated metrics guide (`content`, `totalElements`,
 * `lastPage`, ...; cja.json types it as a bare array, see spec-deviations.ts), one page per
 * `limit`/`page`, or everything in one page with `pagination=false`.
 */
function listCalculatedMetrics(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  const expansion = parseExpansion(req.query);
  const matching = Object.values(state.calculatedMetrics).filter((metric) => matchesFilters(metric, req.query) && listedTo(req, state, "calculatedMetric", metric));
  const sorted = sortItems(matching, req.query, { id: (m) => m.id, name: (m) => m.name.toLowerCase(), modified_date: (m) => m.modified }, "id");
  const views = sorted.map((metric) => calcMetricView(state, metric, expansion));
  const request = req.query.pagination === "false" ? { page: 0, limit: Math.max(views.length, 1) } : pageRequest(req.query);
  return ok(pageEnvelope(views, request));
}

function createCalculatedMetric(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  const input = parseOrFail(createCalculatedMetricSchema, req.body);
  dataViewOrFail(state, input.dataId);
  requireValidDefinition(state, input.definition, input.dataId);
  const now = nowIso(ctx);
  const metric: StoredCalculatedMetric = {
    id: `cm${ctx.newId(24)}`,
    name: input.name,
    description: "",
    dataId: input.dataId,
    owner: requester(req),
    polarity: "positive",
    precision: 0,
    type: "decimal",
    definition: {},
    created: now,
    modified: now,
  };
  applyInput(metric, input);
  state.calculatedMetrics[metric.id] = metric;
  ctx.state.touch();
  return ok(calcMetricView(state, metric, parseExpansion(req.query)));
}

function existingMetric(state: CjaOrgState, id: string): StoredCalculatedMetric {
  const metric = state.calculatedMetrics[id];
  if (!metric) notFound(`Calculated metric ${id} was not found`);
  return metric;
}

function getCalculatedMetric(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  return ok(calcMetricView(state, existingMetric(state, req.params.id), parseExpansion(req.query)));
}

function updateCalculatedMetric(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  const metric = existingMetric(state, req.params.id);
  const input = parseOrFail(updateCalculatedMetricSchema, req.body);
  const dataId = input.dataId ?? metric.dataId;
  if (input.dataId !== undefined || input.definition !== undefined) {
    dataViewOrFail(state, dataId);
    requireValidDefinition(state, input.definition ?? metric.definition, dataId);
  }
  applyInput(metric, input);
  metric.modified = nowIso(ctx);
  ctx.state.touch();
  return ok(calcMetricView(state, metric, parseExpansion(req.query)));
}

function deleteCalculatedMetric(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  const metric = existingMetric(state, req.params.id);
  delete state.calculatedMetrics[metric.id];
  forgetComponent(state, "calculatedMetric", metric.id);
  ctx.state.touch();
  return ok({ result: "success" });
}

/**
 * Validate: `{valid, identityMetrics, functions, validator_version, supported_products,
 * supported_schema}` or `{valid: false, message}`, as the validate guide shows; the definition is
 * not echoed (cja.json's schema requires it, see spec-deviations.ts).
 */
function validateCalculatedMetric(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  const body = (req.body ?? {}) as Record<string, unknown>;
  const { name, dataId, definition } = body;
  if (typeof name !== "string" || typeof dataId !== "string" || typeof definition !== "object" || definition === null || Array.isArray(definition)) {
    invalidParameters("Invalid input; name, dataview ID, and definition are all required. Definition must be formatted as a JSON object.");
  }
  dataViewOrFail(state, dataId as string);
  const result = check(state, definition, dataId as string);
  return ok(result.valid ? { valid: true, identityMetrics: result.identityMetrics, functions: result.functions, ...VALIDATOR } : { valid: false, message: result.message });
}

const route = (method: RouteDef["method"], path: string, handler: RouteDef["handler"]): RouteDef => ({
  method,
  path,
  service: "cja",
  spec: "cja",
  handler: guarded(handler),
});

export const calculatedMetricRoutes: RouteDef[] = [
  route("GET", "/calculatedmetrics", listCalculatedMetrics),
  // Not in cja.json (Adobe's guide documents it): the project's schema is its only check.
  { method: "POST", path: "/calculatedmetrics", service: "cja", body: createCalculatedMetricSchema, handler: guarded(createCalculatedMetric) },
  route("POST", "/calculatedmetrics/validate", validateCalculatedMetric),
  route("GET", "/calculatedmetrics/:id", getCalculatedMetric),
  route("PUT", "/calculatedmetrics/:id", updateCalculatedMetric),
  route("DELETE", "/calculatedmetrics/:id", deleteCalculatedMetric),
];
