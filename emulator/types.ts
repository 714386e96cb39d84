/**
 * The contract between the emulator's core (server, auth, rate limit, faults, counters,
 * validation, persistence) and the service modules that implement Adobe's operations
 * (`emulator/cja/`, `emulator/aep/`). A service module only exports `RouteDef`s; it never
 * touches the HTTP server.
 */
import type { ZodType } from "zod";

/** Which part of Adobe a route plays; decides the headers it requires. */
export type Service =
  /** IMS token endpoint: form body, no gateway headers. */
  | "ims"
  /** cja.adobe.io: Authorization, x-api-key, x-gw-ims-org-id; rate limited. */
  | "cja"
  /** platform.adobe.io: as CJA plus x-sandbox-name. */
  | "aep"
  /** Emulator-only routes under ADMIN_PREFIX that play the person at the Adobe UI. No auth. */
  | "admin";

/** The Adobe OpenAPI documents the emulator validates against (file names in ADOBE_OPENAPI_DIR). */
export type SpecName = "cja" | "aep-segmentation" | "aep-catalog" | "aep-query-service" | "aep-schema-registry";

/** Every admin route lives under this prefix. Adobe has nothing under it. */
export const ADMIN_PREFIX = "/_emulator";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface EmuRequest {
  method: HttpMethod;
  /** Path without the query string, e.g. `/data/dataviews/dv_1`. */
  path: string;
  /** The route template that matched, e.g. `/data/dataviews/:dataViewId`. */
  route: string;
  params: Record<string, string>;
  /** Query parameters; a repeated key keeps its last value. */
  query: Record<string, string>;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** Parsed JSON body, a form object for `application/x-www-form-urlencoded`, or undefined. */
  body: unknown;
  /** IMS org from `x-gw-ims-org-id` (cja/aep), or the `:orgId` param of an admin route, else "". */
  org: string;
  /** Sandbox from `x-sandbox-name` (aep; default "prod"), or the `:sandbox` admin param, else "". */
  sandbox: string;
}

export interface EmuResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Persistent, JSON-serializable state, partitioned per org and sandbox. */
export interface StateStore {
  /** The slice a service keeps for one org (CJA data is per org). Created with `init` on first use. */
  org<T extends object>(service: "cja" | "aep", org: string, init: () => T): T;
  /** The slice a service keeps for one org and sandbox (AEP data). */
  sandbox<T extends object>(service: "aep", org: string, sandbox: string, init: () => T): T;
  /** Mark the state changed so it is persisted to the state file (if any). */
  touch(): void;
}

export interface EmulatorContext {
  state: StateStore;
  /** Milliseconds since the epoch; the single clock every handler must use. */
  now(): number;
  /** A new id, unique in this emulator's lifetime (hex, 24 chars unless `length` says otherwise). */
  newId(length?: number): string;
  /** Options the emulator was started with (timings for asynchronous jobs, etc.). */
  options: EmulatorOptions;
}

export type Handler = (req: EmuRequest, ctx: EmulatorContext) => EmuResponse | Promise<EmuResponse>;

export interface RouteDef {
  method: HttpMethod;
  /** find-my-way template: `/data/dataviews/:dataViewId`. Must equal the spec path with `{x}` → `:x`. */
  path: string;
  service: Service;
  /**
   * The spec this operation belongs to. When set (and the spec folder is present), the core
   * validates the request (params, query, headers, body) and the handler's response against the
   * spec operation with the same method and path; a request that breaks it gets Adobe's 400.
   */
  spec?: SpecName;
  /**
   * The project's own check of the request body, always applied (with or without the specs).
   * Also the only check for operations Adobe documents in a guide but not in the spec.
   */
  body?: ZodType;
  handler: Handler;
}

export interface FaultOptions {
  /** Added latency per request, in ms. */
  latencyMs?: number;
  /** Share (0..1) of cja/aep requests answered 429 with Adobe's body. */
  rate429?: number;
  /** Share (0..1) of cja/aep requests answered 500/502/503. */
  rate5xx?: number;
  /** Share (0..1) of cja/aep requests whose connection is destroyed without an answer. */
  dropRate?: number;
  /** `Retry-After` seconds sent with injected and real 429s (omit to send none). */
  retryAfterSeconds?: number;
  /** Seed for the pseudo-random fault draws, so a run can be repeated. */
  seed?: number;
}

export interface EmulatorOptions {
  /** Loopback port; 0 picks a free one. */
  port: number;
  host: string;
  /** JSON file the state is loaded from at start and written to on change; undefined = memory only. */
  stateFile?: string;
  /** The credentials IMS accepts. */
  clientId: string;
  clientSecret: string;
  /**
   * The IMS orgs the credential belongs to (a Developer Console project lives in one org): a
   * CJA/AEP request naming another `x-gw-ims-org-id` gets the gateway's 403025, as Adobe answers.
   * null: any org (tests that keep several orgs apart with one credential).
   */
  credentialOrgs: string[] | null;
  /** Lifetime of issued tokens, seconds (Adobe: 86399). */
  tokenLifetimeSeconds: number;
  /** CJA rate limit per client id: `requests` per `intervalMs` (Adobe: 12 per 6000); null = off. */
  rateLimit: { requests: number; intervalMs: number } | null;
  faults: FaultOptions;
  /** Folder with Adobe's OpenAPI files; null = validate with the project's zod schemas only. */
  specDir: string | null;
  /** Export job: ms in NEW, then ms in PROCESSING before SUCCEEDED. */
  exportJobTimings: { newMs: number; processingMs: number };
  /** Query Service: ms from SUBMITTED to SUCCESS. */
  queryDurationMs: number;
  /**
   * What happens when a handler's response breaks the spec operation's response schema:
   * `"off"` = not checked; `"record"` = listed in `GET /_emulator/validation-failures`, sent as is;
   * `"strict"` = listed, and answered 500 with a body naming the broken field (the test default).
   */
  responseValidation: "off" | "record" | "strict";
}
