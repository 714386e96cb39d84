/**
 * The Adobe client: every HTTP concern in one place, composed from small layers
 * `retry( limiter → auth → transport )` and a response parser.
 *
 * - limiter: one per service per client (CJA 12 per 6 s by default), shared by every request;
 * - auth: IMS token from the process-wide cache, Adobe's headers per service; a 401 drops the
 *   token and the retry layer repeats the request once with a fresh one;
 * - transport: node-fetch@2 with a per-attempt timeout;
 * - retry: backoff with full jitter and `Retry-After`, bounded in count and time; non-idempotent
 *   requests are only repeated after `recover` found nothing.
 */
import type { ZodType } from "zod";
import { AdobeApiError, parseErrorBody, secretMasker, type ServiceName } from "./errors";
import { requestAccessToken, TokenCache } from "./ims";
import { settingHint } from "./setting-hints";
import { buildQuery, expandPath, type QueryParams } from "./paths";
import { createLimiter, realLimiterClock, type Limiter, type LimiterClock } from "./rate-limiter";
import { SharedRateLimiter } from "./shared-limiter";
import { parseRetryAfter, realRetryEnvironment, retrying, type RetryEnvironment } from "./retry";
import type { AdobeSettings, RateLimit } from "./settings";
import { createTransport, type FetchLike, type HttpMethod, type HttpRequest, type HttpResponse, type Send } from "./transport";

/** Receives debug lines (method, path, status, attempt, waits). Never given a token or secret. */
export interface AdobeLogger {
  debug(line: string): void;
}

/** Which Adobe API a request goes to: `cja` = cja.adobe.io, `aep` = platform.adobe.io. */
export type AdobeService = "cja" | "aep";

/** One call to an Adobe API. */
export interface AdobeRequestOptions<T> {
  service: AdobeService;
  method: HttpMethod;
  /** Path template exactly as in Adobe's spec, service base path included: `/data/dataviews/{dataViewId}`. */
  path: string;
  pathParams?: Record<string, string | number>;
  query?: QueryParams;
  /** Sent as JSON. */
  body?: unknown;
  /** Extra headers (e.g. `x-profile-instance-id`). */
  headers?: Record<string, string>;
  /** Validates and types the response body (use loose objects: unknown fields are kept). */
  schema?: ZodType<T>;
  /** Default: true for GET, PUT, DELETE; false for POST and PATCH. Read-only POSTs (validate) set true. */
  idempotent?: boolean;
  /**
   * For non-idempotent requests: called after a failure where the server may have acted (5xx,
   * timeout, dropped connection). A value is taken as the result; undefined retries the request.
   * Without it, such a failure is thrown.
   */
  recover?: () => Promise<T | undefined>;
  /** AEP sandbox for this call; default the configured one. */
  sandbox?: string;
  /** Per-attempt timeout, ms; default the configured one. */
  timeoutMs?: number;
}

/** Seams for tests; production uses node-fetch, the real clock and Math.random. */
export interface AdobeClientDeps {
  fetch?: FetchLike;
  logger?: AdobeLogger;
  /** Clock, timer and randomness of the retry layer and the limiters. */
  env?: RetryEnvironment;
}

const SERVICE_NAME: Record<AdobeService, ServiceName> = { cja: "CJA", aep: "AEP" };

/** A client for CJA and AEP built from resolved settings. One per process (see `provider/runtime`). */
export class AdobeClient {
  readonly orgId: string;
  readonly sandbox: string;
  /** The credential's client id (the technical account: what Adobe's lists call "the user"). */
  readonly clientId: string;
  private readonly send: Send;
  private readonly tokens: TokenCache;
  private readonly limiters: Record<AdobeService, Limiter>;
  private readonly env: RetryEnvironment;
  private readonly logger?: AdobeLogger;
  private readonly mask: (text: string) => string;

  constructor(
    private readonly settings: AdobeSettings,
    deps: AdobeClientDeps = {},
  ) {
    this.orgId = settings.orgId;
    this.sandbox = settings.sandbox;
    this.clientId = settings.clientId;
    this.send = createTransport(deps.fetch);
    this.env = deps.env ?? realRetryEnvironment;
    this.logger = deps.logger;
    const clock: LimiterClock = deps.env ? { now: deps.env.now, sleep: deps.env.sleep } : realLimiterClock;
    // The budget is the machine's unless a test drives the clock (a shared file would mix fake times).
    const shared = settings.rateLimitScope === "machine" && !deps.env;
    const limiter = (service: AdobeService, limit: RateLimit | null, endpoint: string): Limiter =>
      limit && shared
        ? new SharedRateLimiter(limit, { key: `${service}\n${endpoint}\n${settings.clientId}`, clock, warn: (message) => this.log(message) })
        : createLimiter(limit, clock);
    this.limiters = { cja: limiter("cja", settings.cjaRateLimit, settings.cjaEndpoint), aep: limiter("aep", settings.platformRateLimit, settings.platformEndpoint) };
    this.tokens = new TokenCache(() => this.fetchToken(), { refreshMarginMs: settings.tokenRefreshMarginMs, now: this.env.now });
    this.mask = secretMasker(() => [settings.clientSecret, ...this.tokens.issuedTokens()]);
  }

  /**
   * Sends one Adobe API call and returns its parsed body (undefined for an empty body).
   * @throws AdobeApiError with Adobe's code and message; after retries, with the attempts made
   */
  async request<T = unknown>(opts: AdobeRequestOptions<T>): Promise<T> {
    const service = SERVICE_NAME[opts.service];
    const path = expandPath(opts.path, opts.pathParams);
    const base = opts.service === "cja" ? this.settings.cjaEndpoint : this.settings.platformEndpoint;
    const headers: Record<string, string> = {
      Accept: "application/json",
      "x-api-key": this.settings.clientId,
      "x-gw-ims-org-id": this.settings.orgId,
      ...(opts.service === "aep" ? { "x-sandbox-name": opts.sandbox ?? this.settings.sandbox } : {}),
      ...(opts.body !== undefined ? { "Content-Type": "application/json" } : {}),
      ...opts.headers,
    };
    const request: HttpRequest = {
      service,
      method: opts.method,
      url: `${base}${path}${buildQuery(opts.query)}`,
      path,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      timeoutMs: opts.timeoutMs ?? this.settings.requestTimeoutMs,
    };
    const label = `${service} ${opts.method} ${path}`;
    try {
      return await retrying((attempt) => this.attempt(request, opts.service, attempt, opts.schema), {
        policy: this.settings.retry,
        idempotent: opts.idempotent ?? (opts.method !== "POST" && opts.method !== "PATCH"),
        recover: opts.recover,
        settleMs: request.timeoutMs,
        env: this.env,
        onRetry: ({ attempt, waitMs, error }) => this.log(`${label} attempt ${attempt} failed (${short(error)}); retrying in ${waitMs} ms`),
        onRecovered: ({ attempt, error }) => this.log(`${label} attempt ${attempt} failed (${short(error)}); recovered the result instead of repeating it`),
      });
    } catch (e) {
      throw this.explained(e);
    }
  }

  /**
   * Gets an access token (the cached one while it is fresh): checks the credentials with IMS
   * without calling any API. @throws AdobeApiError naming the setting at fault
   */
  async verifyCredentials(): Promise<void> {
    try {
      await this.tokens.getToken();
    } catch (e) {
      throw this.explained(e);
    }
  }

  /** Adobe's error with the setting it points at (`adobe:clientSecret`, ...) and no secret in it. */
  private explained(e: unknown): unknown {
    if (!(e instanceof AdobeApiError)) return e;
    const hint = settingHint(e, this.settings);
    return (hint ? e.withHint(hint) : e).redacted(this.mask);
  }

  /** Drops the cached access token; the next request fetches a new one. */
  invalidateToken(): void {
    this.tokens.invalidate();
  }

  private async attempt<T>(request: HttpRequest, service: AdobeService, attempt: number, schema: ZodType<T> | undefined): Promise<T> {
    const label = `${request.service} ${request.method} ${request.path}`;
    const queued = this.env.now();
    const release = await this.limiters[service].acquire();
    try {
      const waited = this.env.now() - queued;
      if (waited > 0) this.log(`${label} waited ${waited} ms for the rate limiter`);
      const token = await this.tokens.getToken();
      const started = this.env.now();
      const response = await this.send({ ...request, headers: { ...request.headers, Authorization: `Bearer ${token}` } });
      this.log(`${label} -> ${response.status} (attempt ${attempt}, ${this.env.now() - started} ms)`);
      if (response.status === 401) {
        this.tokens.invalidate(token);
        throw httpError(request, response, { tokenRejected: true });
      }
      if (response.status < 200 || response.status >= 300) throw httpError(request, response);
      return parseBody(request, response, schema);
    } catch (e) {
      if (e instanceof AdobeApiError && e.kind !== "http") this.log(`${label} attempt ${attempt}: ${short(e)}`);
      throw e;
    } finally {
      release();
    }
  }

  private async fetchToken() {
    const label = `IMS POST /ims/token/v3`;
    return retrying(
      async (attempt) => {
        const started = this.env.now();
        try {
          const token = await requestAccessToken(this.send, this.settings, this.settings.requestTimeoutMs);
          this.log(`${label} -> 200 (attempt ${attempt}, ${this.env.now() - started} ms)`);
          return token;
        } catch (e) {
          if (e instanceof AdobeApiError) this.log(`${label} attempt ${attempt}: ${short(e)}`);
          throw e;
        }
      },
      {
        policy: this.settings.retry,
        idempotent: true,
        env: this.env,
        onRetry: ({ attempt, waitMs }) => this.log(`${label} attempt ${attempt} failed; retrying in ${waitMs} ms`),
      },
    );
  }

  private log(line: string): void {
    this.logger?.debug(this.mask(line));
  }
}

function short(e: AdobeApiError): string {
  if (e.kind === "http") return [e.status, e.code].filter((x) => x !== undefined && x !== "").join(" ");
  return e.description ?? e.kind;
}

function httpError(request: HttpRequest, response: HttpResponse, extra: { tokenRejected?: boolean } = {}): AdobeApiError {
  const parsed = parseErrorBody(response.text);
  const { status } = response;
  return new AdobeApiError({
    service: request.service,
    kind: "http",
    method: request.method,
    path: request.path,
    status,
    code: parsed.code,
    description: parsed.description,
    requestId: response.headers["x-request-id"] ?? parsed.requestId,
    retryable: status === 408 || status === 429 || status >= 500,
    retryAfterMs: status === 429 || status === 503 ? parseRetryAfter(response.headers["retry-after"], Date.now()) : undefined,
    tokenRejected: extra.tokenRejected,
  });
}

function parseBody<T>(request: HttpRequest, response: HttpResponse, schema: ZodType<T> | undefined): T {
  const invalid = (description: string) =>
    new AdobeApiError({
      service: request.service,
      kind: "invalid_response",
      method: request.method,
      path: request.path,
      status: response.status,
      description,
      requestId: response.headers["x-request-id"],
      retryable: false,
    });
  let json: unknown;
  if (response.text.trim() !== "") {
    try {
      json = JSON.parse(response.text);
    } catch {
      throw invalid("the body is not JSON");
    }
  }
  if (!schema) return json as T;
  const result = schema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`);
    throw invalid(issues.join("; "));
  }
  return result.data;
}
