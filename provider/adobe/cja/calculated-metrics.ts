/**
 * CJA calculated metrics: list, get, create, update, delete, validate
 * (`/calculatedmetrics`, `/calculatedmetrics/{id}`, `/calculatedmetrics/validate`).
 *
 * `POST /calculatedmetrics` (create) is in Adobe's calculated metrics guide and every client
 * library but missing from Adobe's `cja.json`; it is used as the guide documents it.
 */
import { z } from "zod";
import type { AdobeClient } from "../http";
import { enumValue, opt, ownerSchema } from "../schema";
import { shareSchema, tagSchema } from "./component-metadata";
import { collectPages, pageOf } from "./pages";

export const calculatedMetricSchema = z.looseObject({
  id: z.string(),
  name: opt(z.string()),
  description: opt(z.string()),
  /** The data view the metric belongs to. */
  dataId: opt(z.string()),
  owner: opt(ownerSchema),
  polarity: opt(z.string().transform((s) => s.toLowerCase())),
  precision: opt(z.number()),
  /** CURRENCY / TIME / DECIMAL / PERCENT (docs send lower case; normalised to the spec's upper case). */
  type: opt(enumValue),
  definition: opt(z.looseObject({})),
  isDeleted: opt(z.boolean()),
  modified: opt(z.string()),
  /** With `expansion=shares,tags`: who it is shared with, and its tags. */
  shares: opt(z.array(shareSchema)),
  tags: opt(z.array(tagSchema)),
});

export type CalculatedMetric = z.infer<typeof calculatedMetricSchema>;

/** The writable fields of a calculated metric (create body; an update sends any subset plus `definition`). */
export interface CalculatedMetricBody {
  name?: string;
  description?: string;
  dataId?: string;
  type?: string;
  polarity?: string;
  precision?: number;
  definition?: Record<string, unknown>;
  [field: string]: unknown;
}

/** Expansion that returns the definition with the metric. */
export const CALCULATED_METRIC_EXPANSION = ["definition", "modified", "isDeleted", "dataName", "shares", "tags"];
const GET_EXPANSION = ["definition", "modified", "isDeleted", "shares", "tags"];

export interface ListCalculatedMetricsOptions {
  /** Only metrics of these data views. */
  dataIds?: string[];
  /** Only the metrics with these ids. */
  filterByIds?: string[];
  /**
   * Adobe's list holds what the credential owns; `all` adds every other one it may see (cja.json:
   * "Include additional calculated metrics not owned by user").
   */
  includeType?: Array<"all" | "shared">;
  /** Exact name; filtered here (the API has no name filter). */
  name?: string;
  expansion?: string[];
  /** Page size; default 1000 (Adobe's guidance for this endpoint). */
  limit?: number;
}

/** Every matching calculated metric (all pages; the spec types the answer as a bare array, the guide as a page envelope: both are read). */
export async function listCalculatedMetrics(client: AdobeClient, opts: ListCalculatedMetricsOptions = {}): Promise<CalculatedMetric[]> {
  const limit = opts.limit ?? 1000;
  const all = await collectPages(
    (page) =>
      client.request({
        service: "cja",
        method: "GET",
        path: "/calculatedmetrics",
        query: { expansion: opts.expansion ?? CALCULATED_METRIC_EXPANSION, includeType: opts.includeType, dataIds: opts.dataIds, filterByIds: opts.filterByIds, limit, page },
        schema: pageOf(calculatedMetricSchema),
      }),
    limit,
  );
  return opts.name === undefined ? all : all.filter((m) => m.name === opts.name);
}

/** One calculated metric. @throws AdobeApiError 404 when it does not exist */
export async function getCalculatedMetric(client: AdobeClient, id: string, expansion: string[] = GET_EXPANSION): Promise<CalculatedMetric> {
  return client.request({
    service: "cja",
    method: "GET",
    path: "/calculatedmetrics/{id}",
    pathParams: { id },
    query: { expansion },
    schema: calculatedMetricSchema,
  });
}

/**
 * Creates a calculated metric (POST, from Adobe's guide: not in cja.json). Repeated after an
 * ambiguous failure only when `recover` (e.g. a lookup by name in the data view) found nothing.
 */
export async function createCalculatedMetric(
  client: AdobeClient,
  body: CalculatedMetricBody,
  opts: { recover?: () => Promise<CalculatedMetric | undefined> } = {},
): Promise<CalculatedMetric> {
  return client.request({
    service: "cja",
    method: "POST",
    path: "/calculatedmetrics",
    body,
    schema: calculatedMetricSchema,
    recover: opts.recover,
  });
}

/** A `recover` hook that finds a metric by exact name in a data view. */
export function findByName(client: AdobeClient, dataId: string, name: string): () => Promise<CalculatedMetric | undefined> {
  return async () => (await listCalculatedMetrics(client, { dataIds: [dataId], name }))[0];
}

/** Updates a calculated metric (name, description, definition, owner, data view id). */
export async function updateCalculatedMetric(
  client: AdobeClient,
  id: string,
  body: CalculatedMetricBody,
  expansion: string[] = GET_EXPANSION,
): Promise<CalculatedMetric> {
  return client.request({
    service: "cja",
    method: "PUT",
    path: "/calculatedmetrics/{id}",
    pathParams: { id },
    query: { expansion },
    body,
    schema: calculatedMetricSchema,
  });
}

const deleteResultSchema = z.looseObject({ result: opt(z.string()), message: opt(z.string()) });

/** Deletes a calculated metric. @throws AdobeApiError 404 when it does not exist */
export async function deleteCalculatedMetric(client: AdobeClient, id: string): Promise<z.infer<typeof deleteResultSchema>> {
  const result = await client.request({
    service: "cja",
    method: "DELETE",
    path: "/calculatedmetrics/{id}",
    pathParams: { id },
    schema: opt(deleteResultSchema),
  });
  return result ?? {};
}

export const calculatedMetricValidationSchema = z.looseObject({
  valid: opt(z.boolean()),
  message: opt(z.string()),
  identityMetrics: opt(z.array(z.looseObject({ identity: opt(z.string()) }))),
  functions: opt(z.array(z.string())),
  validator_version: opt(z.string()),
});
export type CalculatedMetricValidation = z.infer<typeof calculatedMetricValidationSchema>;

/** Asks Adobe whether a metric body (name, dataId, definition) is valid; writes nothing. */
export async function validateCalculatedMetric(client: AdobeClient, body: CalculatedMetricBody): Promise<CalculatedMetricValidation> {
  return client.request({
    service: "cja",
    method: "POST",
    path: "/calculatedmetrics/validate",
    body,
    schema: calculatedMetricValidationSchema,
    idempotent: true,
  });
}
