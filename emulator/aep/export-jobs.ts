/**
 * Segmentation export jobs (`/data/core/ups/export/jobs`). A job's status is computed lazily
 * from the clock: NEW for `exportJobTimings.newMs`, PROCESSING for `processingMs`, then SUCCEEDED
 * (or FAILED when the admin scripted a failure). The first AEP request to the sandbox after the
 * job's finish time applies its effect exactly once (see settle.ts): the qualifying profiles are
 * written as one batch into the destination dataset, where Query Service reads them.
 *
 * Adobe's status enum has no CANCELLED, so a job cancelled while NEW or PROCESSING reads as FAILED
 * with one error entry whose code is `cancelled`.
 */
import { z } from "zod";
import { segmentationError } from "../errors";
import type { EmuRequest, EmuResponse, EmulatorContext, RouteDef } from "../types";
import { settleSandbox } from "./settle";
import {
  MEMBERSHIP_STATUSES,
  newUuid,
  sandboxState,
  type AepSandboxState,
  type ExportJobError,
  type ExportJobRecord,
  type ExportJobSegment,
  type MembershipStatus,
} from "./state";

const BASE = "/data/core/ups";
const DEFAULT_LIST_LIMIT = 20;
const DEFAULT_STATUSES: MembershipStatus[] = ["realized", "existing"];

/** The project's own check of a create body (Adobe's schema marks nothing required). */
export const createExportJobBody = z
  .object({
    fields: z.string().optional(),
    mergePolicy: z.object({ id: z.string().optional(), version: z.number().optional() }).loose().optional(),
    filter: z
      .object({
        segments: z
          .array(
            z
              .object({
                segmentId: z.string().min(1, "segmentId is required for each entry of filter.segments"),
                segmentNs: z.string().min(1).optional(),
                status: z.array(z.enum(MEMBERSHIP_STATUSES as [MembershipStatus, ...MembershipStatus[]])).min(1).optional(),
              })
              .loose(),
          )
          .optional(),
      })
      .loose()
      .optional(),
    additionalFields: z.record(z.string(), z.unknown()).optional(),
    destination: z.object({ datasetId: z.string().min(1), segmentPerBatch: z.boolean().optional() }).loose(),
    schema: z.object({ name: z.string().min(1) }).loose(),
    evaluationInfo: z.object({ segmentation: z.boolean().optional() }).loose().optional(),
  })
  .loose();

type CreateExportJobBody = z.infer<typeof createExportJobBody>;

/** What a job looks like at one instant. */
interface JobProgress {
  status: "NEW" | "PROCESSING" | "SUCCEEDED" | "FAILED";
  updateTime: number;
}

function datasetLookupFailed(datasetId: string): EmuResponse {
  const url = `https://platform.adobe.io/data/foundation/catalog/dataSets/${datasetId}`;
  const response = segmentationError(400, "UPLIB-101554-503", `Dataset ${datasetId} cannot be retrieved from Catalog ${url}.`);
  const body = response.body as { errors: Record<string, { code: number; message: string }[]> };
  body.errors["400"].push({
    code: 400,
    message: `uri:PlatformUrl/data/foundation/catalog/dataSets/${datasetId} -> Status Code - 404 : message\n${JSON.stringify({
      type: "/placeholder/type/uri",
      status: 404,
      title: "NotFoundError",
      detail: "DataSet not found.",
    })}`,
  });
  return response;
}

function unknownSegment(segmentId: string, segmentNs: string): EmuResponse {
  return segmentationError(
    400,
    "UPAPI-113434-400",
    `There is a problem in export job validation. Segment definition ${segmentId} in namespace ${segmentNs} is not found. Use a valid entity and try again.`,
  );
}

function jobNotFound(id: string): EmuResponse {
  return segmentationError(404, "UPAPI-113430-404", `The export job ${id} is not found. Use a valid entity and try again.`);
}

function isKnownSegment(state: AepSandboxState, segmentId: string): boolean {
  return (
    state.segmentDefinitions[segmentId] !== undefined ||
    state.audiences[segmentId] !== undefined ||
    Object.values(state.audiences).some((a) => a.audienceId === segmentId)
  );
}

function normalizeSegments(body: CreateExportJobBody): ExportJobSegment[] | null {
  const segments = body.filter?.segments;
  if (!segments) return null;
  return segments.map((s) => ({
    segmentId: s.segmentId,
    segmentNs: s.segmentNs ?? "ups",
    status: [...new Set(s.status ?? DEFAULT_STATUSES)],
  }));
}

function progress(job: ExportJobRecord, now: number): JobProgress {
  if (job.outcome) return { status: job.outcome.status, updateTime: job.outcome.at };
  const processingFrom = job.creationTime + job.newMs;
  if (now < processingFrom) return { status: "NEW", updateTime: job.creationTime };
  return { status: "PROCESSING", updateTime: processingFrom };
}

function timeSpan(start: number, end?: number) {
  return end === undefined ? { startTimeInMs: start } : { startTimeInMs: start, endTimeInMs: end, totalTimeInMs: end - start };
}

function metricsOf(job: ExportJobRecord, p: JobProgress) {
  const processingFrom = job.creationTime + job.newMs;
  if (p.status === "NEW") return { totalTime: timeSpan(job.creationTime) };
  if (p.status === "PROCESSING") return { totalTime: timeSpan(job.creationTime), profileExportTime: timeSpan(processingFrom) };
  const end = job.outcome!.at;
  if (job.outcome!.status === "FAILED") return { totalTime: timeSpan(job.creationTime, end) };
  const writeFrom = processingFrom + Math.floor((end - processingFrom) / 2);
  return {
    totalTime: timeSpan(job.creationTime, end),
    profileExportTime: timeSpan(processingFrom, writeFrom),
    aCPDatasetWriteTime: timeSpan(writeFrom, end),
    totalExportedProfileCounter: job.outcome!.exportedProfiles ?? 0,
  };
}

/** The job as Segmentation returns it (`ExportJobResponse`). */
function jobView(job: ExportJobRecord, p: JobProgress): Record<string, unknown> {
  const { filter, destination, ...requested } = job.request;
  return {
    id: job.id,
    jobType: "BATCH",
    ...requested,
    destination: {
      datasetId: destination.datasetId,
      segmentPerBatch: destination.segmentPerBatch ?? false,
      ...(job.outcome?.batchId ? { batchId: job.outcome.batchId } : {}),
    },
    imsOrgId: job.imsOrgId,
    status: p.status,
    ...(filter || job.segments ? { filter: { ...filter, ...(job.segments ? { segments: job.segments } : {}) } } : {}),
    profileInstanceId: job.profileInstanceId,
    ...(job.outcome?.errors ? { errors: job.outcome.errors } : {}),
    metrics: metricsOf(job, p),
    computeGatewayJobId: p.status === "NEW" ? { exportJob: "" } : { exportJob: job.requestId },
    creationTime: job.creationTime,
    updateTime: p.updateTime,
    requestId: job.requestId,
  };
}

function createExportJob(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  const body = createExportJobBody.parse(req.body);
  const state = sandboxState(req, ctx);
  const now = settleSandbox(state, ctx);
  const datasetId = body.destination.datasetId;
  if (!state.datasets[datasetId]) return datasetLookupFailed(datasetId);
  const segments = normalizeSegments(body);
  for (const s of segments ?? []) {
    if (!isKnownSegment(state, s.segmentId)) return unknownSegment(s.segmentId, s.segmentNs);
  }
  const { filter, destination, schema, fields, mergePolicy, additionalFields } = body;
  const id = state.nextExportJobId++;
  const job: ExportJobRecord = {
    id,
    request: {
      ...(fields === undefined ? {} : { fields }),
      ...(mergePolicy === undefined ? {} : { mergePolicy }),
      ...(filter === undefined ? {} : { filter }),
      ...(additionalFields === undefined ? {} : { additionalFields }),
      destination: { datasetId: destination.datasetId, segmentPerBatch: destination.segmentPerBatch },
      schema: { name: schema.name },
    },
    segments,
    profileInstanceId: req.headers["x-profile-instance-id"] ?? "ups",
    imsOrgId: req.org,
    requestId: newUuid(ctx),
    creationTime: now,
    newMs: ctx.options.exportJobTimings.newMs,
    processingMs: ctx.options.exportJobTimings.processingMs,
  };
  if (state.nextExportJobFailure) {
    job.scriptedFailure = state.nextExportJobFailure;
    state.nextExportJobFailure = null;
  }
  state.exportJobs[String(id)] = job;
  ctx.state.touch();
  const host = req.headers.host;
  const href = `${host ? `http://${host}` : ""}${BASE}/export/jobs/${id}`;
  // Adobe answers a create with the job as NEW, whatever the timings.
  return { status: 200, body: jobView(job, { status: "NEW", updateTime: job.creationTime }), headers: { "x-location": href } };
}

const OFFSET_PATTERN = /^(\d+)_(\d+)$/;

function listExportJobs(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  const state = sandboxState(req, ctx);
  const limitParam = Number(req.query.limit);
  const limit = Number.isInteger(limitParam) && limitParam > 0 ? limitParam : DEFAULT_LIST_LIMIT;
  const now = settleSandbox(state, ctx);
  let jobs = Object.values(state.exportJobs).sort((a, b) => b.creationTime - a.creationTime || b.id - a.id);
  if (req.query.status) jobs = jobs.filter((j) => progress(j, now).status === req.query.status);
  if (req.query.offset) {
    const m = OFFSET_PATTERN.exec(req.query.offset);
    if (!m) return segmentationError(400, "UPAPI-113434-400", `Invalid offset '${req.query.offset}': expected {creationTimeMs}_{jobId}.`);
    const [time, id] = [Number(m[1]), Number(m[2])];
    jobs = jobs.filter((j) => j.creationTime < time || (j.creationTime === time && j.id < id));
  }
  const page = jobs.slice(0, limit);
  const last = page[page.length - 1];
  const pageOffset = last ? `${last.creationTime}_${last.id}` : "";
  const statusParam = req.query.status ? `&status=${req.query.status}` : "";
  return {
    status: 200,
    body: {
      records: page.map((j) => jobView(j, progress(j, now))),
      page: { sortField: "createdTime", sort: "desc", pageOffset, pageSize: page.length },
      link: { next: jobs.length > limit ? `/export/jobs/?limit=${limit}&offset=${pageOffset}${statusParam}` : "" },
    },
  };
}

function cancelledError(id: number): ExportJobError {
  return { code: "cancelled", msg: `Export job ${id} was cancelled on request.`, callStack: "" };
}

/** Segmentation export job routes. */
export const exportJobRoutes: RouteDef[] = [
  {
    method: "POST",
    path: `${BASE}/export/jobs`,
    service: "aep",
    spec: "aep-segmentation",
    body: createExportJobBody,
    handler: createExportJob,
  },
  {
    method: "GET",
    path: `${BASE}/export/jobs`,
    service: "aep",
    spec: "aep-segmentation",
    handler: listExportJobs,
  },
  {
    method: "GET",
    path: `${BASE}/export/jobs/:EXPORT_JOB_ID`,
    service: "aep",
    spec: "aep-segmentation",
    handler: (req, ctx) => {
      const state = sandboxState(req, ctx);
      const job = state.exportJobs[req.params.EXPORT_JOB_ID];
      if (!job) return jobNotFound(req.params.EXPORT_JOB_ID);
      const now = settleSandbox(state, ctx);
      return { status: 200, body: jobView(job, progress(job, now)) };
    },
  },
  {
    method: "DELETE",
    path: `${BASE}/export/jobs/:EXPORT_JOB_ID`,
    service: "aep",
    spec: "aep-segmentation",
    handler: (req, ctx) => {
      const state = sandboxState(req, ctx);
      const job = state.exportJobs[req.params.EXPORT_JOB_ID];
      if (!job) return jobNotFound(req.params.EXPORT_JOB_ID);
      const now = settleSandbox(state, ctx);
      if (!job.outcome) {
        job.outcome = { status: "FAILED", at: now, errors: [cancelledError(job.id)] };
        ctx.state.touch();
      }
      return { status: 200, body: { status: true, message: "Export job has been marked for cancelling" } };
    },
  },
];
