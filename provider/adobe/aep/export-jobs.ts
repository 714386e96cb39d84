/**
 * AEP Segmentation export jobs (platform.adobe.io/data/core/ups): create, get, list, cancel.
 */
import { z } from "zod";
import type { AdobeClient } from "../http";
import { enumValue, opt } from "../schema";

const segmentFilterSchema = z.looseObject({
  segmentId: z.string(),
  segmentNs: opt(z.string()),
  status: opt(z.array(z.string())),
});

export const exportJobSchema = z.looseObject({
  /** A number in Adobe's spec and examples; kept as given. */
  id: z.union([z.number(), z.string()]),
  jobType: opt(enumValue),
  /** NEW / PROCESSING / SUCCEEDED / FAILED (normalised to upper case). */
  status: enumValue,
  destination: opt(
    z.looseObject({
      datasetId: opt(z.string()),
      /** Some Adobe examples spell it `dataSetId`; `exportJobDatasetId` reads both. */
      dataSetId: opt(z.string()),
      segmentPerBatch: opt(z.boolean()),
      batchId: opt(z.string()),
    }),
  ),
  fields: opt(z.string()),
  schema: opt(z.looseObject({ name: opt(z.string()) })),
  imsOrgId: opt(z.string()),
  filter: opt(z.looseObject({ segments: opt(z.array(segmentFilterSchema)) })),
  mergePolicy: opt(z.looseObject({ id: opt(z.string()), version: opt(z.number()) })),
  errors: opt(z.array(z.looseObject({ code: opt(z.string()), msg: opt(z.string()) }))),
  metrics: opt(z.looseObject({})),
  creationTime: opt(z.number()),
  updateTime: opt(z.number()),
  requestId: opt(z.string()),
});

export type ExportJob = z.infer<typeof exportJobSchema>;

/** The target dataset of a job, whichever spelling the response used. */
export function exportJobDatasetId(job: ExportJob): string | undefined {
  return job.destination?.datasetId ?? job.destination?.dataSetId;
}

/** Body of POST /export/jobs (see Adobe's export jobs guide). */
export interface CreateExportJobBody {
  fields?: string;
  mergePolicy?: { id: string; version?: number };
  filter?: {
    segments?: Array<{ segmentId: string; segmentNs?: string; status?: string[] }>;
    segmentQualificationTime?: { startTime?: string; endTime?: string };
    fromIngestTimestamp?: string;
    emptyProfiles?: boolean;
  };
  additionalFields?: Record<string, unknown>;
  destination: { datasetId: string; segmentPerBatch?: boolean };
  schema: { name: string };
  evaluationInfo?: { segmentation?: boolean };
  [field: string]: unknown;
}

/**
 * Starts an export job. POST: repeated after an ambiguous failure only when `recover` (e.g. a
 * look through `listExportJobs` for a job to the same dataset created since) found nothing.
 */
export async function createExportJob(
  client: AdobeClient,
  body: CreateExportJobBody,
  opts: { recover?: () => Promise<ExportJob | undefined>; profileInstanceId?: string; sandbox?: string } = {},
): Promise<ExportJob> {
  return client.request({
    service: "aep",
    method: "POST",
    path: "/data/core/ups/export/jobs",
    body,
    headers: opts.profileInstanceId ? { "x-profile-instance-id": opts.profileInstanceId } : undefined,
    schema: exportJobSchema,
    recover: opts.recover,
    sandbox: opts.sandbox,
  });
}

/** One export job. @throws AdobeApiError 404 when it does not exist */
export async function getExportJob(client: AdobeClient, id: string | number, opts: { sandbox?: string } = {}): Promise<ExportJob> {
  return client.request({
    service: "aep",
    method: "GET",
    path: "/data/core/ups/export/jobs/{EXPORT_JOB_ID}",
    pathParams: { EXPORT_JOB_ID: id },
    schema: exportJobSchema,
    sandbox: opts.sandbox,
  });
}

export const exportJobListSchema = z.looseObject({
  records: opt(z.array(exportJobSchema)),
  page: opt(z.looseObject({ pageOffset: opt(z.union([z.string(), z.number()])), pageSize: opt(z.number()) })),
  link: opt(z.looseObject({ next: opt(z.string()) })),
});

export interface ListExportJobsOptions {
  /** Only jobs in this status (the spec documents NEW, SUCCEEDED, FAILED). */
  status?: "NEW" | "SUCCEEDED" | "FAILED";
  /** Page size; default 100. */
  limit?: number;
  /** Stop after this many jobs (newest first); default all. */
  max?: number;
  sandbox?: string;
}

/** Export jobs, following `link.next` (its `offset`) until it is empty or a page brings no job not seen before, each job once. */
export async function listExportJobs(client: AdobeClient, opts: ListExportJobsOptions = {}): Promise<ExportJob[]> {
  const limit = opts.limit ?? 100;
  const jobs: ExportJob[] = [];
  let offset: string | undefined;
  const seenOffsets = new Set<string>();
  const ids = new Set<string>();
  for (;;) {
    const page = await client.request({
      service: "aep",
      method: "GET",
      path: "/data/core/ups/export/jobs",
      query: { limit, offset, status: opts.status },
      schema: exportJobListSchema,
      sandbox: opts.sandbox,
    });
    // Pages may overlap (jobs submitted while the list is read): each job is kept once.
    const fresh = (page.records ?? []).filter((job) => !ids.has(String(job.id)));
    for (const job of fresh) ids.add(String(job.id));
    jobs.push(...fresh);
    if (opts.max !== undefined && jobs.length >= opts.max) return jobs.slice(0, opts.max);
    offset = offsetOf(page.link?.next);
    if (!offset || seenOffsets.has(offset) || fresh.length === 0) return jobs;
    seenOffsets.add(offset);
  }
}

function offsetOf(next: string | undefined): string | undefined {
  if (!next) return undefined;
  const query = next.includes("?") ? next.slice(next.indexOf("?") + 1) : "";
  return new URLSearchParams(query).get("offset") ?? undefined;
}

const cancelSchema = z.looseObject({ status: opt(z.boolean()), message: opt(z.string()) });

/**
 * Cancels (or deletes) an export job. Adobe answers 200 with a message or 204 without a body.
 * @throws AdobeApiError 404 when it does not exist
 */
export async function cancelExportJob(client: AdobeClient, id: string | number, opts: { sandbox?: string } = {}): Promise<{ status?: boolean; message?: string }> {
  const result = await client.request({
    service: "aep",
    method: "DELETE",
    path: "/data/core/ups/export/jobs/{EXPORT_JOB_ID}",
    pathParams: { EXPORT_JOB_ID: id },
    schema: opt(cancelSchema),
    sandbox: opts.sandbox,
  });
  return result ?? {};
}
