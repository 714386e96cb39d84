/**
 * The kinds of error a failed soak run ends with, recognised from the message the user sees
 * (`pulumi up`'s output: the resource's URN and the provider's message).
 */

export interface ErrorKind {
  id: string;
  /** What the user reads, in a word or two. */
  title: string;
  matches(message: string): boolean;
}

export const ERROR_KINDS: readonly ErrorKind[] = [
  { id: "lookup-failed", title: "a create's answer was lost and looking for its result failed", matches: (m) => /looking for its result failed/.test(m) },
  { id: "ambiguous-write", title: "write not repeated after an ambiguous failure", matches: (m) => /not retried: the request is not idempotent/.test(m) },
  { id: "throttled", title: "429s past the retry limit", matches: (m) => /\b429\b/.test(m) && /gave up|retry budget/.test(m) },
  { id: "server-error", title: "5xx past the retry limit", matches: (m) => /\b5\d\d\b/.test(m) && /gave up|retry budget/.test(m) },
  { id: "timeout", title: "no response within the timeout, past the retry limit", matches: (m) => /timeout|timed out|no response within/i.test(m) },
  { id: "dropped", title: "dropped connections past the retry limit", matches: (m) => /network|socket hang up|ECONNRESET|connection/i.test(m) },
  { id: "export-failed", title: "export job FAILED in Adobe", matches: (m) => /export job \d+ FAILED/.test(m) },
];

const OTHER: ErrorKind = { id: "other", title: "other", matches: () => true };

/** The kind of one error message (`other` when none matches). */
export function errorKind(message: string): ErrorKind {
  return ERROR_KINDS.find((k) => k.matches(message)) ?? OTHER;
}

/**
 * The request that gave up, with its ids replaced (`CJA GET /data/dataviews/{id}/metrics`), or
 * undefined when the message names none (an export job Adobe failed).
 */
export function failedRequest(message: string): string | undefined {
  const m = /\b(CJA|AEP|IMS) (GET|POST|PUT|PATCH|DELETE) (\S+) failed/.exec(message);
  if (!m) return undefined;
  const path = m[3]
    .replace(/\b(dv|dg)_[0-9a-f-]+/g, "{id}")
    .replace(/\bcm[0-9a-f]{24}\b/g, "{id}")
    .replace(/\b[0-9a-f]{24}\b/g, "{id}")
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, "{id}")
    .replace(/\/\d+(?=\/|$)/g, "/{id}");
  return `${m[1]} ${m[2]} ${path}`;
}

/** A message with its ids, counts and durations replaced, so equal errors group together. */
export function errorShape(message: string): string {
  return message
    .replace(/urn:pulumi:[^:]+::[^:]+::/g, "")
    .replace(/\b(dv|dg)_[0-9a-f-]+/g, "$1_…")
    .replace(/\b[0-9a-f]{24}\b/g, "…")
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, "…")
    .replace(/\b(request|x-request-id)[ :]+\S+/gi, "$1 …")
    .replace(/\d+(\.\d+)? ?ms\b/g, "N ms")
    .replace(/\b\d+ attempts\b/g, "N attempts")
    .replace(/export job \d+/g, "export job N")
    .replace(/soak-probe-\d+/g, "soak-probe-N")
    .replace(/Soak probe \d+/g, "Soak probe N");
}
