/**
 * AEP Catalog batches (platform.adobe.io/data/foundation/catalog/batches): list a dataset's
 * batches, delete one. Catalog answers objects keyed by batch id.
 */
import { z } from "zod";
import { isNotFound } from "../errors";
import type { AdobeClient } from "../http";
import { catalogPages } from "./datasets";
import { opt } from "../schema";

export const batchSchema = z.looseObject({
  status: opt(z.string()),
  created: opt(z.number()),
  completed: opt(z.number()),
  createdClient: opt(z.string()),
  relatedObjects: opt(z.array(z.looseObject({ type: opt(z.string()), id: opt(z.string()) }))),
});

/** A batch with its id (Catalog gives the id only as the key of the answer). */
export type Batch = z.infer<typeof batchSchema> & { id: string };

const batchMapSchema = z.record(z.string(), batchSchema);

/** The dataset's batches, oldest first, all pages. */
export async function listDatasetBatches(client: AdobeClient, datasetId: string, opts: { sandbox?: string } = {}): Promise<Batch[]> {
  const limit = 100;
  return catalogPages(limit, (start) =>
    client.request({
      service: "aep",
      method: "GET",
      path: "/data/foundation/catalog/batches",
      query: { dataSet: datasetId, orderBy: "asc:created", limit, start },
      schema: batchMapSchema,
      sandbox: opts.sandbox,
    }),
  );
}

/**
 * Deletes a batch: its rows leave the dataset, and CJA removes the same batch from every
 * connection that holds it. Catalog's operation (`deleteBatch`) is the only batch deletion in the
 * specs; they mark it deprecated for the Batch Ingestion API's `?action=REVERT`, which no spec holds.
 * A batch already gone (404) counts as deleted.
 */
export async function deleteBatch(client: AdobeClient, batchId: string, opts: { sandbox?: string } = {}): Promise<void> {
  try {
    await client.request({
      service: "aep",
      method: "DELETE",
      path: "/data/foundation/catalog/batches/{BATCH_ID}",
      pathParams: { BATCH_ID: batchId },
      schema: opt(z.array(z.string())),
      sandbox: opts.sandbox,
    });
  } catch (error) {
    if (isNotFound(error)) return;
    throw error;
  }
}
