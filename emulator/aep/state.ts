/**
 * The AEP slice of the emulator's state: one per org and sandbox, so sandboxes are isolated
 * exactly as Platform isolates them.
 */
import type { EmuRequest, EmulatorContext } from "../types";
import type { XdmSandboxState } from "./xdm";

/** A profile segment membership entry (XDM `segmentMembership.<ns>.<id>`). */
export interface MembershipEntry {
  status: MembershipStatus;
  lastQualificationTime?: string;
  [extra: string]: unknown;
}

export type MembershipStatus = "realized" | "existing" | "exited";
export const MEMBERSHIP_STATUSES: readonly MembershipStatus[] = ["realized", "existing", "exited"];

/** A Real-Time Customer Profile record as the export writes it: XDM fields plus `segmentMembership`. */
export interface ProfileRecord {
  segmentMembership: Record<string, Record<string, MembershipEntry>>;
  [field: string]: unknown;
}

export interface AudienceRecord {
  id: string;
  audienceId: string;
  name: string;
  description?: string;
  namespace: "AAM" | "AAMSegments" | "AAMTraits" | "AEPSegments";
  type: "SegmentDefinition" | "ExternalAudience";
  originName: string;
  lifecycleState: "draft" | "published" | "inactive" | "archived";
  schema: { name: string };
  expression?: { type: "PQL"; format: "pql/text"; value: string };
  mergePolicyId?: string;
  evaluationInfo: { batch: { enabled: boolean }; continuous: { enabled: boolean }; synchronous: { enabled: boolean } };
  isSystem: boolean;
  labels: string[];
  imsOrgId: string;
  creationTime: number;
  updateTime: number;
  createEpoch: number;
  updateEpoch: number;
}

export interface SegmentDefinitionRecord {
  id: string;
  name: string;
  description?: string;
  imsOrgId: string;
  profileInstanceId: string;
  mergePolicyId?: string;
  expression: { type: "PQL"; format: "pql/text"; value: string };
  schema: { name: string };
  evaluationInfo: { batch: { enabled: boolean }; continuous: { enabled: boolean }; synchronous: { enabled: boolean } };
  creationTime: number;
  updateTime: number;
  updateEpoch: number;
}

/** A Catalog dataset as Catalog returns it (rows live apart, in its batches). */
export interface DatasetRecord {
  id: string;
  name: string;
  description?: string;
  version: string;
  imsOrg: string;
  created: number;
  updated: number;
  createdClient: string;
  createdUser: string;
  updatedUser: string;
  schemaRef?: { id?: string; contentType?: string };
  schema?: string;
  fileDescription?: Record<string, unknown>;
  tags: Record<string, string[]>;
  files: string;
  lastBatchId?: string;
  lastBatchStatus?: "success" | "failure";
  lastSuccessfulBatch?: string;
  [extra: string]: unknown;
}

/** A Catalog batch of one dataset, with the rows it wrote (every row of a dataset comes from one batch). */
export interface BatchRecord {
  id: string;
  datasetId: string;
  imsOrg: string;
  created: number;
  completed: number;
  createdClient: string;
  status: "success";
  rows: Record<string, unknown>[];
}

export interface ExportJobError {
  code: string;
  msg: string;
  callStack: string;
}

export interface ExportJobSegment {
  segmentId: string;
  segmentNs: string;
  status: MembershipStatus[];
}

/** What was asked for, plus what the emulator needs to compute the job's progress lazily. */
export interface ExportJobRecord {
  id: number;
  request: {
    fields?: string;
    mergePolicy?: { id?: string; version?: number };
    filter?: Record<string, unknown>;
    additionalFields?: unknown;
    destination: { datasetId: string; segmentPerBatch?: boolean };
    schema: { name: string };
  };
  segments: ExportJobSegment[] | null;
  profileInstanceId: string;
  imsOrgId: string;
  requestId: string;
  creationTime: number;
  /** Timings captured at creation, so later option changes do not move a running job. */
  newMs: number;
  processingMs: number;
  /** Set at creation when the sandbox was told to fail its next job. */
  scriptedFailure?: ExportJobError;
  /** Set once, when the job reached its final status and its effects were applied. */
  outcome?: {
    status: "SUCCEEDED" | "FAILED";
    at: number;
    batchId?: string;
    exportedProfiles?: number;
    errors?: ExportJobError[];
  };
}

export type QueryState = "SUBMITTED" | "IN_PROGRESS" | "SUCCESS" | "FAILED" | "KILLED" | "TIMEOUT";

export interface QueryError {
  code: string;
  message: string;
  errorType: "USER_ERROR" | "SYSTEM_ERROR";
}

export interface QueryRecord {
  id: string;
  request: Record<string, unknown>;
  userId: string;
  client: string;
  created: number;
  durationMs: number;
  softDeleted: boolean;
  killedAt?: number;
  outcome?: {
    state: "SUCCESS" | "FAILED";
    at: number;
    rowCount: number;
    errors: QueryError[];
    referencedDatasets: string[];
  };
}

export interface AepSandboxState {
  sandboxId: string;
  datasets: Record<string, DatasetRecord>;
  /** Batches written into the datasets by export jobs, queries or the admin seed, by batch id, oldest first. */
  batches: Record<string, BatchRecord>;
  audiences: Record<string, AudienceRecord>;
  segmentDefinitions: Record<string, SegmentDefinitionRecord>;
  profiles: ProfileRecord[];
  exportJobs: Record<string, ExportJobRecord>;
  nextExportJobId: number;
  /** Consumed by the next export job created in the sandbox. */
  nextExportJobFailure: ExportJobError | null;
  queries: Record<string, QueryRecord>;
  /** Schema Registry resources (field groups, schemas, descriptors); read it through `xdmState()`, which fills it in for older state files. */
  xdm: XdmSandboxState;
}

/** The AEP state of the request's org and sandbox, created empty on first use. */
export function sandboxState(req: Pick<EmuRequest, "org" | "sandbox">, ctx: EmulatorContext): AepSandboxState {
  return withBatches(ctx.state.sandbox<AepSandboxState>("aep", req.org, req.sandbox, () => ({
    sandboxId: uuidFrom(ctx.newId(32)),
    datasets: {},
    batches: {},
    audiences: {},
    segmentDefinitions: {},
    profiles: [],
    exportJobs: {},
    nextExportJobId: 1,
    nextExportJobFailure: null,
    queries: {},
    xdm: { fieldGroups: {}, schemas: {}, descriptors: {} },
  })));
}

/**
 * A state file written before datasets had batches kept each dataset's rows in `rows`: they
 * become one batch per dataset, with the dataset's last batch id.
 */
function withBatches(state: AepSandboxState): AepSandboxState {
  const old = state as AepSandboxState & { rows?: Record<string, Record<string, unknown>[]> };
  if (state.batches) return state;
  state.batches = {};
  for (const [datasetId, rows] of Object.entries(old.rows ?? {})) {
    const dataset = state.datasets[datasetId];
    if (!dataset || rows.length === 0) continue;
    const id = dataset.lastBatchId ?? `${datasetId}00000000`;
    state.batches[id] = { id, datasetId, imsOrg: dataset.imsOrg, created: dataset.updated, completed: dataset.updated, createdClient: "emulator", status: "success", rows };
  }
  delete old.rows;
  return state;
}

/** Formats 32 hex characters as a UUID (Adobe's ids for audiences, queries, sandboxes). */
export function uuidFrom(hex32: string): string {
  const h = hex32.padEnd(32, "0");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** A new UUID drawn from the emulator's id source. */
export function newUuid(ctx: EmulatorContext): string {
  return uuidFrom(ctx.newId(32));
}

/** The client id a request was made with (`x-api-key`), used for `createdClient`-style fields. */
export function clientOf(req: EmuRequest): string {
  return req.headers["x-api-key"] ?? "unknown-client";
}

/** Sandbox descriptor as Segmentation returns it on audiences. */
export function sandboxDescriptor(req: Pick<EmuRequest, "sandbox">, state: AepSandboxState) {
  const isProd = req.sandbox === "prod";
  return { sandboxId: state.sandboxId, sandboxName: req.sandbox, type: isProd ? "production" : "development", default: isProd };
}
