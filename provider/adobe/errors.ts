/**
 * The one error type of the Adobe client. It carries Adobe's own error code and message, parsed
 * from whichever body shape the answering layer uses, and never a token, secret, header or form body.
 */

/** Which Adobe service a request went to; the name used in messages. */
export type ServiceName = "CJA" | "AEP" | "IMS";

/**
 * What went wrong:
 * - `http`: Adobe answered with a non-success status;
 * - `network`: the connection failed or was dropped before an answer (status 0);
 * - `timeout`: no answer within the request timeout (status 0);
 * - `invalid_response`: a success status whose body does not have the documented shape.
 */
export type ErrorKind = "http" | "network" | "timeout" | "invalid_response";

export interface AdobeApiErrorInit {
  service: ServiceName;
  kind: ErrorKind;
  method: string;
  /** Request path without the query string. */
  path: string;
  /** HTTP status; 0 when no answer arrived. */
  status: number;
  /** Adobe's error code (`invalid_parameters`, `429050`, `UPAPI-113430-404`, `invalid_client`, ...). */
  code?: string;
  /** Adobe's error message, or what happened on the wire. */
  description?: string;
  /** `x-request-id` response header, or the body's `requestId` / `errorId`. */
  requestId?: string;
  /** Whether retrying the same request could succeed. */
  retryable: boolean;
  /** Wait asked for by `Retry-After`, ms. */
  retryAfterMs?: number;
  /** The gateway rejected the access token (401): a fresh token may succeed. */
  tokenRejected?: boolean;
  /** Attempts made before this error was given up on. */
  attempts?: number;
  /** Why retrying stopped, when it did. */
  gaveUp?: string;
  /** Which setting to check, when the error says a setting is wrong. */
  hint?: string;
  cause?: unknown;
}

/** An Adobe API call that failed. `message` reads `CJA POST /data/dataviews failed: 400 invalid_parameters: ... (request id ...)`. */
export class AdobeApiError extends Error {
  readonly service: ServiceName;
  readonly kind: ErrorKind;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly code?: string;
  readonly description?: string;
  readonly requestId?: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly tokenRejected: boolean;
  readonly attempts?: number;
  readonly gaveUp?: string;
  readonly hint?: string;

  constructor(init: AdobeApiErrorInit) {
    super(formatMessage(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "AdobeApiError";
    this.service = init.service;
    this.kind = init.kind;
    this.method = init.method;
    this.path = init.path;
    this.status = init.status;
    this.code = init.code;
    this.description = init.description;
    this.requestId = init.requestId;
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
    this.tokenRejected = init.tokenRejected ?? false;
    this.attempts = init.attempts;
    this.gaveUp = init.gaveUp;
    this.hint = init.hint;
  }

  /** The same failure, after `attempts` attempts, with the reason retrying stopped; no longer retryable. */
  exhausted(attempts: number, gaveUp: string): AdobeApiError {
    return new AdobeApiError({ ...this.init(), attempts, gaveUp, retryable: false, cause: this });
  }

  /** The same failure, with the setting to check. */
  withHint(hint: string): AdobeApiError {
    return new AdobeApiError({ ...this.init(), hint, cause: this.cause });
  }

  /** The same failure with every occurrence of the given strings masked (defence in depth), in its `cause` chain too. */
  redacted(redact: (text: string) => string): AdobeApiError {
    const init = this.init();
    return new AdobeApiError({
      ...init,
      description: init.description === undefined ? undefined : redact(init.description),
      path: redact(init.path),
      cause: maskedCause(this.cause, redact),
    });
  }

  private init(): AdobeApiErrorInit {
    return {
      service: this.service,
      kind: this.kind,
      method: this.method,
      path: this.path,
      status: this.status,
      code: this.code,
      description: this.description,
      requestId: this.requestId,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      tokenRejected: this.tokenRejected,
      attempts: this.attempts,
      gaveUp: this.gaveUp,
      hint: this.hint,
    };
  }
}

/** A cause as plain errors whose messages are masked: nothing else of it (a request, its headers) is kept. */
function maskedCause(cause: unknown, redact: (text: string) => string): unknown {
  if (cause === undefined) return undefined;
  if (cause instanceof AdobeApiError) return cause.redacted(redact);
  if (!(cause instanceof Error)) return redact(String(cause));
  const masked = new Error(redact(cause.message), cause.cause === undefined ? undefined : { cause: maskedCause(cause.cause, redact) });
  masked.name = cause.name;
  masked.stack = redact(cause.stack ?? "");
  return masked;
}

function formatMessage(e: AdobeApiErrorInit): string {
  let what: string;
  if (e.kind === "http" || e.kind === "invalid_response") {
    what = [String(e.status), e.code ? `${e.code}:` : undefined, e.description].filter((x) => x).join(" ");
    if (e.kind === "invalid_response") what = `${e.status} response does not have the documented shape: ${e.description ?? ""}`;
  } else {
    what = e.description ?? e.kind;
  }
  const id = e.requestId ? ` (request id ${e.requestId})` : "";
  const gaveUp = e.gaveUp ? `; ${e.gaveUp}` : "";
  const hint = e.hint ? `. ${e.hint}` : "";
  return `${e.service} ${e.method} ${e.path} failed: ${what}${id}${gaveUp}${hint}`;
}

/** True for an AdobeApiError with HTTP status 404. */
export function isNotFound(error: unknown): error is AdobeApiError {
  return error instanceof AdobeApiError && error.status === 404;
}

/** Adobe's code, message and request id, read from any of the error body shapes Adobe's services use. */
export interface ParsedErrorBody {
  code?: string;
  description?: string;
  requestId?: string;
}

const MAX_DESCRIPTION = 500;

/**
 * Reads Adobe's code and message from an error body:
 * - CJA: `{errorCode, errorDescription, errorId}`
 * - I/O gateway: `{error_code, message}` (e.g. `429050 Too many requests`)
 * - Platform (Catalog, Query Service): `{type, title, status, detail}`
 * - Segmentation: `{requestId, errors: {"404": [{code, message}]}, type: ".../UPAPI-113430-404", title, status}`
 * - IMS: `{error, error_description}`
 * Anything else: the start of the text.
 */
export function parseErrorBody(text: string): ParsedErrorBody {
  let body: unknown;
  try {
    body = text.trim() === "" ? undefined : JSON.parse(text);
  } catch {
    const snippet = text.replace(/\s+/g, " ").trim();
    return snippet ? { description: truncate(snippet) } : {};
  }
  if (Array.isArray(body) && body.length > 0) body = body[0];
  if (!isRecord(body)) return {};

  const str = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v : typeof v === "number" ? String(v) : undefined);
  const requestId = str(body.requestId) ?? str(body.errorId) ?? str(body.request_id);

  if (str(body.errorCode) || str(body.errorDescription)) {
    return { code: str(body.errorCode), description: maybe(str(body.errorDescription)), requestId };
  }
  if (str(body.error_code)) {
    return { code: str(body.error_code), description: maybe(str(body.message)), requestId };
  }
  if (str(body.error) && !isRecord(body.error)) {
    return { code: str(body.error), description: maybe(str(body.error_description) ?? str(body.message)), requestId };
  }
  if (str(body.type) || str(body.title) || isRecord(body.errors)) {
    const typeCode = str(body.type)?.split("/").pop();
    const code = typeCode && /^[A-Z]+-\d+-\d+$/.test(typeCode) ? typeCode : str(body.title);
    const nested = firstNestedMessage(body.errors);
    const detail = str(body.detail) ?? (isRecord(body.report) ? str(body.report["detailed-message"]) : undefined);
    const description = detail ?? (code === str(body.title) ? nested : str(body.title) ?? nested);
    return { code, description: maybe(description), requestId };
  }
  const message = str(body.message) ?? str(body.msg);
  return { code: str(body.code) ?? str(body.statusCode), description: maybe(message), requestId };
}

function firstNestedMessage(errors: unknown): string | undefined {
  if (!isRecord(errors)) return undefined;
  for (const list of Object.values(errors)) {
    if (Array.isArray(list)) {
      for (const item of list) if (isRecord(item) && typeof item.message === "string") return item.message;
    }
  }
  return undefined;
}

function maybe(s: string | undefined): string | undefined {
  return s === undefined ? undefined : truncate(s);
}

function truncate(s: string): string {
  return s.length > MAX_DESCRIPTION ? `${s.slice(0, MAX_DESCRIPTION)}…` : s;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Builds a function that masks every given secret in a text. Used on every log line and error
 * message, in addition to never putting secrets there in the first place.
 */
export function secretMasker(secrets: () => Iterable<string>): (text: string) => string {
  return (text) => {
    let out = text;
    for (const s of secrets()) {
      if (s.length >= 4 && out.includes(s)) out = out.split(s).join("[redacted]");
    }
    return out;
  };
}
