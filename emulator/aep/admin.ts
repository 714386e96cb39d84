/**
 * AEP admin routes (emulator only, no auth) under
 * `/_emulator/orgs/:orgId/sandboxes/:sandbox/`: they play the person at the Adobe UI and the
 * data already in Platform (audiences built in Segment Builder, profiles in the Profile store,
 * system datasets), script an export job failure, and let tests read what batches wrote.
 */
import { z } from "zod";
import { ADMIN_PREFIX, type EmuResponse, type RouteDef } from "../types";
import { appendBatch, batchesOf, createDataset, PQS_TABLE_TAG } from "./datasets";
import { settleSandbox } from "./settle";
import { MEMBERSHIP_STATUSES, newUuid, sandboxState, type AudienceRecord, type MembershipStatus } from "./state";

const BASE = `${ADMIN_PREFIX}/orgs/:orgId/sandboxes/:sandbox`;

const audienceSeed = z
  .object({
    id: z.string().min(1).optional(),
    audienceId: z.string().min(1).optional(),
    name: z.string().min(1),
    description: z.string().optional(),
    /** PQL; when given, the audience is also a segment definition with the same id. */
    expression: z.string().min(1).optional(),
    mergePolicyId: z.string().optional(),
    lifecycleState: z.enum(["draft", "published", "inactive", "archived"]).optional(),
    originName: z.string().optional(),
    labels: z.array(z.string()).optional(),
  })
  .strict();

/** `POST .../audiences` body. */
export const seedAudiencesBody = z.object({ audiences: z.array(audienceSeed).min(1) }).strict();

const membershipEntry = z
  .object({
    status: z.enum(MEMBERSHIP_STATUSES as [MembershipStatus, ...MembershipStatus[]]),
    lastQualificationTime: z.string().optional(),
  })
  .loose();

/** `POST .../profiles` body: XDM profile records, each with its `segmentMembership`. */
export const seedProfilesBody = z
  .object({
    profiles: z
      .array(z.object({ segmentMembership: z.record(z.string(), z.record(z.string(), membershipEntry)) }).loose())
      .min(1),
    /** Replace every profile of the sandbox (people joined, changed or left audiences) instead of adding. */
    replace: z.boolean().optional(),
  })
  .strict();

const datasetSeed = z
  .object({
    id: z.string().regex(/^[0-9a-f]{24}$/, "id must be 24 lower-case hex characters").optional(),
    name: z.string().min(1),
    description: z.string().optional(),
    schemaRef: z.object({ id: z.string().min(1), contentType: z.string().optional() }).strict().optional(),
    tags: z.record(z.string(), z.array(z.string())).optional(),
    rows: z.array(z.record(z.string(), z.unknown())).optional(),
  })
  .strict();

/** `POST .../datasets` body. */
export const seedDatasetsBody = z.object({ datasets: z.array(datasetSeed).min(1) }).strict();

/** `PUT .../export-jobs/next-failure` body: the error the next export job fails with. */
export const nextFailureBody = z
  .object({ code: z.string().min(1).optional(), msg: z.string().min(1).optional(), callStack: z.string().optional() })
  .strict();

const adminError = (status: number, error: string, message: string): EmuResponse => ({ status, body: { error, message } });

function audienceRecord(seed: z.infer<typeof audienceSeed>, id: string, org: string, now: number): AudienceRecord {
  return {
    id,
    audienceId: seed.audienceId ?? id,
    name: seed.name,
    ...(seed.description === undefined ? {} : { description: seed.description }),
    namespace: "AEPSegments",
    type: "SegmentDefinition",
    originName: seed.originName ?? "REAL_TIME_CUSTOMER_PROFILE",
    lifecycleState: seed.lifecycleState ?? "published",
    schema: { name: "_xdm.context.profile" },
    ...(seed.expression === undefined ? {} : { expression: { type: "PQL", format: "pql/text", value: seed.expression } }),
    ...(seed.mergePolicyId === undefined ? {} : { mergePolicyId: seed.mergePolicyId }),
    evaluationInfo: { batch: { enabled: true }, continuous: { enabled: false }, synchronous: { enabled: false } },
    isSystem: false,
    labels: seed.labels ?? [],
    imsOrgId: org,
    creationTime: now,
    updateTime: now,
    createEpoch: Math.floor(now / 1000),
    updateEpoch: Math.floor(now / 1000),
  };
}

/** AEP admin routes. */
export const aepAdminRoutes: RouteDef[] = [
  {
    method: "POST",
    path: `${BASE}/audiences`,
    service: "admin",
    body: seedAudiencesBody,
    handler: (req, ctx) => {
      const { audiences } = seedAudiencesBody.parse(req.body);
      const state = sandboxState(req, ctx);
      const now = ctx.now();
      const stored = audiences.map((seed) => {
        const audience = audienceRecord(seed, seed.id ?? newUuid(ctx), req.org, now);
        state.audiences[audience.id] = audience;
        if (audience.expression) {
          state.segmentDefinitions[audience.id] = {
            id: audience.id,
            name: audience.name,
            ...(audience.description === undefined ? {} : { description: audience.description }),
            imsOrgId: req.org,
            profileInstanceId: "ups",
            ...(audience.mergePolicyId === undefined ? {} : { mergePolicyId: audience.mergePolicyId }),
            expression: audience.expression,
            schema: audience.schema,
            evaluationInfo: audience.evaluationInfo,
            creationTime: now,
            updateTime: now,
            updateEpoch: audience.updateEpoch,
          };
        } else {
          delete state.segmentDefinitions[audience.id];
        }
        return audience;
      });
      ctx.state.touch();
      return { status: 201, body: { audiences: stored } };
    },
  },
  {
    method: "POST",
    path: `${BASE}/profiles`,
    service: "admin",
    body: seedProfilesBody,
    handler: (req, ctx) => {
      const { profiles, replace } = seedProfilesBody.parse(req.body);
      const state = sandboxState(req, ctx);
      if (replace) state.profiles = [];
      state.profiles.push(...(JSON.parse(JSON.stringify(profiles)) as typeof state.profiles));
      ctx.state.touch();
      return { status: 201, body: { added: profiles.length, total: state.profiles.length } };
    },
  },
  {
    method: "POST",
    path: `${BASE}/datasets`,
    service: "admin",
    body: seedDatasetsBody,
    handler: (req, ctx) => {
      const { datasets } = seedDatasetsBody.parse(req.body);
      const state = sandboxState(req, ctx);
      const clash = datasets.find((d) => d.id !== undefined && state.datasets[d.id] !== undefined);
      if (clash) return adminError(409, "conflict", `Dataset ${clash.id} already exists in sandbox ${req.sandbox}.`);
      const created = datasets.map(({ rows, ...seed }) => {
        const dataset = createDataset(state, ctx, seed, { org: req.org, client: "emulator-admin" });
        if (rows) appendBatch(state, dataset.id, JSON.parse(JSON.stringify(rows)) as Record<string, unknown>[], { id: ctx.newId(32), at: ctx.now(), client: "emulator-admin" });
        return { id: dataset.id, name: dataset.name, table: dataset.tags[PQS_TABLE_TAG][0] };
      });
      ctx.state.touch();
      return { status: 201, body: { datasets: created } };
    },
  },
  {
    method: "GET",
    path: `${BASE}/datasets/:datasetId/rows`,
    service: "admin",
    handler: (req, ctx) => {
      const state = sandboxState(req, ctx);
      settleSandbox(state, ctx);
      const dataset = state.datasets[req.params.datasetId];
      if (!dataset) return adminError(404, "not_found", `Dataset ${req.params.datasetId} does not exist in sandbox ${req.sandbox}.`);
      return {
        status: 200,
        body: {
          datasetId: dataset.id,
          table: dataset.tags[PQS_TABLE_TAG][0],
          rows: batchesOf(state, dataset.id).flatMap((b) => b.rows),
          batches: batchesOf(state, dataset.id).map((b) => ({ id: b.id, created: b.created, rowCount: b.rows.length })),
        },
      };
    },
  },
  {
    method: "PUT",
    path: `${BASE}/export-jobs/next-failure`,
    service: "admin",
    body: nextFailureBody,
    handler: (req, ctx) => {
      const body = nextFailureBody.parse(req.body);
      const state = sandboxState(req, ctx);
      state.nextExportJobFailure = {
        code: body.code ?? "0100000003",
        msg: body.msg ?? "Error in Export Job",
        callStack: body.callStack ?? "org.apache.spark.SparkException: Job aborted.",
      };
      ctx.state.touch();
      return { status: 200, body: { nextExportJobFailure: state.nextExportJobFailure } };
    },
  },
  {
    method: "DELETE",
    path: `${BASE}/export-jobs/next-failure`,
    service: "admin",
    handler: (req, ctx) => {
      sandboxState(req, ctx).nextExportJobFailure = null;
      ctx.state.touch();
      return { status: 200, body: { nextExportJobFailure: null } };
    },
  },
];
