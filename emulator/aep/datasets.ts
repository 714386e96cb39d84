/**
 * Dataset bookkeeping shared by Catalog, the export jobs and Query Service: creation with the
 * Query Service table tag, lookup by table, and the rows batches write into a dataset.
 */
import type { EmulatorContext } from "../types";
import type { AepSandboxState, DatasetRecord } from "./state";

/** Catalog tag that names a dataset's Query Service table. */
export const PQS_TABLE_TAG = "adobe/pqs/table";

/** What a caller (Catalog POST or the admin seed) supplies for a new dataset. */
export interface NewDataset {
  id?: string;
  name: string;
  description?: string;
  schemaRef?: { id?: string; contentType?: string };
  schema?: string;
  fileDescription?: Record<string, unknown>;
  tags?: Record<string, string[]>;
  [extra: string]: unknown;
}

/** Query Service table name for a dataset name: lower case, every non-alphanumeric run → `_`. */
export function tableBaseName(name: string): string {
  const base = name.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
  return base === "" ? "dataset" : base;
}

/** The dataset whose Query Service table is `table` (case-insensitive), if any. */
export function datasetByTable(state: AepSandboxState, table: string): DatasetRecord | undefined {
  const wanted = table.toLowerCase();
  return Object.values(state.datasets).find((d) => (d.tags[PQS_TABLE_TAG] ?? []).some((t) => t.toLowerCase() === wanted));
}

/**
 * A free table name for `name`. When another dataset already owns the plain name, Platform adds a
 * timestamp suffix (`acme_sales_20250127_113331_106`); the emulator does the same.
 */
function freeTableName(state: AepSandboxState, name: string, now: number): string {
  const base = tableBaseName(name);
  if (!datasetByTable(state, base)) return base;
  const iso = new Date(now).toISOString();
  const stamp = `${iso.slice(0, 10).replace(/-/g, "")}_${iso.slice(11, 19).replace(/:/g, "")}_${iso.slice(20, 23)}`;
  let candidate = `${base}_${stamp}`;
  for (let n = 1; datasetByTable(state, candidate); n++) candidate = `${base}_${stamp}_${n}`;
  return candidate;
}

/** Stores a new dataset in the sandbox and returns it. */
export function createDataset(
  state: AepSandboxState,
  ctx: EmulatorContext,
  input: NewDataset,
  who: { org: string; client: string },
): DatasetRecord {
  const now = ctx.now();
  const id = input.id ?? ctx.newId(24);
  const { id: _ignored, tags, ...rest } = input;
  const userTags = Object.fromEntries(Object.entries(tags ?? {}).filter(([k]) => k !== PQS_TABLE_TAG));
  const record: DatasetRecord = {
    ...rest,
    id,
    name: input.name,
    version: "1.0.0",
    imsOrg: who.org,
    created: now,
    updated: now,
    createdClient: who.client,
    createdUser: `${who.client}@AdobeID`,
    updatedUser: `${who.client}@AdobeID`,
    tags: { ...userTags, [PQS_TABLE_TAG]: [freeTableName(state, input.name, now)] },
    files: `@/dataSetFiles?dataSetId=${id}`,
  };
  state.datasets[id] = record;
  state.rows[id] = [];
  return record;
}

/** Removes a dataset and its rows. */
export function deleteDataset(state: AepSandboxState, id: string): boolean {
  if (!state.datasets[id]) return false;
  delete state.datasets[id];
  delete state.rows[id];
  return true;
}

/** Appends one successful batch of rows to a dataset and records it as the dataset's last batch. */
export function appendBatch(
  state: AepSandboxState,
  datasetId: string,
  rows: Record<string, unknown>[],
  batchId: string,
  now: number,
): void {
  const dataset = state.datasets[datasetId];
  if (!dataset) throw new Error(`dataset ${datasetId} does not exist`);
  (state.rows[datasetId] ??= []).push(...rows);
  dataset.lastBatchId = batchId;
  dataset.lastBatchStatus = "success";
  dataset.lastSuccessfulBatch = batchId;
  dataset.updated = now;
}

/** The Catalog view of a dataset: everything but emulator bookkeeping, optionally cut to `properties`. */
export function catalogView(dataset: DatasetRecord, properties?: string[]): Record<string, unknown> {
  const { id: _id, ...view } = dataset;
  if (!properties || properties.length === 0) return view;
  return Object.fromEntries(Object.entries(view).filter(([k]) => properties.includes(k)));
}
