import { z } from "zod";
import { audienceById, audiencesNamed } from "../audience-reads";
import * as exportJobs from "../../adobe/aep/export-jobs";
import { isNotFound } from "../../adobe/errors";
import { adobeClient } from "../client";
import { datasetById } from "../dataset-reads";
import { defineResource } from "../resource-handler";
import { isUnknown } from "../unknowns";
import { audienceId, datasetId, membershipStatuses, mergePolicyId, nonEmpty, pollIntervalSeconds, timeoutSeconds, triggers } from "../schemas";
import { progress, waitForFinal, WaitTimeoutError } from "../wait";
import { isProfileUnion } from "./dataset";

const isoTime = z.iso.datetime({ error: "must be an ISO 8601 time in UTC, like 2024-05-01T00:00:00Z" });

/** When the exported members qualified: a window whose end is not before its start. */
const qualificationTime = z
  .strictObject({ startTime: isoTime.optional(), endTime: isoTime.optional() })
  .refine((t) => t.startTime === undefined || t.endTime === undefined || Date.parse(t.startTime) <= Date.parse(t.endTime), { path: ["endTime"], message: "is before startTime" });

export const audienceExportJobInputs = z
  .strictObject({
    audienceIds: z.array(audienceId).optional(),
    audienceNames: z.array(nonEmpty).optional(),
    statuses: membershipStatuses,
    mergePolicyId: mergePolicyId.optional(),
    fields: z.array(nonEmpty).min(1, "export at least the profile id field that matches the CJA person ID"),
    destinationDatasetId: datasetId,
    qualificationTime: qualificationTime.optional(),
    timeoutSeconds: timeoutSeconds(3600),
    pollIntervalSeconds: pollIntervalSeconds(15),
    triggers,
  })
  .superRefine((inputs, ctx) => {
    if ((inputs.audienceIds?.length ?? 0) + (inputs.audienceNames?.length ?? 0) === 0) {
      ctx.addIssue({ code: "custom", path: ["audienceIds"], message: "give at least one audience (audienceIds or audienceNames)" });
    }
  });

type Inputs = z.infer<typeof audienceExportJobInputs>;
interface Outputs extends Inputs {
  jobId: string;
  status: string;
  profileCount: number;
  batchId: string;
  resolvedAudienceIds: string[];
  [key: string]: unknown;
}

const FINAL = new Set(["SUCCEEDED", "FAILED"]);

/** Each audience name resolved to its id; an error message per name that matches none or several. */
async function resolveNames(names: string[]): Promise<{ ids: string[]; problems: string[] }> {
  const client = adobeClient();
  const ids: string[] = [];
  const problems: string[] = [];
  for (const name of names) {
    const matches = await audiencesNamed(name);
    if (matches.length === 1) ids.push(matches[0].id);
    else problems.push(matches.length === 0 ? `no audience is named "${name}" in sandbox ${client.sandbox}` : `${matches.length} audiences are named "${name}": give audienceIds`);
  }
  return { ids, problems };
}

async function missingAudienceIds(ids: string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const id of ids) {
    try {
      await audienceById(id);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      missing.push(id);
    }
  }
  return missing;
}

async function resolveAudiences(inputs: Inputs): Promise<string[]> {
  const { ids, problems } = await resolveNames(inputs.audienceNames ?? []);
  if (problems.length > 0) throw new Error(`AudienceExportJob: ${problems.join("; ")}`);
  return [...new Set([...(inputs.audienceIds ?? []), ...ids])];
}

function body(inputs: Inputs, audienceIds: string[]): exportJobs.CreateExportJobBody {
  return {
    fields: inputs.fields.join(","),
    ...(inputs.mergePolicyId ? { mergePolicy: { id: inputs.mergePolicyId } } : {}),
    filter: {
      segments: audienceIds.map((segmentId) => ({ segmentId, segmentNs: "ups", status: inputs.statuses })),
      ...(inputs.qualificationTime ? { segmentQualificationTime: inputs.qualificationTime } : {}),
    },
    destination: { datasetId: inputs.destinationDatasetId, segmentPerBatch: false },
    schema: { name: "_xdm.context.profile" },
  };
}

function jobError(job: exportJobs.ExportJob): string {
  const errors = (job.errors ?? []).map((e) => `${e.code ?? "error"}: ${e.msg ?? "(no message)"}`);
  return errors.length > 0 ? errors.join("; ") : "Adobe gave no error detail";
}

function outputs(inputs: Inputs, job: exportJobs.ExportJob, audienceIds: string[]): Outputs {
  const counter = (job.metrics as { totalExportedProfileCounter?: number } | undefined)?.totalExportedProfileCounter;
  return {
    ...inputs,
    jobId: String(job.id),
    status: job.status,
    profileCount: counter ?? 0,
    batchId: job.destination?.batchId ?? "",
    destinationDatasetId: exportJobs.exportJobDatasetId(job) ?? inputs.destinationDatasetId,
    resolvedAudienceIds: audienceIds,
  };
}

export const audienceExportJobHandler = defineResource<Inputs, Outputs>({
  type: "aep:AudienceExportJob",
  inputs: audienceExportJobInputs,
  replaceOnChanges: [
    "audienceIds",
    "audienceNames",
    "statuses",
    "mergePolicyId",
    "fields",
    "destinationDatasetId",
    "qualificationTime",
    "triggers",
  ],
  // A run that sets no triggers keeps the last export: a scheduled run passes a new value, a
  // pull request's preview passes none and shows no change.
  computedWhenOmitted: ["triggers"],

  liveInputs: ["audienceNames", "audienceIds", "destinationDatasetId"],
  async checkLive(inputs) {
    const failures: Array<{ property: keyof Inputs & string; reason: string }> = [];
    const known = (values: string[] | undefined) => (values ?? []).filter((v) => !isUnknown(v));
    const { problems } = await resolveNames(known(inputs.audienceNames));
    for (const problem of problems) failures.push({ property: "audienceNames", reason: problem });
    for (const id of await missingAudienceIds(known(inputs.audienceIds))) {
      failures.push({ property: "audienceIds", reason: `no audience ${id} in sandbox ${adobeClient().sandbox}` });
    }
    if (isUnknown(inputs.destinationDatasetId)) return failures;
    try {
      const destination = await datasetById(inputs.destinationDatasetId);
      if (!isProfileUnion(destination.schemaRef?.id)) {
        failures.push({
          property: "destinationDatasetId",
          reason: `dataset "${destination.name}" uses schema ${destination.schemaRef?.id}; an export job writes to a dataset on the Profile union schema (_xdm.context.profile__union)`,
        });
      }
    } catch (error) {
      if (!isNotFound(error)) throw error;
      failures.push({ property: "destinationDatasetId", reason: `no dataset ${inputs.destinationDatasetId} in sandbox ${adobeClient().sandbox}` });
    }
    return failures;
  },

  async create(inputs) {
    const client = adobeClient();
    const audienceIds = await resolveAudiences(inputs);
    const request = body(inputs, audienceIds);
    // Adobe keeps nothing on an export job that could carry an ownership key. After an ambiguous
    // failure of the POST, the job is the one into this destination, for these audiences, that
    // was not there before (never chosen by time); several fail with their ids.
    const sameJob = (j: exportJobs.ExportJob) =>
      exportJobs.exportJobDatasetId(j) === inputs.destinationDatasetId && JSON.stringify(j.filter?.segments?.map((s) => s.segmentId)) === JSON.stringify(audienceIds);
    const before = new Set((await exportJobs.listExportJobs(client, { max: 50 })).filter(sameJob).map((j) => j.id));
    const job = await exportJobs.createExportJob(client, request, {
      recover: async () => {
        const appeared = (await exportJobs.listExportJobs(client, { max: 50 })).filter((j) => sameJob(j) && !before.has(j.id));
        if (appeared.length <= 1) return appeared[0];
        throw new Error(
          `AudienceExportJob: the answer to the export job's submission was lost, and ${appeared.length} new export jobs into ${inputs.destinationDatasetId} appeared (${appeared.map((j) => j.id).join(", ")}): ` +
            "another run of this stack submitted at the same time. Wait for them to end, then run pulumi up again.",
        );
      },
    });
    const label = `AudienceExportJob: export job ${job.id}`;
    let final: exportJobs.ExportJob;
    try {
      final = await waitForFinal({
        poll: () => exportJobs.getExportJob(client, job.id),
        current: job,
        isFinal: (j) => FINAL.has(j.status),
        timeoutMs: inputs.timeoutSeconds * 1000,
        intervalMs: inputs.pollIntervalSeconds * 1000,
        onProgress: (j, elapsed) => progress(`${label} ${j.status} (${Math.round(elapsed / 1000)} s elapsed)`),
      });
    } catch (error) {
      if (!(error instanceof WaitTimeoutError)) throw error;
      await exportJobs.cancelExportJob(client, job.id);
      throw new Error(`${label} did not finish within ${inputs.timeoutSeconds} s (last status ${(error.last as exportJobs.ExportJob | undefined)?.status ?? "unknown"}); it was cancelled. Raise timeoutSeconds or try again.`);
    }
    if (final.status === "FAILED") throw new Error(`${label} FAILED: ${jobError(final)}`);
    return { id: String(final.id), outs: outputs(inputs, final, audienceIds) };
  },

  async read(id, outs) {
    try {
      return outputs(outs, await exportJobs.getExportJob(adobeClient(), id), outs.resolvedAudienceIds ?? []);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  },

  async update(_id, olds, news) {
    // Every input that shapes the job replaces it; only the waiting settings change in place.
    return { ...olds, timeoutSeconds: news.timeoutSeconds, pollIntervalSeconds: news.pollIntervalSeconds };
  },

  async delete(id) {
    const client = adobeClient();
    try {
      const job = await exportJobs.getExportJob(client, id);
      if (!FINAL.has(job.status)) await exportJobs.cancelExportJob(client, id);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  },
});
