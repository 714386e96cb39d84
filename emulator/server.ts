/**
 * The emulator's HTTP server: one node:http server on loopback serving IMS, CJA, AEP and the
 * admin API, with the options of {@link EmulatorOptions}.
 */
import { randomUUID } from "crypto";
import * as http from "http";
import type { AddressInfo } from "net";
import { createCore, type EmulatorCore } from "./core";
import { processCall, type CallOutcome, type IncomingCall } from "./pipeline";
import { assembleRoutes, bindRoutes, buildRouteTable, type RouteTable } from "./routes";
import { defaultSpecDir, missingSpecFiles, SPEC_FILES, SpecCatalog } from "./spec-validator";
import type { EmulatorOptions, RouteDef } from "./types";

/** `startEmulator`'s argument: any {@link EmulatorOptions} (the rest default) plus test hooks. */
export interface StartOptions extends Partial<EmulatorOptions> {
  /** More routes to serve, checked like the service routes (e.g. a test-only route bound to a spec operation). */
  extraRoutes?: RouteDef[];
}

export interface RunningEmulator {
  /** `http://host:port`, the value for the IMS, CJA and platform endpoints. */
  url: string;
  port: number;
  /** The options in effect (live: faults and rate limit change through the admin API). */
  options: EmulatorOptions;
  /** True when requests and responses are checked against Adobe's specs. */
  specValidation: boolean;
  /** Things the operator should know (e.g. running without the specs). */
  warnings: string[];
  /** Stops the server (dropping open connections) and writes the state file. */
  close(): Promise<void>;
}

/** Adobe's production values where they exist; `specDir` defaults to {@link defaultSpecDir}. */
export function defaultOptions(): EmulatorOptions {
  return {
    port: 0,
    host: "127.0.0.1",
    stateFile: undefined,
    clientId: "emulator-client-id",
    clientSecret: "emulator-client-secret",
    credentialOrgs: null,
    tokenLifetimeSeconds: 86399,
    rateLimit: { requests: 12, intervalMs: 6000 },
    faults: {},
    specDir: defaultSpecDir(),
    exportJobTimings: { newMs: 1000, processingMs: 2000 },
    queryDurationMs: 1500,
    responseValidation: "record",
  };
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;

function resolveOptions(start: StartOptions): EmulatorOptions {
  const { extraRoutes: _extra, ...given } = start;
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  return { ...defaultOptions(), ...defined } as EmulatorOptions;
}

async function loadSpecs(specDir: string | null, warnings: string[]): Promise<SpecCatalog | null> {
  if (specDir === null) {
    warnings.push("Spec validation is off (no spec folder given): requests are checked with the project's zod schemas only.");
    return null;
  }
  if (missingSpecFiles(specDir).length === Object.keys(SPEC_FILES).length) {
    warnings.push(
      `Adobe's OpenAPI specs were not found in ${specDir}: running WITHOUT spec validation (zod checks only). ` +
        "Run `npm run specs` (or set ADOBE_OPENAPI_DIR) to validate requests and responses against Adobe's contract.",
    );
    return null;
  }
  return SpecCatalog.load(specDir);
}

function headerRecord(req: http.IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

function readBody(req: http.IncomingMessage): Promise<Buffer | "too-large"> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > MAX_BODY_BYTES ? "too-large" : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res: http.ServerResponse, outcome: CallOutcome): void {
  if (res.destroyed || res.writableEnded) return;
  if (outcome.kind === "drop") {
    res.socket?.destroy();
    return;
  }
  const { status, body, headers } = outcome.response;
  const payload = body === undefined || status === 204 ? undefined : JSON.stringify(body);
  res.statusCode = status;
  res.setHeader("x-request-id", randomUUID());
  if (payload !== undefined) res.setHeader("content-type", "application/json;charset=utf-8");
  for (const [name, value] of Object.entries(headers ?? {})) res.setHeader(name, value);
  res.end(payload);
}

async function toCall(req: http.IncomingMessage, at: number): Promise<IncomingCall | "too-large"> {
  const url = new URL(req.url ?? "/", "http://emulator.invalid");
  const rawBody = await readBody(req);
  if (rawBody === "too-large") return rawBody;
  return {
    method: (req.method ?? "GET").toUpperCase(),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: headerRecord(req),
    rawBody,
    at,
  };
}

async function handleHttp(core: EmulatorCore, table: RouteTable, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const at = core.context.now();
  try {
    const call = await toCall(req, at);
    if (call === "too-large") {
      send(res, { kind: "respond", response: { status: 413, body: { error: "payload_too_large", message: `Request body over ${MAX_BODY_BYTES} bytes` } }, route: "", clientId: "", counted: false });
      return;
    }
    const outcome = await processCall(core, table, call);
    const status = outcome.kind === "drop" ? 0 : outcome.response.status;
    if (outcome.counted) core.recorder.record({ method: call.method, route: outcome.route, path: call.path, status, at, clientId: outcome.clientId });
    send(res, outcome);
  } catch (err) {
    console.error("emulator: unexpected error", err);
    if (!res.headersSent && !res.destroyed) {
      res.statusCode = 500;
      res.end(JSON.stringify({ error: "internal_error", message: (err as Error).message }));
    }
  }
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function urlFor(host: string, port: number): string {
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/**
 * Starts the emulator. Rejects when a route is bound to a spec operation that does not exist,
 * a route is declared twice, the state file is unreadable, or the port is taken.
 */
export async function startEmulator(start: StartOptions = {}): Promise<RunningEmulator> {
  const options = resolveOptions(start);
  const warnings: string[] = [];
  const specs = await loadSpecs(options.specDir, warnings);
  const core = createCore(options, specs);
  const table = buildRouteTable(bindRoutes(assembleRoutes(core, start.extraRoutes), specs));
  const server = http.createServer((req, res) => void handleHttp(core, table, req, res));
  const port = await listen(server, options.port, options.host);
  core.options.port = port;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }).then(() => core.state.flush()));
  return { url: urlFor(options.host, port), port, options: core.options, specValidation: specs !== null, warnings, close };
}
