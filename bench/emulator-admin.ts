/**
 * The emulator's admin API (`/_emulator/...`, no auth) as the benchmark and the soak use it:
 * request counters, faults, the rate limit, token expiry, the state dump.
 */
import type { Counter, HeldAnswer, LogEntry } from "../emulator/counters";
import type { FaultScriptStep } from "../emulator/faults";
import { ADMIN_PREFIX, type FaultOptions } from "../emulator/types";

export type { Counter, LogEntry, FaultScriptStep };

/** What `GET /_emulator/requests` answers. */
export interface RequestRecord {
  counters: Counter[];
  log: LogEntry[];
  /** Requests carried out whose answers a fault held back (`answerAfterMs`). */
  held: HeldAnswer[];
}

export class EmulatorAdmin {
  constructor(readonly url: string) {}

  /** Calls `path` (relative to `/_emulator`); throws with the answer on a non-2xx status. */
  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}${ADMIN_PREFIX}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`Emulator admin ${method} ${path} answered ${res.status}: ${text}`);
    return (text === "" ? undefined : JSON.parse(text)) as T;
  }

  /** Whether `GET path` finds something (false on 404; other failures throw). */
  async exists(path: string): Promise<boolean> {
    const res = await fetch(`${this.url}${ADMIN_PREFIX}${path}`);
    await res.text();
    if (res.status === 404) return false;
    if (!res.ok) throw new Error(`Emulator admin GET ${path} answered ${res.status}`);
    return true;
  }

  /** The admin path prefix of an org's CJA objects. */
  static org(orgId: string): string {
    return `/orgs/${encodeURIComponent(orgId)}`;
  }

  requests(): Promise<RequestRecord> {
    return this.call<RequestRecord>("GET", "/requests");
  }

  async clearRequests(): Promise<void> {
    await this.call("DELETE", "/requests");
  }

  async setFaults(faults: FaultOptions & { script?: FaultScriptStep[] }): Promise<void> {
    await this.call("PUT", "/faults", faults);
  }

  async setRateLimit(limit: { requests: number; intervalMs: number } | null): Promise<void> {
    await this.call("PUT", "/rate-limit", limit);
  }

  async expireTokens(): Promise<void> {
    await this.call("POST", "/tokens/expire");
  }

  async reset(): Promise<void> {
    await this.call("POST", "/reset");
  }

  state<T = unknown>(): Promise<T> {
    return this.call<T>("GET", "/state");
  }

  validationFailures(): Promise<unknown[]> {
    return this.call<unknown[]>("GET", "/validation-failures");
  }
}
