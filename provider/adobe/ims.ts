/**
 * Auth layer: the OAuth server-to-server access token from Adobe IMS
 * (`POST {imsEndpoint}/ims/token/v3`, form body `grant_type=client_credentials`), cached per
 * process until shortly before it expires. Concurrent callers share one in-flight token request.
 */
import { z } from "zod";
import { AdobeApiError, parseErrorBody } from "./errors";
import type { HttpRequest, Send } from "./transport";

/** IMS path (Adobe's IMS docs; not part of the CJA/AEP OpenAPI specs). */
export const IMS_TOKEN_PATH = "/ims/token/v3";

export interface ImsCredentials {
  imsEndpoint: string;
  clientId: string;
  clientSecret: string;
  /** Comma-separated scopes. */
  scopes: string;
}

export interface AccessToken {
  value: string;
  /** Lifetime announced by IMS, ms. */
  lifetimeMs: number;
}

const tokenResponse = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive(),
});

/**
 * Requests a token from IMS through `send` (one attempt; the caller decides on retries).
 * The client secret goes only into the form body, which no error or log line ever contains.
 */
export async function requestAccessToken(send: Send, creds: ImsCredentials, timeoutMs: number): Promise<AccessToken> {
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: creds.clientId,
    client_secret: creds.clientSecret,
    scope: creds.scopes,
  });
  const request: HttpRequest = {
    service: "IMS",
    method: "POST",
    url: `${creds.imsEndpoint}${IMS_TOKEN_PATH}`,
    path: IMS_TOKEN_PATH,
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
    body: form.toString(),
    timeoutMs,
  };
  const res = await send(request);
  const base = { service: "IMS" as const, method: "POST", path: IMS_TOKEN_PATH, status: res.status, requestId: res.headers["x-request-id"] };
  if (res.status < 200 || res.status >= 300) {
    const parsed = parseErrorBody(res.text);
    throw new AdobeApiError({
      ...base,
      kind: "http",
      code: parsed.code,
      description: parsed.description,
      requestId: base.requestId ?? parsed.requestId,
      retryable: res.status === 429 || res.status >= 500,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(res.text);
  } catch {
    json = undefined;
  }
  const parsed = tokenResponse.safeParse(json);
  if (!parsed.success) {
    // Never echo the body: it may hold a token.
    throw new AdobeApiError({ ...base, kind: "invalid_response", description: "expected {access_token, expires_in}", retryable: false });
  }
  return { value: parsed.data.access_token, lifetimeMs: parsed.data.expires_in * 1000 };
}

export interface TokenCacheOptions {
  /** Refresh this long before expiry; default min(5 min, 10% of the lifetime). */
  refreshMarginMs?: number;
  now?: () => number;
}

/**
 * Process-wide token cache. `getToken` returns the cached token while it is fresh, and otherwise
 * starts one token request that every concurrent caller shares.
 */
export class TokenCache {
  private current: { value: string; refreshAt: number } | undefined;
  private inFlight: Promise<string> | undefined;
  private readonly now: () => number;
  private issued = new Set<string>();

  constructor(
    private readonly fetchToken: () => Promise<AccessToken>,
    private readonly options: TokenCacheOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  async getToken(): Promise<string> {
    if (this.current && this.now() < this.current.refreshAt) return this.current.value;
    if (!this.inFlight) {
      const started = this.now();
      this.inFlight = this.fetchToken()
        .then((token) => {
          const margin = this.options.refreshMarginMs ?? Math.min(5 * 60_000, token.lifetimeMs / 10);
          this.current = { value: token.value, refreshAt: started + token.lifetimeMs - margin };
          this.issued.add(token.value);
          return token.value;
        })
        .finally(() => {
          this.inFlight = undefined;
        });
    }
    return this.inFlight;
  }

  /**
   * Drops the cached token (after a 401). With `token`, only when it is still the cached one, so a
   * burst of 401s for one stale token causes one refresh, not one per request.
   */
  invalidate(token?: string): void {
    if (token === undefined || this.current?.value === token) this.current = undefined;
  }

  /** Every token this cache has received (for masking them in messages). */
  issuedTokens(): Iterable<string> {
    return this.issued;
  }
}
