/**
 * Client settings: where to reach Adobe, with which credentials, and how patiently.
 *
 * Every setting is read from the Pulumi stack config (fully-qualified key, e.g. `adobe:clientId`),
 * then from an environment variable (e.g. `ADOBE_CLIENT_ID`), then falls back to a default.
 * An empty string counts as unset.
 *
 * | key | env | default |
 * | --- | --- | --- |
 * | `adobe:clientId` | `ADOBE_CLIENT_ID` | required |
 * | `adobe:clientSecret` (secret) | `ADOBE_CLIENT_SECRET` | required |
 * | `adobe:orgId` | `ADOBE_ORG_ID` | required |
 * | `adobe:sandbox` | `ADOBE_SANDBOX` | `prod` |
 * | `adobe:scopes` | `ADOBE_SCOPES` | `openid,AdobeID,read_organizations,additional_info.projectedProductContext,session` |
 * | `adobe:imsEndpoint` | `ADOBE_IMS_ENDPOINT` | `https://ims-na1.adobelogin.com` |
 * | `adobe:cjaEndpoint` | `ADOBE_CJA_ENDPOINT` | `https://cja.adobe.io` |
 * | `adobe:platformEndpoint` | `ADOBE_PLATFORM_ENDPOINT` | `https://platform.adobe.io` |
 * | `adobe:cjaRateLimit` | `ADOBE_CJA_RATE_LIMIT` | `12/6000` (requests/intervalMs; `off` disables) |
 * | `adobe:platformRateLimit` | `ADOBE_PLATFORM_RATE_LIMIT` | `off` (same format) |
 * | `adobe:rateLimitScope` | `ADOBE_RATE_LIMIT_SCOPE` | `machine` (the processes of this machine with the same credential share the budget; `process`: each paces itself) |
 * | `adobe:maxRetries` | `ADOBE_MAX_RETRIES` | `5` |
 * | `adobe:retryBaseDelayMs` | `ADOBE_RETRY_BASE_DELAY_MS` | `1000` |
 * | `adobe:retryMaxDelayMs` | `ADOBE_RETRY_MAX_DELAY_MS` | `30000` |
 * | `adobe:retryBudgetMs` | `ADOBE_RETRY_BUDGET_MS` | `120000` |
 * | `adobe:requestTimeoutMs` | `ADOBE_REQUEST_TIMEOUT_MS` | `65000` (Adobe's gateway gives up at 60 s) |
 * | `adobe:tokenRefreshMarginMs` | `ADOBE_TOKEN_REFRESH_MARGIN_MS` | min(5 min, 10% of the token's lifetime) |
 */

/** What the settings are read from: Pulumi's dynamic-provider config (`req.config` in `configure`). */
export interface ConfigSource {
  get(key: string): string | undefined;
}

/** A fixed number of requests per sliding interval. */
export interface RateLimit {
  requests: number;
  intervalMs: number;
}

/** Retry policy: bounded both in count and in total time. */
export interface RetrySettings {
  /** Retries after the first attempt (0 = never retry). */
  maxRetries: number;
  /** Backoff base: the n-th retry waits a random time in [0, min(maxDelayMs, baseDelayMs * 2^n)). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** No retry is started when the time since the first attempt plus the wait would exceed this. */
  budgetMs: number;
}

/** Fully resolved client settings. Holds the client secret: keep instances out of logs and state. */
export interface AdobeSettings {
  clientId: string;
  clientSecret: string;
  orgId: string;
  sandbox: string;
  /** Comma-separated IMS scopes, as shown on the Developer Console credential. */
  scopes: string;
  imsEndpoint: string;
  cjaEndpoint: string;
  platformEndpoint: string;
  /** One limiter for cja.adobe.io shared by every request of the process; null = off. */
  cjaRateLimit: RateLimit | null;
  /** One limiter for platform.adobe.io; null = off (Adobe documents no general limit there). */
  platformRateLimit: RateLimit | null;
  /** Who shares a rate limit's budget: every process of the machine with the same credential and endpoint, or only this one. */
  rateLimitScope: "machine" | "process";
  retry: RetrySettings;
  /** Per-attempt timeout, ms. */
  requestTimeoutMs: number;
  /** Refresh the IMS token this long before it expires; undefined = min(5 min, 10% of its lifetime). */
  tokenRefreshMarginMs: number | undefined;
}

interface SettingDef {
  key: string;
  env: string;
}

/** Config key and environment variable of every setting. */
export const SETTINGS = {
  clientId: { key: "adobe:clientId", env: "ADOBE_CLIENT_ID" },
  clientSecret: { key: "adobe:clientSecret", env: "ADOBE_CLIENT_SECRET" },
  orgId: { key: "adobe:orgId", env: "ADOBE_ORG_ID" },
  sandbox: { key: "adobe:sandbox", env: "ADOBE_SANDBOX" },
  scopes: { key: "adobe:scopes", env: "ADOBE_SCOPES" },
  imsEndpoint: { key: "adobe:imsEndpoint", env: "ADOBE_IMS_ENDPOINT" },
  cjaEndpoint: { key: "adobe:cjaEndpoint", env: "ADOBE_CJA_ENDPOINT" },
  platformEndpoint: { key: "adobe:platformEndpoint", env: "ADOBE_PLATFORM_ENDPOINT" },
  cjaRateLimit: { key: "adobe:cjaRateLimit", env: "ADOBE_CJA_RATE_LIMIT" },
  platformRateLimit: { key: "adobe:platformRateLimit", env: "ADOBE_PLATFORM_RATE_LIMIT" },
  rateLimitScope: { key: "adobe:rateLimitScope", env: "ADOBE_RATE_LIMIT_SCOPE" },
  maxRetries: { key: "adobe:maxRetries", env: "ADOBE_MAX_RETRIES" },
  retryBaseDelayMs: { key: "adobe:retryBaseDelayMs", env: "ADOBE_RETRY_BASE_DELAY_MS" },
  retryMaxDelayMs: { key: "adobe:retryMaxDelayMs", env: "ADOBE_RETRY_MAX_DELAY_MS" },
  retryBudgetMs: { key: "adobe:retryBudgetMs", env: "ADOBE_RETRY_BUDGET_MS" },
  requestTimeoutMs: { key: "adobe:requestTimeoutMs", env: "ADOBE_REQUEST_TIMEOUT_MS" },
  tokenRefreshMarginMs: { key: "adobe:tokenRefreshMarginMs", env: "ADOBE_TOKEN_REFRESH_MARGIN_MS" },
} as const satisfies Record<string, SettingDef>;

export const DEFAULTS = {
  sandbox: "prod",
  scopes: "openid,AdobeID,read_organizations,additional_info.projectedProductContext,session",
  imsEndpoint: "https://ims-na1.adobelogin.com",
  cjaEndpoint: "https://cja.adobe.io",
  platformEndpoint: "https://platform.adobe.io",
  cjaRateLimit: { requests: 12, intervalMs: 6000 } as RateLimit | null,
  platformRateLimit: null as RateLimit | null,
  rateLimitScope: "machine" as "machine" | "process",
  retry: { maxRetries: 5, baseDelayMs: 1000, maxDelayMs: 30000, budgetMs: 120000 } as RetrySettings,
  requestTimeoutMs: 65000,
};

const REQUIRED = ["clientId", "clientSecret", "orgId"] as const;

/** Thrown when required settings are missing; names every missing key and both ways to set it. */
export class MissingSettingsError extends Error {
  readonly missingKeys: string[];
  constructor(missing: SettingDef[]) {
    const lines = missing.map((d) => {
      const secret = d.key === SETTINGS.clientSecret.key ? "--secret " : "";
      return `  ${d.key}: \`pulumi config set ${secret}${d.key} <value>\` or \`export ${d.env}=<value>\``;
    });
    super(`Missing Adobe settings: ${missing.map((d) => d.key).join(", ")}. Set each one in the stack config or the environment:\n${lines.join("\n")}`);
    this.name = "MissingSettingsError";
    this.missingKeys = missing.map((d) => d.key);
  }
}

/** Thrown when a setting has a value that cannot be used; names the key (never echoes a secret). */
export class InvalidSettingError extends Error {
  readonly key: string;
  constructor(def: SettingDef, source: "config" | "env", value: string, expected: string) {
    const where = source === "config" ? def.key : `${def.env} (fallback for ${def.key})`;
    super(`Invalid Adobe setting ${where}: ${JSON.stringify(value)} is not ${expected}`);
    this.name = "InvalidSettingError";
    this.key = def.key;
  }
}

interface RawValue {
  value: string;
  source: "config" | "env";
}

/**
 * Resolves the settings from Pulumi config and the environment. Performs no I/O.
 * @throws MissingSettingsError naming every missing required key
 * @throws InvalidSettingError naming the first key with an unusable value
 */
export function resolveSettings(config: ConfigSource | undefined, env: NodeJS.ProcessEnv = process.env): AdobeSettings {
  const raw = (def: SettingDef): RawValue | undefined => {
    const fromConfig = config?.get(def.key);
    if (fromConfig !== undefined && fromConfig.trim() !== "") return { value: fromConfig.trim(), source: "config" };
    const fromEnv = env[def.env];
    if (fromEnv !== undefined && fromEnv.trim() !== "") return { value: fromEnv.trim(), source: "env" };
    return undefined;
  };

  const missing = REQUIRED.filter((name) => raw(SETTINGS[name]) === undefined).map((name) => SETTINGS[name]);
  if (missing.length > 0) throw new MissingSettingsError(missing);

  const text = (name: keyof typeof SETTINGS, fallback: string) => raw(SETTINGS[name])?.value ?? fallback;
  const url = (name: "imsEndpoint" | "cjaEndpoint" | "platformEndpoint") => {
    const v = raw(SETTINGS[name]);
    if (!v) return DEFAULTS[name];
    if (!/^https?:\/\/[^\s/]+/i.test(v.value)) throw new InvalidSettingError(SETTINGS[name], v.source, v.value, "an http(s) URL");
    return v.value.replace(/\/+$/, "");
  };
  const integer = (name: keyof typeof BOUNDS, fallback: number) => {
    const v = raw(SETTINGS[name]);
    if (!v) return fallback;
    return parseInteger(SETTINGS[name], v, BOUNDS[name]);
  };
  const rateLimit = (name: "cjaRateLimit" | "platformRateLimit") => {
    const v = raw(SETTINGS[name]);
    return v ? parseRateLimit(SETTINGS[name], v) : DEFAULTS[name];
  };

  const scope = raw(SETTINGS.rateLimitScope);
  if (scope && scope.value !== "machine" && scope.value !== "process") throw new InvalidSettingError(SETTINGS.rateLimitScope, scope.source, scope.value, '"machine" or "process"');
  const margin = raw(SETTINGS.tokenRefreshMarginMs);
  return {
    clientId: text("clientId", ""),
    clientSecret: text("clientSecret", ""),
    orgId: text("orgId", ""),
    sandbox: text("sandbox", DEFAULTS.sandbox),
    scopes: text("scopes", DEFAULTS.scopes)
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "")
      .join(","),
    imsEndpoint: url("imsEndpoint"),
    cjaEndpoint: url("cjaEndpoint"),
    platformEndpoint: url("platformEndpoint"),
    cjaRateLimit: rateLimit("cjaRateLimit"),
    platformRateLimit: rateLimit("platformRateLimit"),
    rateLimitScope: (scope?.value as "machine" | "process" | undefined) ?? DEFAULTS.rateLimitScope,
    retry: {
      maxRetries: integer("maxRetries", DEFAULTS.retry.maxRetries),
      baseDelayMs: integer("retryBaseDelayMs", DEFAULTS.retry.baseDelayMs),
      maxDelayMs: integer("retryMaxDelayMs", DEFAULTS.retry.maxDelayMs),
      budgetMs: integer("retryBudgetMs", DEFAULTS.retry.budgetMs),
    },
    requestTimeoutMs: integer("requestTimeoutMs", DEFAULTS.requestTimeoutMs),
    tokenRefreshMarginMs: margin ? parseInteger(SETTINGS.tokenRefreshMarginMs, margin, BOUNDS.tokenRefreshMarginMs) : undefined,
  };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * The range of each whole-number setting: wide enough for any real use, and every time well
 * under Node's largest timer (2^31 - 1 ms, about 24.8 days), above which a timer fires at once.
 */
export const BOUNDS = {
  maxRetries: { min: 0, max: 20 },
  retryBaseDelayMs: { min: 0, max: 10 * MINUTE },
  retryMaxDelayMs: { min: 0, max: 10 * MINUTE },
  retryBudgetMs: { min: 0, max: 6 * HOUR },
  requestTimeoutMs: { min: 1, max: 10 * MINUTE },
  tokenRefreshMarginMs: { min: 0, max: 24 * HOUR },
} as const;

/** A rate limit's range: at least one request, an interval of at most an hour. */
export const RATE_LIMIT_BOUNDS = { maxRequests: 10_000, maxIntervalMs: HOUR } as const;

function parseInteger(def: SettingDef, v: RawValue, bounds: { min: number; max: number }): number {
  const expected = `a whole number from ${bounds.min} to ${bounds.max}`;
  if (!/^\d+$/.test(v.value)) throw new InvalidSettingError(def, v.source, v.value, expected);
  const n = Number(v.value);
  if (!Number.isSafeInteger(n) || n < bounds.min || n > bounds.max) throw new InvalidSettingError(def, v.source, v.value, expected);
  return n;
}

/** `"12/6000"` = 12 requests per 6000 ms; `"off"` = no limit. */
function parseRateLimit(def: SettingDef, v: RawValue): RateLimit | null {
  if (/^(off|none|false)$/i.test(v.value)) return null;
  const m = /^(\d+)\s*\/\s*(\d+)$/.exec(v.value);
  const requests = m ? Number(m[1]) : NaN;
  const intervalMs = m ? Number(m[2]) : NaN;
  const { maxRequests, maxIntervalMs } = RATE_LIMIT_BOUNDS;
  if (!m || requests < 1 || intervalMs < 1 || requests > maxRequests || intervalMs > maxIntervalMs) {
    throw new InvalidSettingError(def, v.source, v.value, `"<requests>/<intervalMs>" (e.g. "12/6000", at most ${maxRequests}/${maxIntervalMs}) or "off"`);
  }
  return { requests, intervalMs };
}

/** True when two settings would build the same client (same credentials, endpoints and policies). */
export function sameSettings(a: AdobeSettings, b: AdobeSettings): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
