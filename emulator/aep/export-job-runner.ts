/**
 * What an export job does when it finishes: the qualifying profiles of the sandbox are written
 * as one batch into the destination dataset. Applied once, at the job's finish time.
 */
import type { EmulatorContext } from "../types";
import { appendBatch } from "./datasets";
import type { AepSandboxState, ExportJobRecord, ExportJobSegment, ProfileRecord } from "./state";

function readPath(obj: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), obj);
}

function writePath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== "object" || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

/**
 * The record the export writes for one profile: the `fields` column filter applied (all fields when
 * absent), and always the profile's full `segmentMembership` (Adobe exports every membership of a
 * qualifying profile, so the transform has to filter again by audience id).
 */
function exportedRow(profile: ProfileRecord, fields: string | undefined): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(profile)) as Record<string, unknown>;
  if (fields === undefined || fields.trim() === "") return copy;
  const row: Record<string, unknown> = {};
  for (const path of fields.split(",").map((f) => f.trim()).filter((f) => f !== "")) {
    const value = readPath(copy, path);
    if (value !== undefined) writePath(row, path, value);
  }
  row.segmentMembership = copy.segmentMembership;
  return row;
}

function membershipIn(profile: ProfileRecord, segment: ExportJobSegment) {
  const wantedNs = segment.segmentNs.toLowerCase();
  const namespace = Object.entries(profile.segmentMembership ?? {}).find(([ns]) => ns.toLowerCase() === wantedNs)?.[1];
  return namespace?.[segment.segmentId];
}

/** Profiles whose membership in any of the job's segments has one of that segment's statuses. */
function qualifyingProfiles(state: AepSandboxState, segments: ExportJobSegment[] | null): ProfileRecord[] {
  if (segments === null) return state.profiles;
  return state.profiles.filter((p) =>
    segments.some((s) => {
      const entry = membershipIn(p, s);
      return entry !== undefined && s.status.includes(entry.status);
    }),
  );
}

/** When the job leaves PROCESSING. */
export function exportJobFinishTime(job: ExportJobRecord): number {
  return job.creationTime + job.newMs + job.processingMs;
}

/** Applies the job's final effect once, when `now` is past its finish time. */
export function settleExportJob(job: ExportJobRecord, state: AepSandboxState, ctx: EmulatorContext, now: number): void {
  if (job.outcome || now < exportJobFinishTime(job)) return;
  const at = exportJobFinishTime(job);
  const datasetId = job.request.destination.datasetId;
  if (job.scriptedFailure) {
    job.outcome = { status: "FAILED", at, errors: [job.scriptedFailure] };
  } else if (!state.datasets[datasetId]) {
    job.outcome = {
      status: "FAILED",
      at,
      errors: [{ code: "0090000009", msg: `Error writing profiles to output path: dataset ${datasetId} not found.`, callStack: "" }],
    };
  } else {
    const rows = qualifyingProfiles(state, job.segments).map((p) => exportedRow(p, job.request.fields));
    const batchId = ctx.newId(32);
    appendBatch(state, datasetId, rows, { id: batchId, at, client: "acp_segmentation_export" });
    job.outcome = { status: "SUCCEEDED", at, batchId, exportedProfiles: rows.length };
  }
  ctx.state.touch();
}
