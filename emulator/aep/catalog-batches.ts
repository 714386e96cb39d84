/**
 * Catalog Service batches (`/data/foundation/catalog/batches`): list a dataset's batches, look one
 * up, delete one. Each export job and each INSERT query writes one batch (datasets.ts). Answers
 * are objects keyed by batch id.
 */
import { platformError } from "../errors";
import type { EmuRequest, EmuResponse, EmulatorContext, RouteDef } from "../types";
import { badRequest, DEFAULT_LIMIT, MAX_LIMIT, parseIntParam } from "./catalog";
import { settleSandbox } from "./settle";
import { sandboxState, type AepSandboxState, type BatchRecord } from "./state";

const BASE = "/data/foundation/catalog";

/** The request's sandbox, brought up to the clock (a batch an export or query is due to write is there). */
function settled(req: EmuRequest, ctx: EmulatorContext): AepSandboxState {
  const state = sandboxState(req, ctx);
  settleSandbox(state, ctx);
  return state;
}

/** A batch as Catalog returns it (schema `batchResponse`). */
function batchView(batch: BatchRecord): Record<string, unknown> {
  return {
    imsOrg: batch.imsOrg,
    created: batch.created,
    updated: batch.completed,
    started: batch.created,
    completed: batch.completed,
    createdClient: batch.createdClient,
    createdUser: `${batch.createdClient}@AdobeID`,
    updatedUser: `${batch.createdClient}@AdobeID`,
    status: batch.status,
    version: "1.0.0",
    relatedObjects: [{ type: "dataSet", id: batch.datasetId }],
    metrics: { recordCount: batch.rows.length },
  };
}

function listBatches(req: EmuRequest, state: AepSandboxState): EmuResponse {
  const limit = parseIntParam(req.query.limit, DEFAULT_LIMIT);
  const start = parseIntParam(req.query.start, 0);
  if (limit === undefined || limit < 1) return badRequest(`Invalid limit '${req.query.limit}': limit must be between 1 and ${MAX_LIMIT}.`);
  if (start === undefined || start < 0) return badRequest(`Invalid start '${req.query.start}': start must be a non-negative integer.`);
  let batches = Object.values(state.batches);
  if (req.query.dataSet !== undefined) batches = batches.filter((b) => b.datasetId === req.query.dataSet);
  if (req.query.status !== undefined) batches = batches.filter((b) => b.status === req.query.status);
  if (req.query.createdAfter !== undefined) batches = batches.filter((b) => b.created > Number(req.query.createdAfter));
  if (req.query.createdBefore !== undefined) batches = batches.filter((b) => b.created < Number(req.query.createdBefore));
  const desc = /^desc:created$/i.test(req.query.orderBy ?? "");
  batches.sort((a, b) => (a.created - b.created) * (desc ? -1 : 1));
  const page = batches.slice(start, start + Math.min(limit, MAX_LIMIT));
  return { status: 200, body: Object.fromEntries(page.map((b) => [b.id, batchView(b)])) };
}

const batchNotFound = () => platformError(404, "NotFoundError", "Batch not found.");

/** Catalog routes for batches. */
export const batchRoutes: RouteDef[] = [
  {
    method: "GET",
    path: `${BASE}/batches`,
    service: "aep",
    spec: "aep-catalog",
    handler: (req, ctx) => listBatches(req, settled(req, ctx)),
  },
  {
    method: "GET",
    path: `${BASE}/batches/:BATCH_ID`,
    service: "aep",
    spec: "aep-catalog",
    handler: (req, ctx) => {
      const batch = settled(req, ctx).batches[req.params.BATCH_ID];
      return batch ? { status: 200, body: { [batch.id]: batchView(batch) } } : batchNotFound();
    },
  },
  {
    // Deprecated in the spec in favour of the Batch Ingestion API's `?action=REVERT`, which no spec
    // here holds. The batch and its rows are gone at once (Adobe collects them asynchronously).
    method: "DELETE",
    path: `${BASE}/batches/:BATCH_ID`,
    service: "aep",
    spec: "aep-catalog",
    handler: (req, ctx) => {
      const state = settled(req, ctx);
      const batch = state.batches[req.params.BATCH_ID];
      if (!batch) return batchNotFound();
      delete state.batches[batch.id];
      ctx.state.touch();
      return { status: 200, body: [`@/batches/${batch.id}`] };
    },
  },
];
