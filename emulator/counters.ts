/**
 * Request counters (per method, route template and status) and the request log, so tests and
 * benchmarks can assert how many calls reached which endpoint and when.
 */

/** How many requests of one route template ended with one status. */
export interface Counter {
  method: string;
  /** Route template, e.g. `/data/dataviews/:dataViewId`; {@link UNMATCHED_ROUTE} when no route matched. */
  route: string;
  /** HTTP status sent; 0 when the connection was dropped by an injected fault. */
  status: number;
  count: number;
}

/** One request, in arrival order. */
export interface LogEntry {
  method: string;
  route: string;
  /** Path without the query string. */
  path: string;
  status: number;
  /** Milliseconds since the epoch when the request arrived. */
  at: number;
  /** The client id the request was made for (token's client id, `x-api-key`, or IMS `client_id`); "" if none. */
  clientId: string;
}

/** The route recorded for a request that matched no route. */
export const UNMATCHED_ROUTE = "(no route)";

/** Oldest log entries are dropped beyond this many; counters stay exact. */
const MAX_LOG_ENTRIES = 100_000;

/** A request carried out whose answer a fault holds back (`answerAfterMs`): Adobe has acted, the client does not know yet. */
export interface HeldAnswer {
  method: string;
  route: string;
  /** When it was carried out, ms since the epoch. */
  at: number;
}

export class RequestRecorder {
  private counts = new Map<string, Counter>();
  private log: LogEntry[] = [];
  private held: HeldAnswer[] = [];

  /** A request was carried out and its answer is held: a test can stop the client at this moment. */
  hold(entry: HeldAnswer): void {
    this.held.push(entry);
  }

  record(entry: LogEntry): void {
    const key = `${entry.method} ${entry.route} ${entry.status}`;
    const counter = this.counts.get(key);
    if (counter) counter.count += 1;
    else this.counts.set(key, { method: entry.method, route: entry.route, status: entry.status, count: 1 });
    this.log.push(entry);
    if (this.log.length > MAX_LOG_ENTRIES) this.log.splice(0, this.log.length - MAX_LOG_ENTRIES);
  }

  /** Counters sorted by route, method and status, the log sorted by arrival, and the answers held so far. */
  snapshot(): { counters: Counter[]; log: LogEntry[]; held: HeldAnswer[] } {
    const counters = [...this.counts.values()]
      .map((c) => ({ ...c }))
      .sort((a, b) => a.route.localeCompare(b.route) || a.method.localeCompare(b.method) || a.status - b.status);
    const log = this.log.map((e) => ({ ...e })).sort((a, b) => a.at - b.at);
    return { counters, log, held: this.held.map((e) => ({ ...e })) };
  }

  clear(): void {
    this.counts.clear();
    this.log = [];
    this.held = [];
  }
}
