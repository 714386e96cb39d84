/**
 * What happens to one request, independent of the HTTP server: routing, faults, gateway checks,
 * rate limit, body parsing, request validation (spec and zod), the handler, response validation.
 */
import type { ZodType } from "zod";
import { UNMATCHED_ROUTE } from "./counters";
import type { EmulatorCore } from "./core";
import { cjaError, gateway, imsError, platformError, schemaRegistryError, segmentationError, badRequest } from "./errors";
import { authenticate } from "./gateway";
import type { BoundRoute, RouteTable } from "./routes";
import type { SpecOperation } from "./spec-validator";
import { ADMIN_PREFIX, type EmuRequest, type EmuResponse, type HttpMethod, type RouteDef, type SpecName } from "./types";

/** A request as received, before routing. */
export interface IncomingCall {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Names lower-cased. */
  headers: Record<string, string>;
  rawBody: Buffer;
  /** Milliseconds since the epoch when the request arrived. */
  at: number;
}

/** What to do with the connection, and what to record. */
export type CallOutcome = (
  | { kind: "respond"; response: EmuResponse }
  /** Destroy the socket without an answer (injected fault). */
  | { kind: "drop" }
) & {
  /** Route template for counters; {@link UNMATCHED_ROUTE} when none matched. */
  route: string;
  clientId: string;
  /** Admin requests are not counted. */
  counted: boolean;
};

type Parsed = { ok: true; body: unknown } | { ok: false; problem: string };

const AEP_PREFIXES = ["/data/core/", "/data/foundation/"];

function isAepPath(path: string): boolean {
  return AEP_PREFIXES.some((prefix) => path.startsWith(prefix));
}

/** The spec whose error shape an AEP route without `spec` answers in, from its path. */
function specForErrors(def: RouteDef): SpecName | undefined {
  if (def.spec) return def.spec;
  if (def.path.startsWith("/data/core/")) return "aep-segmentation";
  if (def.path.startsWith("/data/foundation/catalog")) return "aep-catalog";
  if (def.path.startsWith("/data/foundation/")) return "aep-query-service";
  return undefined;
}

function adminError(status: number, error: string, message: string): EmuResponse {
  return { status, body: { error, message } };
}

/** A 5xx in the route's own error shape, for failures of the emulator itself. */
function serviceFailure(def: RouteDef, message: string): EmuResponse {
  if (def.service === "admin") return adminError(500, "internal_error", message);
  if (def.service === "ims") return imsError(500, "server_error", message);
  switch (specForErrors(def)) {
    case "aep-segmentation":
      return segmentationError(500, "EMULATOR-000000-500", message);
    case "aep-catalog":
    case "aep-query-service":
      return platformError(500, "InternalServerError", message);
    case "aep-schema-registry":
      return schemaRegistryError(500, "XDM-1001-500", "Internal server error", message);
    default:
      return cjaError(500, "unexpected_error", message);
  }
}

/** The 400 of a request the route cannot accept, in the route's own error shape. */
function invalidRequest(def: RouteDef, message: string): EmuResponse {
  if (def.service === "admin") return adminError(400, "invalid_request", message);
  if (def.service === "ims") return imsError(400, "invalid_request", message);
  return badRequest(specForErrors(def), message);
}

function malformedBody(def: RouteDef, problem: string): EmuResponse {
  if (def.service === "cja") return cjaError(400, "invalid_json_input", problem);
  return invalidRequest(def, problem);
}

function unmatched(call: IncomingCall, match: ReturnType<RouteTable["match"]>): EmuResponse {
  const where = `${call.method} ${call.path}`;
  const allowed = match.kind === "method-not-allowed" ? match.allowed : [];
  const headers = allowed.length > 0 ? { allow: allowed.join(", ") } : undefined;
  const status = allowed.length > 0 ? 405 : 404;
  const message = status === 405 ? `Method ${call.method} is not allowed on ${call.path}` : `No resource at ${where}`;
  let response: EmuResponse;
  if (call.path.startsWith(`${ADMIN_PREFIX}/`) || call.path === ADMIN_PREFIX) {
    response = adminError(status, status === 405 ? "method_not_allowed" : "not_found", message);
  } else if (isAepPath(call.path)) {
    response = platformError(status, status === 405 ? "MethodNotAllowedError" : "NotFoundError", message);
  } else {
    response = cjaError(status, status === 405 ? "method_not_allowed" : "resource_not_found", message);
  }
  return { ...response, headers: { ...response.headers, ...headers } };
}

function parseBody(call: IncomingCall): Parsed {
  if (call.rawBody.length === 0) return { ok: true, body: undefined };
  const text = call.rawBody.toString("utf8");
  if ((call.headers["content-type"] ?? "").toLowerCase().includes("application/x-www-form-urlencoded")) {
    return { ok: true, body: Object.fromEntries(new URLSearchParams(text)) };
  }
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch (err) {
    return { ok: false, problem: `Malformed JSON in request body: ${(err as Error).message}` };
  }
}

function zodProblems(schema: ZodType, body: unknown): string[] {
  const result = schema.safeParse(body);
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    const field = issue.path.reduce<string>((acc, s) => (typeof s === "number" ? `${acc}[${s}]` : `${acc}.${String(s)}`), "body");
    return `${field}: ${issue.message}`;
  });
}

/** Who the request is made for, for the log: the token's client, else `x-api-key`, else IMS `client_id`. */
function identify(core: EmulatorCore, call: IncomingCall, def: RouteDef): string {
  if (def.service === "ims") {
    const parsed = parseBody(call);
    const body = parsed.ok && parsed.body && typeof parsed.body === "object" ? (parsed.body as Record<string, unknown>) : {};
    return typeof body.client_id === "string" ? body.client_id : call.query.client_id ?? "";
  }
  const token = /^Bearer\s+(\S+)/i.exec(call.headers["authorization"] ?? "")?.[1];
  const check = token ? core.tokens.check(token, call.at) : undefined;
  return check?.valid ? check.clientId : call.headers["x-api-key"] ?? "";
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs the handler, then checks its response against the spec. */
async function runHandler(core: EmulatorCore, route: BoundRoute, req: EmuRequest, at: number): Promise<EmuResponse> {
  const { def, operation } = route;
  let response: EmuResponse;
  try {
    response = await def.handler(req, core.context);
  } catch (err) {
    const message = `Emulator handler for ${def.method} ${def.path} failed: ${(err as Error).message}`;
    core.validationFailures.push({ kind: "handler-error", at, method: def.method, route: def.path, path: req.path, status: 500, problems: [message] });
    return serviceFailure(def, message);
  }
  return operation ? checkResponse(core, route, operation, req, response, at) : response;
}

function checkResponse(core: EmulatorCore, route: BoundRoute, operation: SpecOperation, req: EmuRequest, response: EmuResponse, at: number): EmuResponse {
  const mode = core.options.responseValidation;
  if (mode === "off" || !core.specs) return response;
  const problems = core.specs.validateResponse(operation, response.status, response.body);
  if (problems.length === 0) return response;
  const { def } = route;
  core.validationFailures.push({
    kind: "response",
    at,
    method: def.method,
    route: def.path,
    path: req.path,
    status: response.status,
    spec: operation.spec,
    operationId: operation.operationId,
    problems,
  });
  if (mode !== "strict") return response;
  const where = `${operation.method} ${operation.basePath}${operation.specPath} (${operation.spec}, status ${response.status})`;
  return serviceFailure(def, `Emulator response broke the spec for ${where}: ${problems.join("; ")}`);
}

/** Body parsing, spec and zod request checks, handler and response check. */
async function serve(core: EmulatorCore, route: BoundRoute, call: IncomingCall, req: EmuRequest): Promise<EmuResponse> {
  const { def, operation } = route;
  const parsed = parseBody(call);
  if (!parsed.ok) return malformedBody(def, parsed.problem);
  req.body = parsed.body;
  if (operation && core.specs) {
    const headers = def.service === "aep" ? { ...call.headers, "x-sandbox-name": req.sandbox } : call.headers;
    const problems = core.specs.validateRequest(operation, { method: req.method, path: req.path, query: req.query, headers, body: req.body });
    if (problems.length > 0) return invalidRequest(def, `Invalid request: ${problems.join("; ")}`);
  }
  if (def.body) {
    const problems = zodProblems(def.body, req.body);
    if (problems.length > 0) return invalidRequest(def, `Invalid request: ${problems.join("; ")}`);
  }
  return runHandler(core, route, req, call.at);
}

function baseRequest(call: IncomingCall, def: RouteDef, params: Record<string, string>): EmuRequest {
  return {
    method: call.method as HttpMethod,
    path: call.path,
    route: def.path,
    params,
    query: call.query,
    headers: call.headers,
    body: undefined,
    org: def.service === "admin" ? params.orgId ?? "" : "",
    sandbox: def.service === "admin" ? params.sandbox ?? "" : "",
  };
}

/** The gateway's checks and CJA's rate limit; the answer when the request is stopped there. */
function gatewayStop(core: EmulatorCore, def: RouteDef, call: IncomingCall, req: EmuRequest): EmuResponse | undefined {
  if (def.service !== "cja" && def.service !== "aep") return undefined;
  const auth = authenticate(call.headers, def.service, core.tokens, call.at, core.options.credentialOrgs);
  if (!auth.ok) return auth.response;
  req.org = auth.org;
  req.sandbox = auth.sandbox;
  if (def.service !== "cja") return undefined;
  const decision = core.limiter.take(auth.clientId, call.at);
  if (decision.allowed) return undefined;
  return gateway.tooManyRequests(core.faults.retryAfterSeconds ?? decision.retryAfterSeconds);
}

async function routed(core: EmulatorCore, route: BoundRoute, params: Record<string, string>, call: IncomingCall): Promise<CallOutcome> {
  const { def } = route;
  const req = baseRequest(call, def, params);
  const counted = def.service !== "admin";
  const clientId = counted ? identify(core, call, def) : "";
  const outcome = (response: EmuResponse): CallOutcome => ({ kind: "respond", response, route: def.path, clientId, counted });
  if (!counted) return outcome(await serve(core, route, call, req));
  const fault = core.faults.next(call.method, def.path);
  if (fault.delayMs > 0) await sleep(fault.delayMs);
  if (fault.outcome.kind === "drop") return { kind: "drop", route: def.path, clientId, counted };
  if (fault.outcome.kind === "respond") return outcome(fault.outcome.response);
  const stop = gatewayStop(core, def, call, req);
  const answer = stop ?? (await serve(core, route, call, req));
  // The request was carried out; the client never learns its answer, or learns it late.
  if (fault.outcome.kind === "dropAfter") return { kind: "drop", route: def.path, clientId, counted };
  if (fault.outcome.kind === "answerAfter") {
    core.recorder.hold({ method: call.method, route: def.path, at: core.context.now() });
    await sleep(fault.outcome.ms);
  }
  return outcome(answer);
}

/** Processes one request through the emulator. */
export async function processCall(core: EmulatorCore, table: RouteTable, call: IncomingCall): Promise<CallOutcome> {
  const match = table.match(call.method, call.path);
  if (match.kind !== "found") {
    const counted = !call.path.startsWith(ADMIN_PREFIX);
    return { kind: "respond", response: unmatched(call, match), route: UNMATCHED_ROUTE, clientId: call.headers["x-api-key"] ?? "", counted };
  }
  return routed(core, match.route, match.params, call);
}
