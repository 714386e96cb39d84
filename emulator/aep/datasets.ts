/**
 * Dataset bookkeeping shared by Catalog, the export jobs and Query Service: creation with the
 * Query Service table tag, lookup by table, and the batches that write a dataset's rows.
 */
import type { EmulatorContext } from "../types";
import type { AepSandboxState, BatchRecord, DatasetRecord } from "./state";

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
  return record;
}

/** Removes a dataset and its batches. */
export function deleteDataset(state: AepSandboxState, id: string): boolean {
  if (!state.datasets[id]) return false;
  delete state.datasets[id];
  for (const batch of batchesOf(state, id)) delete state.batches[batch.id];
  return true;
}

/** The dataset's batches, oldest first. */
export function batchesOf(state: AepSandboxState, datasetId: string): BatchRecord[] {
  return Object.values(state.batches).filter((b) => b.datasetId === datasetId);
}

/** The system columns every row of a dataset carries, as Query Service shows them with `drop_system_columns=false`. */
export const SYSTEM_COLUMNS = ["_acp_system_metadata", "_ACP_BATCHID"] as const;

/**
 * The dataset's rows as Query Service reads them: every row of every batch, each carrying the
 * system columns with the batch that wrote it (`_ACP_BATCHID`, and
 * `_acp_system_metadata.acp_sourceBatchId`: the emulator writes no batch that another one split).
 */
export function tableRows(state: AepSandboxState, datasetId: string): Record<string, unknown>[] {
  return batchesOf(state, datasetId).flatMap((b) => b.rows.map((row) => ({ ...row, _acp_system_metadata: { acp_sourceBatchId: b.id }, _ACP_BATCHID: b.id })));
}

/** Appends one successful batch of rows to a dataset and records it as the dataset's last batch. */
export function appendBatch(
  state: AepSandboxState,
  datasetId: string,
  rows: Record<string, unknown>[],
  batch: { id: string; at: number; client: string },
): BatchRecord {
  const dataset = state.datasets[datasetId];
  if (!dataset) throw new Error(`dataset ${datasetId} does not exist`);
  const record: BatchRecord = { id: batch.id, datasetId, imsOrg: dataset.imsOrg, created: batch.at, completed: batch.at, createdClient: batch.client, status: "success", rows };
  state.batches[batch.id] = record;
  dataset.lastBatchId = batch.id;
  dataset.lastBatchStatus = "success";
  dataset.lastSuccessfulBatch = batch.id;
  dataset.updated = batch.at;
  return record;
}

/** The Catalog view of a dataset: everything but emulator bookkeeping, optionally cut to `properties`. */
export function catalogView(dataset: DatasetRecord, properties?: string[]): Record<string, unknown> {
  const { id: _id, ...view } = dataset;
  if (!properties || properties.length === 0) return view;
  return Object.fromEntries(Object.entries(view).filter(([k]) => properties.includes(k)));
}
