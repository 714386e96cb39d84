/**
 * AEP datasets as one run reads them: each dataset read once, whether a list found it or a read by
 * id (the Dataset resource's create, the export job's check of its destination and the membership
 * transform share it). What can change during the run is read again: a dataset's Query Service
 * table, which Adobe adds with its first batch (the export job's), is looked for afresh when the
 * dataset read earlier had none.
 */
import * as datasets from "../adobe/aep/datasets";
import { adobeClient } from "./client";
import { remember, renew, shared } from "./run-cache";

const scope = () => {
  const client = adobeClient();
  return { client, prefix: `${client.orgId}|${client.sandbox}|dataset|` };
};

/** The dataset `id` as this run first read it. @throws AdobeApiError 404 when it does not exist */
export function datasetById(id: string): Promise<datasets.Dataset> {
  const { client, prefix } = scope();
  return shared(`${prefix}${id}`, () => datasets.getDataset(client, id));
}

/** Datasets a list answered, whole: known by id to the rest of the run. */
export function rememberDatasets(found: datasets.Dataset[]): void {
  const { prefix } = scope();
  for (const dataset of found) remember(`${prefix}${dataset.id}`, dataset);
}

/** The dataset `id` read now, and known so to the rest of the run. */
export async function datasetNow(id: string): Promise<datasets.Dataset> {
  const { client, prefix } = scope();
  const dataset = await datasets.getDataset(client, id);
  renew(`${prefix}${id}`, dataset);
  return dataset;
}
