/**
 * Catalog Service datasets (`/data/foundation/catalog/dataSets`): create, list with Catalog's
 * filters and paging, look up, delete. Responses are objects keyed by dataset id.
 */
import { z } from "zod";
import { platformError } from "../errors";
import type { EmuRequest, EmuResponse, RouteDef } from "../types";
import { catalogView, createDataset, deleteDataset } from "./datasets";
import { clientOf, sandboxState, type DatasetRecord } from "./state";

const BASE = "/data/foundation/catalog";
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

/** The project's own check of a dataset create body (the spec marks nothing required). */
export const createDatasetBody = z
  .object({
    name: z.string().min(1, "name is required"),
    description: z.string().optional(),
    schemaRef: z.object({ id: z.string().min(1), contentType: z.string().optional() }).loose().optional(),
    schema: z.string().optional(),
    tags: z.record(z.string(), z.array(z.string())).optional(),
    fileDescription: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();

/** The project's own check of a dataset PATCH body (`application/json`: the fields to set). */
export const patchDatasetBody = z.object({ name: z.string().min(1, "name must not be empty").optional(), description: z.string().optional() }).loose();

const notFound = () => platformError(404, "NotFoundError", "DataSet not found.");
export const badRequest = (detail: string) => platformError(400, "BadRequestError", detail);

function splitList(value: string | undefined): string[] | undefined {
  if (value === undefined || value === "") return undefined;
  return value.split(",").map((s) => s.trim()).filter((s) => s !== "");
}

/** Catalog simple filter `name=a,b` (any of) or `name=!a,b` (none of). */
function matchesSimpleFilter(value: unknown, filter: string): boolean {
  const negate = filter.startsWith("!");
  const options = (negate ? filter.slice(1) : filter).split(",");
  const hit = options.includes(String(value ?? ""));
  return negate ? !hit : hit;
}

function wildcardToRegex(pattern: string): RegExp {
  const parts = pattern.split("**").map((chunk) => chunk.split("*").map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*"));
  return new RegExp(`^${parts.join("\\*")}$`);
}

/** Catalog `property=` expression on a top-level field: `f`, `!f`, `f==v`, `f!=v`, `f~re`, `f<v`, `f>v`, `f<=v`, `f>=v`. */
function matchesProperty(dataset: DatasetRecord, expression: string): boolean {
  const m = /^(!?)([A-Za-z0-9_]+)(?:(==|!=|<=|>=|<|>|~)(.*))?$/.exec(expression.trim());
  if (!m) return false;
  const [, not, field, op, operand] = m;
  const value = (dataset as Record<string, unknown>)[field];
  if (!op) return not ? value === undefined : value !== undefined;
  if (value === undefined) return false;
  const asNumber = Number(operand);
  const numeric = typeof value === "number" && !Number.isNaN(asNumber);
  switch (op) {
    case "==":
      return wildcardToRegex(operand).test(String(value));
    case "!=":
      return !wildcardToRegex(operand).test(String(value));
    case "~":
      try {
        return new RegExp(operand).test(String(value));
      } catch {
        return false;
      }
    case "<":
      return numeric ? (value as number) < asNumber : String(value) < operand;
    case ">":
      return numeric ? (value as number) > asNumber : String(value) > operand;
    case "<=":
      return numeric ? (value as number) <= asNumber : String(value) <= operand;
    default:
      return numeric ? (value as number) >= asNumber : String(value) >= operand;
  }
}

/** Catalog `tags=key:value,key2:*` (all must hold; `*` is a wildcard). */
function matchesTags(dataset: DatasetRecord, filter: string): boolean {
  return filter.split(",").every((pair) => {
    const idx = pair.indexOf(":");
    const key = idx < 0 ? pair : pair.slice(0, idx);
    const wanted = idx < 0 ? "*" : pair.slice(idx + 1);
    const values = dataset.tags[key];
    if (!values) return false;
    const re = wildcardToRegex(wanted);
    return values.some((v) => re.test(v));
  });
}

function compareBy(orderBy: string | undefined): (a: DatasetRecord, b: DatasetRecord) => number {
  const keys = (splitList(orderBy) ?? ["asc:created"]).map((spec) => {
    const [dir, field] = spec.includes(":") ? spec.split(":", 2) : ["asc", spec];
    return { field, sign: dir.toLowerCase() === "desc" ? -1 : 1 };
  });
  return (a, b) => {
    for (const { field, sign } of keys) {
      const x = (a as Record<string, unknown>)[field] as string | number | undefined;
      const y = (b as Record<string, unknown>)[field] as string | number | undefined;
      if (x === y) continue;
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      return (x < y ? -1 : 1) * sign;
    }
    return 0;
  };
}

export function parseIntParam(value: string | undefined, fallback: number): number | undefined {
  if (value === undefined || value === "") return fallback;
  return /^-?\d+$/.test(value) ? Number(value) : undefined;
}

function keyed(datasets: DatasetRecord[], properties?: string[]): Record<string, unknown> {
  return Object.fromEntries(datasets.map((d) => [d.id, catalogView(d, properties)]));
}

function listDatasets(req: EmuRequest, state: ReturnType<typeof sandboxState>): EmuResponse {
  const limit = parseIntParam(req.query.limit, DEFAULT_LIMIT);
  const start = parseIntParam(req.query.start, 0);
  if (limit === undefined || limit < 1) return badRequest(`Invalid limit '${req.query.limit}': limit must be between 1 and ${MAX_LIMIT}.`);
  if (start === undefined || start < 0) return badRequest(`Invalid start '${req.query.start}': start must be a non-negative integer.`);
  let datasets = Object.values(state.datasets);
  for (const field of ["name", "description", "createdClient", "createdUser", "updatedUser", "version"]) {
    const filter = req.query[field];
    if (filter !== undefined) datasets = datasets.filter((d) => matchesSimpleFilter((d as Record<string, unknown>)[field], filter));
  }
  if (req.query.property) datasets = datasets.filter((d) => matchesProperty(d, req.query.property));
  if (req.query.tags) datasets = datasets.filter((d) => matchesTags(d, req.query.tags));
  datasets.sort(compareBy(req.query.orderBy));
  const page = datasets.slice(start, start + Math.min(limit, MAX_LIMIT));
  return { status: 200, body: keyed(page, splitList(req.query.properties)) };
}

/** Catalog routes for datasets. */
export const catalogRoutes: RouteDef[] = [
  {
    method: "POST",
    path: `${BASE}/dataSets`,
    service: "aep",
    spec: "aep-catalog",
    body: createDatasetBody,
    handler: (req, ctx) => {
      const body = createDatasetBody.parse(req.body);
      const state = sandboxState(req, ctx);
      const dataset = createDataset(state, ctx, body, { org: req.org, client: clientOf(req) });
      ctx.state.touch();
      return { status: 201, body: [`@/dataSets/${dataset.id}`], headers: { location: `${BASE}/dataSets/${dataset.id}` } };
    },
  },
  {
    method: "GET",
    path: `${BASE}/dataSets`,
    service: "aep",
    spec: "aep-catalog",
    handler: (req, ctx) => listDatasets(req, sandboxState(req, ctx)),
  },
  {
    method: "GET",
    path: `${BASE}/dataSets/:DATASET_ID`,
    service: "aep",
    spec: "aep-catalog",
    handler: (req, ctx) => {
      const state = sandboxState(req, ctx);
      const found = req.params.DATASET_ID.split(",")
        .map((id) => state.datasets[id.trim()])
        .filter((d): d is DatasetRecord => d !== undefined);
      if (found.length === 0) return notFound();
      return { status: 200, body: keyed(found, splitList(req.query.properties)) };
    },
  },
  {
    // `PATCH /dataSets/{DATASET_ID}` (operationId patchDataset): sets the given attributes, answers `["@/dataSets/<id>"]`.
    method: "PATCH",
    path: `${BASE}/dataSets/:DATASET_ID`,
    service: "aep",
    spec: "aep-catalog",
    body: patchDatasetBody,
    handler: (req, ctx) => {
      const state = sandboxState(req, ctx);
      const dataset = state.datasets[req.params.DATASET_ID];
      if (!dataset) return notFound();
      const patch = patchDatasetBody.parse(req.body);
      if (patch.name !== undefined) dataset.name = patch.name;
      if (patch.description !== undefined) dataset.description = patch.description;
      dataset.updated = ctx.now();
      dataset.updatedUser = `${clientOf(req)}@AdobeID`;
      ctx.state.touch();
      return { status: 200, body: [`@/dataSets/${dataset.id}`] };
    },
  },
  {
    method: "DELETE",
    path: `${BASE}/dataSets/:DATASET_ID`,
    service: "aep",
    spec: "aep-catalog",
    handler: (req, ctx) => {
      const state = sandboxState(req, ctx);
      const id = req.params.DATASET_ID;
      if (!deleteDataset(state, id)) return { status: 200, body: [] };
      ctx.state.touch();
      return { status: 200, body: [`@/dataSets/${id}`] };
    },
  },
];
