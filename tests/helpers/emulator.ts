/**
 * Starts the Adobe API emulator for a test, with Adobe's specs always on and strict response
 * validation, and talks to its admin API.
 */
import type { Counter, HeldAnswer, LogEntry } from "../../emulator/counters";
import type { ValidationFailure } from "../../emulator/core";
import type { FaultScriptStep } from "../../emulator/faults";
import { startEmulator, type RunningEmulator, type StartOptions } from "../../emulator/server";
import { defaultSpecDir, missingSpecFiles } from "../../emulator/spec-validator";
import { ADMIN_PREFIX, type EmulatorOptions, type FaultOptions } from "../../emulator/types";

export type { Counter, LogEntry, FaultScriptStep, ValidationFailure };

export const TEST_ORG = "TESTORG0000000000000000@AdobeOrg";
export const TEST_CLIENT_ID = "test-client-id";
export const TEST_CLIENT_SECRET = "test-client-secret-value";
export const TEST_SANDBOX = "prod";

/** A parsed HTTP answer. */
export interface HttpResult<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the text when the body is not JSON, or undefined when empty. */
  body: T;
}

export interface CallOptions {
  body?: unknown;
  /** Query parameters appended to the path. */
  query?: Record<string, string>;
  /** Extra or overriding headers; a header set to `null` is not sent. */
  headers?: Record<string, string | null>;
  /** IMS org header (default {@link TEST_ORG}). */
  org?: string;
  /** `x-sandbox-name` (default: none, so AEP uses "prod"). */
  sandbox?: string;
  /** Bearer token (default: a fresh one from the emulator's IMS, cached per emulator). */
  token?: string;
}

export interface TestEmulator {
  url: string;
  options: EmulatorOptions;
  /** ADOBE_CLIENT_ID, ADOBE_CLIENT_SECRET, ADOBE_ORG_ID, ADOBE_SANDBOX, ADOBE_IMS_ENDPOINT, ADOBE_CJA_ENDPOINT, ADOBE_PLATFORM_ENDPOINT. */
  env(): Record<string, string>;
  /** The same settings as Pulumi config: "adobe:clientId", ... */
  config(): Record<string, string>;
  /** Calls the admin API (`path` relative to /_emulator); throws on a non-2xx answer. */
  admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  reset(): Promise<void>;
  setFaults(f: FaultOptions & { script?: FaultScriptStep[] }): Promise<void>;
  expireTokens(): Promise<void>;
  requests(): Promise<{ counters: Counter[]; log: LogEntry[]; held: HeldAnswer[] }>;
  clearRequests(): Promise<void>;
  /** Responses that broke the spec so far (and handler crashes). */
  validationFailures(): Promise<ValidationFailure[]>;
  /** A fresh access token from the emulator's IMS. */
  token(): Promise<string>;
  /** What a call made in the UI carries (the UI's own user, not the test's credential): spread into {@link CallOptions}. */
  asTheUi(): Promise<Pick<CallOptions, "token" | "headers">>;
  /** An authenticated call to a CJA/AEP path (see {@link CallOptions}); never throws on a status. */
  call<T = unknown>(method: string, path: string, opts?: CallOptions): Promise<HttpResult<T>>;
  /** Stops the emulator; rejects if any emulator response broke the spec during the run. */
  close(): Promise<void>;
}

/** The spec folder tests validate against; throws (never skips) when it is missing. */
export function testSpecDir(): string {
  const dir = defaultSpecDir();
  const missing = missingSpecFiles(dir);
  if (missing.length > 0) {
    throw new Error(
      `Adobe's OpenAPI specs are missing from ${dir} (${missing.join(", ")}). ` +
        "Tests always validate against them: run `npm run specs` or set ADOBE_OPENAPI_DIR to a folder with them.",
    );
  }
  return dir;
}

/** Reads an answer: JSON when it parses, else text, else undefined. */
export async function readResult<T = unknown>(res: Response): Promise<HttpResult<T>> {
  const text = await res.text();
  let body: unknown = undefined;
  if (text !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: res.status, headers: res.headers, body: body as T };
}

function buildUrl(base: string, path: string, query?: Record<string, string>): string {
  const url = new URL(path, base);
  for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
  return url.toString();
}

function describeFailures(failures: ValidationFailure[]): string {
  return failures.map((f) => `${f.kind}: ${f.method} ${f.path} (${f.status}): ${f.problems.join("; ")}`).join("\n");
}

async function requestToken(url: string, clientId: string, clientSecret: string): Promise<string> {
  const form = new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret, scope: "openid,AdobeID" });
  const res = await fetch(`${url}/ims/token/v3`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form.toString() });
  const result = await readResult<{ access_token?: string }>(res);
  if (result.status !== 200 || !result.body.access_token) throw new Error(`IMS token request failed: ${result.status} ${JSON.stringify(result.body)}`);
  return result.body.access_token;
}

function wrap(running: RunningEmulator): TestEmulator {
  const { url, options } = running;
  let cachedToken: string | undefined;
  const admin = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}${ADMIN_PREFIX}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const result = await readResult<T>(res);
    if (result.status < 200 || result.status > 299) throw new Error(`Emulator admin ${method} ${path} answered ${result.status}: ${JSON.stringify(result.body)}`);
    return result.body;
  };
  const emulator: TestEmulator = {
    url,
    options,
    env: () => ({
      ADOBE_CLIENT_ID: options.clientId,
      ADOBE_CLIENT_SECRET: options.clientSecret,
      ADOBE_ORG_ID: TEST_ORG,
      ADOBE_SANDBOX: TEST_SANDBOX,
      ADOBE_IMS_ENDPOINT: url,
      ADOBE_CJA_ENDPOINT: url,
      ADOBE_PLATFORM_ENDPOINT: url,
    }),
    config: () => ({
      "adobe:clientId": options.clientId,
      "adobe:clientSecret": options.clientSecret,
      "adobe:orgId": TEST_ORG,
      "adobe:sandbox": TEST_SANDBOX,
      "adobe:imsEndpoint": url,
      "adobe:cjaEndpoint": url,
      "adobe:platformEndpoint": url,
    }),
    admin,
    reset: async () => {
      await admin("POST", "/reset");
    },
    setFaults: async (f) => {
      await admin("PUT", "/faults", f);
    },
    expireTokens: async () => {
      await admin("POST", "/tokens/expire");
      cachedToken = undefined;
    },
    requests: () => admin("GET", "/requests"),
    clearRequests: async () => {
      await admin("DELETE", "/requests");
    },
    validationFailures: () => admin("GET", "/validation-failures"),
    token: () => requestToken(url, options.clientId, options.clientSecret),
    asTheUi: async () => {
      const ui = await admin<{ clientId: string; accessToken: string }>("POST", "/tokens/ui");
      return { token: ui.accessToken, headers: { "x-api-key": ui.clientId } };
    },
    call: async <T>(method: string, path: string, opts: CallOptions = {}) => {
      const token = opts.token ?? (cachedToken ??= await emulator.token());
      const headers: Record<string, string | null> = {
        authorization: `Bearer ${token}`,
        "x-api-key": options.clientId,
        "x-gw-ims-org-id": opts.org ?? TEST_ORG,
        accept: "application/json",
        ...(opts.sandbox ? { "x-sandbox-name": opts.sandbox } : {}),
        ...(opts.body !== undefined ? { "content-type": "application/json" } : {}),
        ...opts.headers,
      };
      const sent = Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => e[1] !== null));
      const res = await fetch(buildUrl(url, path, opts.query), { method, headers: sent, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
      return readResult<T>(res);
    },
    close: async () => {
      const failures = await admin<ValidationFailure[]>("GET", "/validation-failures");
      await running.close();
      if (failures.length > 0) throw new Error(`The emulator broke Adobe's spec during this run:\n${describeFailures(failures)}`);
    },
  };
  return emulator;
}

/**
 * Starts an emulator for tests: port 0, no rate limit, Adobe's specs (required), strict response
 * validation, the TEST_* credentials. Any option can be overridden.
 */
export async function startTestEmulator(opts: StartOptions = {}): Promise<TestEmulator> {
  const running = await startEmulator({
    port: 0,
    rateLimit: null,
    specDir: testSpecDir(),
    responseValidation: "strict",
    clientId: TEST_CLIENT_ID,
    clientSecret: TEST_CLIENT_SECRET,
    ...opts,
  });
  return wrap(running);
}
