import { AdobeApiError } from "../../provider/adobe/errors";
import { requestAccessToken, TokenCache, type AccessToken } from "../../provider/adobe/ims";
import type { HttpRequest, HttpResponse } from "../../provider/adobe/transport";
import { FakeClock, flush } from "./fake-clock";

const creds = { imsEndpoint: "https://ims.example", clientId: "cid", clientSecret: "very-secret-value", scopes: "openid,AdobeID" };

describe("requestAccessToken", () => {
  it("posts the client-credentials form to /ims/token/v3 and reads the token and its lifetime", async () => {
    const seen: HttpRequest[] = [];
    const send = async (r: HttpRequest): Promise<HttpResponse> => {
      seen.push(r);
      return { status: 200, headers: {}, text: JSON.stringify({ access_token: "tok-1", token_type: "bearer", expires_in: 86399 }) };
    };
    await expect(requestAccessToken(send, creds, 1000)).resolves.toEqual({ value: "tok-1", lifetimeMs: 86_399_000 });
    expect(seen[0].url).toBe("https://ims.example/ims/token/v3");
    expect(seen[0].method).toBe("POST");
    expect(seen[0].headers["Content-Type"]).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(new URLSearchParams(seen[0].body))).toEqual({
      grant_type: "client_credentials",
      client_id: "cid",
      client_secret: "very-secret-value",
      scope: "openid,AdobeID",
    });
  });

  it("turns an IMS error body into an AdobeApiError without the form body", async () => {
    const send = async (): Promise<HttpResponse> => ({
      status: 401,
      headers: { "x-request-id": "ims-req" },
      text: JSON.stringify({ error: "invalid_client", error_description: "invalid client_secret parameter" }),
    });
    const error: AdobeApiError = await requestAccessToken(send, creds, 1000).catch((e) => e);
    expect(error.message).toBe("IMS POST /ims/token/v3 failed: 401 invalid_client: invalid client_secret parameter (request id ims-req)");
    expect(error.retryable).toBe(false);
    expect(error.message).not.toContain("very-secret-value");
  });

  it("rejects a success body without a token, never echoing the body", async () => {
    const send = async (): Promise<HttpResponse> => ({ status: 200, headers: {}, text: '{"access_token":"half-a-token"}' });
    const error: AdobeApiError = await requestAccessToken(send, creds, 1000).catch((e) => e);
    expect(error.kind).toBe("invalid_response");
    expect(error.message).not.toContain("half-a-token");
  });
});

describe("TokenCache", () => {
  function issuer(lifetimeMs = 10_000) {
    let n = 0;
    const pending: Array<(t: AccessToken) => void> = [];
    const fetchToken = jest.fn(() => new Promise<AccessToken>((resolve) => pending.push(resolve)));
    const answer = () => pending.shift()!({ value: `tok-${++n}`, lifetimeMs });
    return { fetchToken, answer };
  }

  it("shares one in-flight token request among concurrent callers", async () => {
    const clock = new FakeClock();
    const { fetchToken, answer } = issuer();
    const cache = new TokenCache(fetchToken, { now: clock.now });
    const callers = Array.from({ length: 20 }, () => cache.getToken());
    await flush();
    answer();
    expect(await Promise.all(callers)).toEqual(Array(20).fill("tok-1"));
    expect(fetchToken).toHaveBeenCalledTimes(1);
    await expect(cache.getToken()).resolves.toBe("tok-1");
    expect(fetchToken).toHaveBeenCalledTimes(1);
  });

  it("refreshes min(5 min, 10% of the lifetime) before expiry, or at a configured margin", async () => {
    const clock = new FakeClock();
    const { fetchToken, answer } = issuer(10_000);
    const cache = new TokenCache(fetchToken, { now: clock.now });
    const first = cache.getToken();
    await flush();
    answer();
    await first;
    await clock.advance(8_999);
    await expect(cache.getToken()).resolves.toBe("tok-1");
    await clock.advance(1);
    const second = cache.getToken();
    await flush();
    answer();
    await expect(second).resolves.toBe("tok-2");

    const day = issuer(86_400_000);
    const c2 = new TokenCache(day.fetchToken, { now: clock.now });
    const p = c2.getToken();
    await flush();
    day.answer();
    await p;
    await clock.advance(86_400_000 - 300_001);
    await c2.getToken();
    expect(day.fetchToken).toHaveBeenCalledTimes(1);
    await clock.advance(1);
    void c2.getToken();
    expect(day.fetchToken).toHaveBeenCalledTimes(2);

    const fixed = issuer(10_000);
    const c3 = new TokenCache(fixed.fetchToken, { now: clock.now, refreshMarginMs: 0 });
    const q = c3.getToken();
    await flush();
    fixed.answer();
    await q;
    await clock.advance(9_999);
    await c3.getToken();
    expect(fixed.fetchToken).toHaveBeenCalledTimes(1);
  });

  it("drops a rejected token once, however many requests report it", async () => {
    const clock = new FakeClock();
    const { fetchToken, answer } = issuer();
    const cache = new TokenCache(fetchToken, { now: clock.now });
    const p = cache.getToken();
    await flush();
    answer();
    const stale = await p;
    cache.invalidate(stale);
    const next = cache.getToken();
    await flush();
    answer();
    await expect(next).resolves.toBe("tok-2");
    cache.invalidate(stale); // a late 401 for the old token keeps the new one
    await expect(cache.getToken()).resolves.toBe("tok-2");
    expect(fetchToken).toHaveBeenCalledTimes(2);
    expect([...cache.issuedTokens()]).toEqual(["tok-1", "tok-2"]);
  });

  it("lets the next caller try again after a failed token request", async () => {
    const fetchToken = jest
      .fn<Promise<AccessToken>, []>()
      .mockRejectedValueOnce(new Error("ims down"))
      .mockResolvedValueOnce({ value: "tok-ok", lifetimeMs: 1000 });
    const cache = new TokenCache(fetchToken);
    await expect(cache.getToken()).rejects.toThrow("ims down");
    await expect(cache.getToken()).resolves.toBe("tok-ok");
  });
});
