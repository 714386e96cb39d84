import { InvalidSettingError, MissingSettingsError, resolveSettings, sameSettings } from "../../provider/adobe/settings";

const config = (values: Record<string, string>) => ({ get: (key: string) => values[key] });
const required = { "adobe:clientId": "id", "adobe:clientSecret": "s3cret-value", "adobe:orgId": "ORG@AdobeOrg" };

describe("resolveSettings", () => {
  it("reads fully-qualified Pulumi config keys and applies the documented defaults", () => {
    const s = resolveSettings(config(required), {});
    expect(s).toMatchObject({
      clientId: "id",
      clientSecret: "s3cret-value",
      orgId: "ORG@AdobeOrg",
      sandbox: "prod",
      scopes: "openid,AdobeID,read_organizations,additional_info.projectedProductContext,session",
      imsEndpoint: "https://ims-na1.adobelogin.com",
      cjaEndpoint: "https://cja.adobe.io",
      platformEndpoint: "https://platform.adobe.io",
      cjaRateLimit: { requests: 12, intervalMs: 6000 },
      platformRateLimit: null,
      rateLimitScope: "machine",
      retry: { maxRetries: 5, baseDelayMs: 1000, maxDelayMs: 30000, budgetMs: 120000 },
      requestTimeoutMs: 65000,
      tokenRefreshMarginMs: undefined,
    });
  });

  it("falls back to environment variables, config winning over env, empty counting as unset", () => {
    const s = resolveSettings(config({ "adobe:clientId": "from-config", "adobe:sandbox": "" }), {
      ADOBE_CLIENT_ID: "from-env",
      ADOBE_CLIENT_SECRET: "env-secret",
      ADOBE_ORG_ID: "ENVORG@AdobeOrg",
      ADOBE_SANDBOX: "dev",
      ADOBE_CJA_ENDPOINT: "http://127.0.0.1:1234/",
      ADOBE_CJA_RATE_LIMIT: "10/200",
      ADOBE_PLATFORM_RATE_LIMIT: "100/60000",
      ADOBE_MAX_RETRIES: "2",
      ADOBE_RETRY_BASE_DELAY_MS: "5",
      ADOBE_RETRY_MAX_DELAY_MS: "50",
      ADOBE_RETRY_BUDGET_MS: "2000",
      ADOBE_REQUEST_TIMEOUT_MS: "300",
      ADOBE_TOKEN_REFRESH_MARGIN_MS: "0",
      ADOBE_SCOPES: " openid , AdobeID ",
    });
    expect(s.clientId).toBe("from-config");
    expect(s.clientSecret).toBe("env-secret");
    expect(s.sandbox).toBe("dev");
    expect(s.cjaEndpoint).toBe("http://127.0.0.1:1234");
    expect(s.cjaRateLimit).toEqual({ requests: 10, intervalMs: 200 });
    expect(s.platformRateLimit).toEqual({ requests: 100, intervalMs: 60000 });
    expect(s.retry).toEqual({ maxRetries: 2, baseDelayMs: 5, maxDelayMs: 50, budgetMs: 2000 });
    expect(s.requestTimeoutMs).toBe(300);
    expect(s.tokenRefreshMarginMs).toBe(0);
    expect(s.scopes).toBe("openid,AdobeID");
  });

  it("turns a rate limit off with 'off'", () => {
    expect(resolveSettings(config({ ...required, "adobe:cjaRateLimit": "off" }), {}).cjaRateLimit).toBeNull();
  });

  it("names every missing required key, with the pulumi config and export commands for each, in one error", () => {
    let error: unknown;
    try {
      resolveSettings(config({ "adobe:orgId": "ORG@AdobeOrg" }), {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MissingSettingsError);
    const e = error as MissingSettingsError;
    expect(e.missingKeys).toEqual(["adobe:clientId", "adobe:clientSecret"]);
    expect(e.message).toContain("pulumi config set adobe:clientId");
    expect(e.message).toContain("pulumi config set --secret adobe:clientSecret");
    expect(e.message).toContain("export ADOBE_CLIENT_ID=");
    expect(e.message).toContain("export ADOBE_CLIENT_SECRET=");
    expect(e.message).not.toContain("adobe:orgId");
  });

  it("names all three keys when nothing is set", () => {
    expect(() => resolveSettings(undefined, {})).toThrow(/adobe:clientId, adobe:clientSecret, adobe:orgId/);
  });

  it.each([
    ["adobe:maxRetries", "three", /adobe:maxRetries/],
    ["adobe:maxRetries", "-1", /adobe:maxRetries/],
    ["adobe:retryBaseDelayMs", "1.5", /adobe:retryBaseDelayMs/],
    ["adobe:requestTimeoutMs", "0", /adobe:requestTimeoutMs/],
    ["adobe:requestTimeoutMs", "10ms", /adobe:requestTimeoutMs/],
    ["adobe:cjaRateLimit", "12 per 6s", /adobe:cjaRateLimit/],
    ["adobe:cjaRateLimit", "0/6000", /adobe:cjaRateLimit/],
    ["adobe:platformRateLimit", "5/", /adobe:platformRateLimit/],
    ["adobe:cjaEndpoint", "cja.adobe.io", /adobe:cjaEndpoint/],
    // Above Node's largest timer (2^31 - 1 ms) a timer fires at once: every time is bounded well below it.
    ["adobe:requestTimeoutMs", "10000000", /adobe:requestTimeoutMs: "10000000" is not a whole number from 1 to 600000/],
    ["adobe:retryBudgetMs", "2147483648", /adobe:retryBudgetMs: "2147483648" is not a whole number from 0 to 21600000/],
    ["adobe:retryBaseDelayMs", "99999999999", /adobe:retryBaseDelayMs/],
    ["adobe:retryMaxDelayMs", "600001", /adobe:retryMaxDelayMs/],
    ["adobe:tokenRefreshMarginMs", "3000000000", /adobe:tokenRefreshMarginMs/],
    ["adobe:maxRetries", "1000", /adobe:maxRetries: "1000" is not a whole number from 0 to 20/],
    ["adobe:cjaRateLimit", "12/3000000000", /adobe:cjaRateLimit: "12\/3000000000" is not "<requests>\/<intervalMs>" \(e\.g\. "12\/6000", at most 10000\/3600000\) or "off"/],
    ["adobe:platformRateLimit", "100000/1000", /adobe:platformRateLimit/],
    ["adobe:rateLimitScope", "host", /adobe:rateLimitScope: "host" is not "machine" or "process"/],
  ])("rejects %s = %j naming the key", (key, value, pattern) => {
    expect(() => resolveSettings(config({ ...required, [key]: value }), {})).toThrow(InvalidSettingError);
    expect(() => resolveSettings(config({ ...required, [key]: value }), {})).toThrow(pattern);
  });

  it("names the environment variable when the bad value came from it", () => {
    expect(() => resolveSettings(config(required), { ADOBE_MAX_RETRIES: "x" })).toThrow(/ADOBE_MAX_RETRIES \(fallback for adobe:maxRetries\)/);
  });

  it("compares settings by value", () => {
    expect(sameSettings(resolveSettings(config(required), {}), resolveSettings(config(required), {}))).toBe(true);
    expect(sameSettings(resolveSettings(config(required), {}), resolveSettings(config({ ...required, "adobe:sandbox": "dev" }), {}))).toBe(false);
  });
});
