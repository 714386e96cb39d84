/**
 * Transport layer: sends one HTTP request with node-fetch and a per-request timeout, and returns
 * the status, headers and body text of whatever Adobe answered. Network failures and timeouts
 * become AdobeApiError with status 0. No auth, no retry, no status interpretation.
 */
import nodeFetch from "node-fetch";
import { AdobeApiError, type ServiceName } from "./errors";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** A request ready for the wire. */
export interface HttpRequest {
  service: ServiceName;
  method: HttpMethod;
  /** Absolute URL including the query string. */
  url: string;
  /** Path without the query string; the only part of the URL used in messages and logs. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface HttpResponse {
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  text: string;
}

/** The subset of the fetch API the transport uses (node-fetch@2 or a test double). */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal },
) => Promise<{ status: number; headers: { forEach(cb: (value: string, name: string) => void): void }; text(): Promise<string> }>;

export type Send = (request: HttpRequest) => Promise<HttpResponse>;

const defaultFetch = nodeFetch as unknown as FetchLike;

/** A transport over `fetch` (node-fetch@2 unless given). */
export function createTransport(fetch: FetchLike = defaultFetch): Send {
  return async (request) => {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, request.timeoutMs);
    try {
      const res = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: controller.signal,
      });
      const headers: Record<string, string> = {};
      res.headers.forEach((value, name) => {
        headers[name.toLowerCase()] = value;
      });
      const text = await res.text();
      return { status: res.status, headers, text };
    } catch (e) {
      throw networkError(request, e, timedOut);
    } finally {
      clearTimeout(timer);
    }
  };
}

function networkError(request: HttpRequest, cause: unknown, timedOut: boolean): AdobeApiError {
  const base = { service: request.service, method: request.method, path: request.path, status: 0, retryable: true };
  if (timedOut) {
    return new AdobeApiError({ ...base, kind: "timeout", description: `no response within ${request.timeoutMs} ms` });
  }
  const err = cause as { code?: unknown; errno?: unknown; type?: unknown; name?: unknown; message?: unknown };
  const code = typeof err?.code === "string" ? err.code : typeof err?.errno === "string" ? err.errno : undefined;
  const reason = describeNetworkFailure(err?.message);
  return new AdobeApiError({
    ...base,
    kind: "network",
    code,
    description: `network error${code ? ` ${code}` : ""}${reason ? `: ${reason}` : ""}`,
    cause,
  });
}

/** node-fetch messages read "request to <url> failed, reason: <reason>"; keep only the reason. */
function describeNetworkFailure(message: unknown): string | undefined {
  if (typeof message !== "string") return undefined;
  const m = /reason:\s*(.*)$/.exec(message);
  return (m ? m[1] : message.replace(/https?:\/\/\S+/g, "<url>")).slice(0, 200);
}
