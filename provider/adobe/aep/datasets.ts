/**
 * AEP Catalog datasets (platform.adobe.io/data/foundation/catalog/dataSets): create, get, list, update the description, delete.
 * Catalog answers objects keyed by dataset id, and creates/deletes with `["@/dataSets/<id>"]`.
 */
import { z } from "zod";
import { AdobeApiError } from "../errors";
import type { AdobeClient } from "../http";
import { opt } from "../schema";

export const datasetSchema = z.looseObject({
  name: opt(z.string()),
  description: opt(z.string()),
  imsOrg: opt(z.string()),
  schemaRef: opt(z.looseObject({ id: opt(z.string()), contentType: opt(z.string()) })),
  tags: opt(z.record(z.string(), z.array(z.string()))),
  fileDescription: opt(z.looseObject({})),
  created: opt(z.number()),
  updated: opt(z.number()),
  lastBatchId: opt(z.string()),
  lastBatchStatus: opt(z.string()),
});

/** A dataset with its id (Catalog gives the id only as the key of the answer). */
export type Dataset = z.infer<typeof datasetSchema> & { id: string };

const datasetMapSchema = z.record(z.string(), datasetSchema);
const refListSchema = z.array(z.string());

/** Body of POST /dataSets. */
export interface CreateDatasetBody {
  name: string;
  description?: string;
  /** `{ id: "_xdm.context.profile__union" | "<schema $id>", contentType: "application/vnd.adobe.xed+json;version=1" }` */
  schemaRef: { id: string; contentType: string };
  tags?: Record<string, string[]>;
  fileDescription?: Record<string, unknown>;
  [field: string]: unknown;
}

/** `"@/dataSets/5c8c..."` (either casing of `dataSets`) → `5c8c...`. */
export function datasetIdFromRef(ref: string): string | undefined {
  const m = /^@\/datasets\/([^/?#]+)$/i.exec(ref.trim());
  return m ? m[1] : undefined;
}

/**
 * Creates a dataset and returns its id. POST: repeated after an ambiguous failure only when
 * `recover` (e.g. `findDatasetByName`) found nothing.
 */
export async function createDataset(
  client: AdobeClient,
  body: CreateDatasetBody,
  opts: { recover?: () => Promise<string | undefined>; sandbox?: string } = {},
): Promise<string> {
  const path = "/data/foundation/catalog/dataSets";
  const recover = opts.recover;
  const refs = await client.request({
    service: "aep",
    method: "POST",
    path,
    body,
    schema: refListSchema,
    recover: recover && (async () => {
      const id = await recover();
      return id === undefined ? undefined : [`@/dataSets/${id}`];
    }),
    sandbox: opts.sandbox,
  });
  const id = refs.map(datasetIdFromRef).find((x) => x !== undefined);
  if (!id) {
    throw new AdobeApiError({
      service: "AEP",
      kind: "invalid_response",
      method: "POST",
      path,
      status: 201,
      description: `expected ["@/dataSets/<id>"], got ${JSON.stringify(refs).slice(0, 200)}`,
      retryable: false,
    });
  }
  return id;
}

/** A `recover` hook for `createDataset`: the id of a dataset with exactly this name, if any. */
export function findDatasetByName(client: AdobeClient, name: string, opts: { sandbox?: string } = {}): () => Promise<string | undefined> {
  return async () => (await listDatasets(client, { name, sandbox: opts.sandbox })).find((d) => d.name === name)?.id;
}

/** One dataset. @throws AdobeApiError 404 when it does not exist */
export async function getDataset(client: AdobeClient, datasetId: string, opts: { sandbox?: string } = {}): Promise<Dataset> {
  const path = "/data/foundation/catalog/dataSets/{DATASET_ID}";
  const map = await client.request({
    service: "aep",
    method: "GET",
    path,
    pathParams: { DATASET_ID: datasetId },
    schema: datasetMapSchema,
    sandbox: opts.sandbox,
  });
  const entries = Object.entries(map);
  const entry = entries.find(([id]) => id === datasetId) ?? (entries.length === 1 ? entries[0] : undefined);
  if (!entry) {
    throw new AdobeApiError({
      service: "AEP",
      kind: "http",
      method: "GET",
      path: path.replace("{DATASET_ID}", encodeURIComponent(datasetId)),
      status: 404,
      description: "the answer does not contain the dataset",
      retryable: false,
    });
  }
  return { ...entry[1], id: entry[0] };
}

export interface ListDatasetsOptions {
  /** Exact name (Catalog's `name` filter). */
  name?: string;
  /** Catalog's `tags` filter: every `key:value` must hold (`*` any value). */
  tags?: Record<string, string>;
  /** Top-level fields to return (Catalog's `properties`), e.g. `["name", "schemaRef", "tags"]`. */
  properties?: string[];
  /** Page size, 1..100; default 100. */
  limit?: number;
  sandbox?: string;
}

/**
 * Every page of a Catalog list: Catalog answers objects keyed by id, with no envelope, so pages are
 * read until one is shorter than `limit` (or brings nothing new).
 */
export async function catalogPages<T>(limit: number, page: (start: number) => Promise<Record<string, T>>): Promise<Array<T & { id: string }>> {
  const items: Array<T & { id: string }> = [];
  const seen = new Set<string>();
  for (let start = 0; ; start += limit) {
    const map = await page(start);
    const entries = Object.entries(map).filter(([id]) => !seen.has(id));
    for (const [id, item] of entries) {
      seen.add(id);
      items.push({ ...item, id });
    }
    if (Object.keys(map).length < limit || entries.length === 0) return items;
  }
}

/** Matching datasets, all pages. */
export async function listDatasets(client: AdobeClient, opts: ListDatasetsOptions = {}): Promise<Dataset[]> {
  const limit = Math.min(100, Math.max(1, opts.limit ?? 100));
  return catalogPages(limit, (start) =>
    client.request({
      service: "aep",
      method: "GET",
      path: "/data/foundation/catalog/dataSets",
      query: { name: opts.name, tags: opts.tags && Object.entries(opts.tags).map(([k, v]) => `${k}:${v}`).join(","), properties: opts.properties, limit, start },
      schema: datasetMapSchema,
      sandbox: opts.sandbox,
    }),
  );
}

/** Sets a dataset's description (`PATCH /dataSets/{id}`, operation patchDataset). */
export async function updateDatasetDescription(client: AdobeClient, datasetId: string, description: string, opts: { sandbox?: string } = {}): Promise<void> {
  await client.request({
    service: "aep",
    method: "PATCH",
    path: "/data/foundation/catalog/dataSets/{DATASET_ID}",
    pathParams: { DATASET_ID: datasetId },
    body: { description },
    idempotent: true,
    schema: opt(refListSchema),
    sandbox: opts.sandbox,
  });
}

/** Deletes a dataset. Catalog may answer 200 with an empty list for an unknown id. */
export async function deleteDataset(client: AdobeClient, datasetId: string, opts: { sandbox?: string } = {}): Promise<void> {
  await client.request({
    service: "aep",
    method: "DELETE",
    path: "/data/foundation/catalog/dataSets/{DATASET_ID}",
    pathParams: { DATASET_ID: datasetId },
    schema: opt(refListSchema),
    sandbox: opts.sandbox,
  });
}
