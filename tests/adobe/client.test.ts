/**
 * The composed client over real HTTP against the emulator: token sharing and refresh, retries
 * and their budget, Retry-After, POST recovery, the rate limiter, Adobe's error bodies, and no
 * secret in any message or log line.
 */
import nodeFetch from "node-fetch";
import { AdobeApiError } from "../../provider/adobe/errors";
import { AdobeClient } from "../../provider/adobe/http";
import { resolveSettings } from "../../provider/adobe/settings";
import type { FetchLike } from "../../provider/adobe/transport";
import { realRetryEnvironment } from "../../provider/adobe/retry";
import { createDataView, findByExternalId, getDataView, listDataViews } from "../../provider/adobe/cja/dataviews";
import { getAudience } from "../../provider/adobe/aep/audiences";
import { getDataset } from "../../provider/adobe/aep/datasets";
import { startTestEmulator, TEST_CLIENT_SECRET, TEST_ORG, type LogEntry, type TestEmulator } from "../helpers/emulator";

let emu: TestEmulator;
let connectionId: string;

beforeAll(async () => {
  emu = await startTestEmulator();
});

afterAll(async () => {
  await emu?.close();
});

beforeEach(async () => {
  await emu.reset();
  const connection = await emu.admin<{ id: string }>("POST", `/orgs/${encodeURIComponent(TEST_ORG)}/connections`, {
    name: "Client test connection",
    dataSets: [{ dataSetId: "5f24c4f6ecffd11638000001", name: "Events", type: "event", timestampId: "timestamp", visitorId: "_id" }],
  });
  connectionId = connection.id;
  await emu.clearRequests();
});

interface Harness {
  client: AdobeClient;
  lines: string[];
  /** Every access token IMS handed to this client. */
  tokens: string[];
}

/** A client for the emulator with small delays; `settings` are extra Pulumi config values. */
function harness(settings: Record<string, string> = {}, opts: { random?: () => number } = {}): Harness {
  const lines: string[] = [];
  const tokens: string[] = [];
  const fetch: FetchLike = async (url, init) => {
    const res = await nodeFetch(url, init);
    if (url.endsWith("/ims/token/v3") && res.status === 200) {
      const body = (await res.clone().json()) as { access_token: string };
      tokens.push(body.access_token);
    }
    return res;
  };
  const values: Record<string, string> = {
    ...emu.config(),
    "adobe:cjaRateLimit": "off",
    "adobe:maxRetries": "4",
    "adobe:retryBaseDelayMs": "10",
    "adobe:retryMaxDelayMs": "40",
    "adobe:retryBudgetMs": "10000",
    "adobe:requestTimeoutMs": "5000",
    ...settings,
  };
  const client = new AdobeClient(resolveSettings({ get: (k) => values[k] }, {}), {
    fetch,
    logger: { debug: (line) => lines.push(line) },
    env: { ...realRetryEnvironment, random: opts.random ?? Math.random },
  });
  return { client, lines, tokens };
}

const onRoute = (log: LogEntry[], method: string, route: string) => log.filter((e) => e.method === method && e.route === route);
const tokenRequests = (log: LogEntry[]) => onRoute(log, "POST", "/ims/token/v3");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("auth", () => {
  it("serves many concurrent calls with one token request", async () => {
    const { client } = harness();
    const results = await Promise.all(Array.from({ length: 25 }, () => listDataViews(client)));
    expect(results.every((r) => Array.isArray(r))).toBe(true);
    const { counters, log } = await emu.requests();
    const imsCount = counters.filter((c) => c.route === "/ims/token/v3").reduce((n, c) => n + c.count, 0);
    expect(imsCount).toBe(1);
    expect(onRoute(log, "GET", "/data/dataviews").map((e) => e.status)).toEqual(Array(25).fill(200));
  });

  it("refreshes the token before it expires (refresh margin) without a 401", async () => {
    // The emulator's tokens live 86399 s; a margin of all but 300 ms makes them stale quickly.
    const { client, tokens } = harness({ "adobe:tokenRefreshMarginMs": String(86_399_000 - 300) });
    await listDataViews(client);
    await listDataViews(client);
    await sleep(400);
    await listDataViews(client);
    const { log } = await emu.requests();
    expect(tokenRequests(log)).toHaveLength(2);
    expect(new Set(tokens).size).toBe(2);
    expect(log.filter((e) => e.status === 401)).toHaveLength(0);
  });

  it("on a 401 drops the token and repeats the request once with a fresh one, for all concurrent callers", async () => {
    const { client, lines } = harness();
    await listDataViews(client);
    await emu.expireTokens();
    const results = await Promise.all(Array.from({ length: 8 }, () => listDataViews(client)));
    expect(results).toHaveLength(8);
    const { log } = await emu.requests();
    expect(tokenRequests(log)).toHaveLength(2);
    const reads = onRoute(log, "GET", "/data/dataviews");
    expect(reads.filter((e) => e.status === 401)).toHaveLength(8);
    expect(reads.filter((e) => e.status === 200)).toHaveLength(9);
    expect(lines.some((l) => /-> 401/.test(l))).toBe(true);
  });

  it("gives up on a second 401 with the gateway's code", async () => {
    const { client } = harness();
    const unauthorized = { status: 401, body: { error_code: "401013", message: "Oauth token is not valid" } };
    await emu.setFaults({ script: [{ match: { route: "/data/dataviews" }, times: 2, action: unauthorized }] });
    const error: AdobeApiError = await listDataViews(client).catch((e) => e);
    expect(error.message).toMatch(/^CJA GET \/data\/dataviews failed: 401 401013: Oauth token is not valid/);
    const { log } = await emu.requests();
    expect(onRoute(log, "GET", "/data/dataviews")).toHaveLength(2);
    expect(tokenRequests(log)).toHaveLength(2);
  });
});

describe("retries", () => {
  it("retries a 429, a 503 and a dropped connection with growing backoff, then succeeds", async () => {
    // random() = 0.999: the waits are the backoff ceilings minus 1: 9, 19, 39 ms.
    const { client, lines } = harness({}, { random: () => 0.999 });
    await emu.setFaults({
      script: [
        { match: { route: "/data/dataviews" }, times: 1, action: { status: 429 } },
        { match: { route: "/data/dataviews" }, times: 1, action: { status: 503 } },
        { match: { route: "/data/dataviews" }, times: 1, action: { drop: true } },
      ],
    });
    await expect(listDataViews(client)).resolves.toEqual([]);
    const reads = onRoute((await emu.requests()).log, "GET", "/data/dataviews");
    expect(reads.map((e) => e.status)).toEqual([429, 503, 0, 200]);
    const gaps = reads.slice(1).map((e, i) => e.at - reads[i].at);
    [9, 19, 39].forEach((wait, i) => expect(gaps[i]).toBeGreaterThanOrEqual(wait - 1));
    expect(lines.filter((l) => /retrying in/.test(l))).toEqual([
      expect.stringContaining("attempt 1 failed (429 429050); retrying in 9 ms"),
      expect.stringContaining("attempt 2 failed (503 503000); retrying in 19 ms"),
      expect.stringContaining("attempt 3 failed (network error ECONNRESET: socket hang up); retrying in 39 ms"),
    ]);
  });

  it("stops after maxRetries with a clear error", async () => {
    const { client } = harness({ "adobe:maxRetries": "2" });
    await emu.setFaults({ script: [{ match: { route: "/data/dataviews" }, times: 10, action: { status: 503 } }] });
    const error: AdobeApiError = await listDataViews(client).catch((e) => e);
    expect(error).toBeInstanceOf(AdobeApiError);
    expect(error.message).toMatch(/^CJA GET \/data\/dataviews failed: 503 503000: Service Unavailable \(request id [\w-]+\); gave up after 3 attempts \(maxRetries 2\)$/);
    expect(onRoute((await emu.requests()).log, "GET", "/data/dataviews")).toHaveLength(3);
  });

  it("stops when the time budget would be exceeded", async () => {
    const { client } = harness({ "adobe:retryBudgetMs": "500" });
    await emu.setFaults({ script: [{ match: { route: "/data/dataviews" }, times: 5, action: { status: 429, retryAfterSeconds: 1 } }] });
    const error: AdobeApiError = await listDataViews(client).catch((e) => e);
    expect(error.message).toMatch(/429 429050: Too many requests \(request id [\w-]+\); gave up after 1 attempts: waiting 1000 ms more would exceed the retry budget of 500 ms$/);
    expect(onRoute((await emu.requests()).log, "GET", "/data/dataviews")).toHaveLength(1);
  });

  it("honours Retry-After", async () => {
    const { client } = harness();
    await emu.setFaults({ script: [{ match: { route: "/data/dataviews" }, times: 1, action: { status: 429, retryAfterSeconds: 1 } }] });
    await listDataViews(client);
    const reads = onRoute((await emu.requests()).log, "GET", "/data/dataviews");
    expect(reads.map((e) => e.status)).toEqual([429, 200]);
    expect(reads[1].at - reads[0].at).toBeGreaterThanOrEqual(1000);
  });

  it("retries a timed-out GET", async () => {
    const { client } = harness({ "adobe:requestTimeoutMs": "200" });
    await emu.setFaults({ script: [{ match: { route: "/data/dataviews" }, times: 1, action: { delayMs: 400 } }] });
    await expect(listDataViews(client)).resolves.toEqual([]);
    await sleep(400); // the emulator logs the held request when it finishes
    const reads = onRoute((await emu.requests()).log, "GET", "/data/dataviews");
    expect(reads).toHaveLength(2);
    expect(reads[1].at - reads[0].at).toBeGreaterThanOrEqual(200);
  });
});

describe("non-idempotent POST", () => {
  const body = (externalId: string) => ({
    name: `dv ${externalId}`,
    parentDataGroupId: connectionId,
    timezoneDesignator: "US/Mountain",
    sessionDefinition: [{ numPeriods: 30, granularity: "MINUTE", func: "INACTIVITY", events: [] }],
    externalData: { externalId },
  });

  it("after a timeout the server acted on, finds the result with recover instead of creating a duplicate", async () => {
    // The emulator holds the POST for 400 ms and then creates the data view; the client gives up
    // after 200 ms, waits its backoff (>= 599 ms with random() = 0.999) and asks recover.
    const { client, lines } = harness({ "adobe:requestTimeoutMs": "200", "adobe:retryBaseDelayMs": "600", "adobe:retryMaxDelayMs": "600" }, { random: () => 0.999 });
    await emu.setFaults({ script: [{ match: { method: "POST", route: "/data/dataviews" }, times: 1, action: { delayMs: 400 } }] });
    const created = await createDataView(client, body("ext-timeout"), { recover: findByExternalId(client, "ext-timeout") });
    expect(created.externalData?.externalId).toBe("ext-timeout");
    const { log } = await emu.requests();
    expect(onRoute(log, "POST", "/data/dataviews")).toHaveLength(1);
    expect(await listDataViews(client, { externalIds: ["ext-timeout"] })).toHaveLength(1);
    expect(lines.some((l) => /recovered the result instead of repeating it/.test(l))).toBe(true);
  });

  it("after a timeout, waits for an attempt the server is still carrying out before asking recover, even with short backoffs", async () => {
    // The client gives up after 200 ms and its backoff is at most 40 ms; the emulator creates the
    // data view 300 ms after the POST arrived. Asking recover after the backoff alone would find
    // nothing and POST a second data view.
    const { client } = harness({ "adobe:requestTimeoutMs": "200" });
    await emu.setFaults({ script: [{ match: { method: "POST", route: "/data/dataviews" }, times: 1, action: { delayMs: 300 } }] });
    const created = await createDataView(client, body("ext-slow"), { recover: findByExternalId(client, "ext-slow") });
    await sleep(200);
    expect(onRoute((await emu.requests()).log, "POST", "/data/dataviews")).toHaveLength(1);
    expect((await listDataViews(client, { externalIds: ["ext-slow"] })).map((d) => d.id)).toEqual([created.id]);
  });

  it("after a 500 or a dropped connection where nothing was created, asks recover and then repeats the POST once", async () => {
    const { client } = harness();
    await emu.setFaults({
      script: [
        { match: { method: "POST", route: "/data/dataviews" }, times: 1, action: { status: 500 } },
        { match: { method: "POST", route: "/data/dataviews" }, times: 1, action: { drop: true } },
      ],
    });
    const recover = jest.fn(findByExternalId(client, "ext-500"));
    const created = await createDataView(client, body("ext-500"), { recover });
    expect(recover).toHaveBeenCalledTimes(2);
    const { log } = await emu.requests();
    expect(onRoute(log, "POST", "/data/dataviews").map((e) => e.status)).toEqual([500, 0, 200]);
    const all = await listDataViews(client, { externalIds: ["ext-500"] });
    expect(all.map((d) => d.id)).toEqual([created.id]);
  });

  it("without a recover hook, throws after the first ambiguous failure", async () => {
    const { client } = harness();
    await emu.setFaults({ script: [{ match: { method: "POST", route: "/data/dataviews" }, times: 1, action: { status: 502 } }] });
    const error: AdobeApiError = await createDataView(client, body("ext-502")).catch((e) => e);
    expect(error.message).toMatch(
      /^CJA POST \/data\/dataviews failed: 502 502000: Bad Gateway \(request id [\w-]+\); not retried: the request is not idempotent and the server may have acted on it$/,
    );
    expect(onRoute((await emu.requests()).log, "POST", "/data/dataviews")).toHaveLength(1);
  });

  it("retries a 429 without asking recover: the gateway turned the request away", async () => {
    const { client } = harness();
    await emu.setFaults({ script: [{ match: { method: "POST", route: "/data/dataviews" }, times: 1, action: { status: 429 } }] });
    const recover = jest.fn(findByExternalId(client, "ext-429"));
    await createDataView(client, body("ext-429"), { recover });
    expect(recover).not.toHaveBeenCalled();
    expect(onRoute((await emu.requests()).log, "POST", "/data/dataviews").map((e) => e.status)).toEqual([429, 200]);
  });
});

describe("rate limiter", () => {
  it("holds a burst of 100 calls to 10 per 200 ms at Adobe's door", async () => {
    const limit = { requests: 10, intervalMs: 200 };
    await emu.admin("PUT", "/rate-limit", limit);
    try {
      const { client } = harness({ "adobe:cjaRateLimit": "10/200" });
      await Promise.all(Array.from({ length: 100 }, () => listDataViews(client)));
      const reads = onRoute((await emu.requests()).log, "GET", "/data/dataviews");
      expect(reads).toHaveLength(100);
      expect(reads.filter((e) => e.status === 429)).toHaveLength(0);
      const at = reads.map((e) => e.at).sort((a, b) => a - b);
      const busiest = Math.max(...at.map((t) => at.filter((s) => s >= t && s < t + limit.intervalMs).length));
      expect(busiest).toBeLessThanOrEqual(limit.requests);
    } finally {
      await emu.admin("PUT", "/rate-limit", null);
    }
  });

  it("without the limiter the same burst breaks that rate (so the test above can fail)", async () => {
    const { client } = harness();
    await Promise.all(Array.from({ length: 30 }, () => listDataViews(client)));
    const at = onRoute((await emu.requests()).log, "GET", "/data/dataviews").map((e) => e.at);
    const busiest = Math.max(...at.map((t) => at.filter((s) => s >= t && s < t + 200).length));
    expect(busiest).toBeGreaterThan(10);
  });
});

describe("errors", () => {
  it("carry CJA's errorCode and errorDescription", async () => {
    const { client } = harness();
    const error: AdobeApiError = await getDataView(client, "dv_doesnotexist").catch((e) => e);
    expect(error).toBeInstanceOf(AdobeApiError);
    expect(error).toMatchObject({ service: "CJA", status: 404, code: "resource_not_found", method: "GET", path: "/data/dataviews/dv_doesnotexist" });
    expect(error.message).toMatch(/^CJA GET \/data\/dataviews\/dv_doesnotexist failed: 404 resource_not_found: .+ \(request id [\w-]+\)$/);
  });

  it("carry the gateway's error_code and message", async () => {
    const { client } = harness({ "adobe:maxRetries": "0" });
    await emu.setFaults({ script: [{ match: { route: "/data/dataviews" }, times: 1, action: { status: 429 } }] });
    const error: AdobeApiError = await listDataViews(client).catch((e) => e);
    expect(error).toMatchObject({ status: 429, code: "429050", description: "Too many requests" });
  });

  it("carry Segmentation's and Catalog's codes and messages", async () => {
    const { client } = harness();
    const audience: AdobeApiError = await getAudience(client, "00000000-0000-0000-0000-000000000000").catch((e) => e);
    expect(audience).toMatchObject({ service: "AEP", status: 404 });
    expect(audience.code).toMatch(/^UPAPI-\d+-404$/);
    expect(audience.message).toMatch(/^AEP GET \/data\/core\/ups\/audiences\/00000000-0000-0000-0000-000000000000 failed: 404 UPAPI-\d+-404: .+/);
    const dataset: AdobeApiError = await getDataset(client, "0123456789abcdef01234567").catch((e) => e);
    expect(dataset).toMatchObject({ service: "AEP", status: 404 });
    expect(dataset.message).toMatch(/^AEP GET \/data\/foundation\/catalog\/dataSets\/0123456789abcdef01234567 failed: 404 \w+: .+/);
  });

  it("name the setting to check when the credential does not belong to the org (the gateway's 403025)", async () => {
    const bound = await startTestEmulator({ credentialOrgs: [TEST_ORG] });
    try {
      const values: Record<string, string> = { ...bound.config(), "adobe:orgId": "WRONGORG000000000000000@AdobeOrg", "adobe:cjaRateLimit": "off" };
      const client = new AdobeClient(resolveSettings({ get: (k) => values[k] }, {}));
      const error: AdobeApiError = await listDataViews(client).catch((e) => e);
      expect(error).toMatchObject({ service: "CJA", status: 403, code: "403025" });
      expect(error.message.replace(/ \(request id [\w-]+\)/, "")).toBe(
        "CJA GET /data/dataviews failed: 403 403025: Profile is not valid. Check adobe:orgId (WRONGORG000000000000000@AdobeOrg): " +
          `the credential adobe:clientId (${bound.options.clientId}) does not belong to this IMS org, or has no product profile in it ` +
          "(it must be the org of the credential's Developer Console project).",
      );
      expect((await bound.requests()).log.filter((e) => e.method !== "GET" && e.route !== "/ims/token/v3")).toHaveLength(0);
    } finally {
      await bound.close();
    }
  });

  it("name adobe:clientId and adobe:clientSecret when IMS refuses the credential", async () => {
    const { client } = harness({ "adobe:clientSecret": "wrong-secret-value" });
    const error: AdobeApiError = await listDataViews(client).catch((e) => e);
    expect(error.message).toMatch(/invalid_client: invalid client_secret parameter \(request id [\w-]+\)\. Check adobe:clientId \(test-client-id\) and adobe:clientSecret: /);
  });

  it("carry IMS's error for bad credentials, without the secret", async () => {
    const { client } = harness({ "adobe:clientSecret": "wrong-secret-value" });
    const error: AdobeApiError = await listDataViews(client).catch((e) => e);
    expect(error).toMatchObject({ service: "IMS", path: "/ims/token/v3" });
    expect(error.message).toMatch(/^IMS POST \/ims\/token\/v3 failed: 40\d \w+/);
    expect(error.message).not.toContain("wrong-secret-value");
    expect(onRoute((await emu.requests()).log, "GET", "/data/dataviews")).toHaveLength(0);
  });
});

describe("secrets", () => {
  it("no client secret or access token appears in any log line or error across a run with faults", async () => {
    const { client, lines, tokens } = harness({ "adobe:maxRetries": "1" });
    const messages: string[] = [];
    const capture = (e: unknown) => {
      messages.push(String(e), (e as Error).stack ?? "", JSON.stringify(e));
      let cause = (e as Error).cause;
      while (cause) {
        messages.push(String(cause), JSON.stringify(cause));
        cause = (cause as Error).cause;
      }
    };
    await emu.setFaults({
      script: [
        { match: { route: "/data/dataviews" }, times: 1, action: { status: 429 } },
        { match: { route: "/data/dataviews" }, times: 1, action: { drop: true } },
        { match: { route: "/data/dataviews" }, times: 2, action: { status: 503 } },
      ],
    });
    await listDataViews(client).catch(capture); // 429 then drop: gives up
    await listDataViews(client).catch(capture); // 503 twice: gives up
    await emu.expireTokens();
    await listDataViews(client).catch(capture); // 401, then a fresh token
    await getDataView(client, "dv_missing").catch(capture);
    await createDataView(client, { name: "x" }).catch(capture);
    const bad = harness({ "adobe:clientSecret": "another-wrong-secret" });
    await listDataViews(bad.client).catch(capture);

    expect(tokens.length).toBeGreaterThanOrEqual(2);
    expect(messages.length).toBeGreaterThanOrEqual(12);
    expect(lines.length).toBeGreaterThan(10);
    const everything = [...lines, ...bad.lines, ...messages];
    for (const text of everything) {
      expect(text).not.toContain(TEST_CLIENT_SECRET);
      expect(text).not.toContain("another-wrong-secret");
      expect(text).not.toMatch(/Bearer/i);
      for (const token of tokens) expect(text).not.toContain(token);
    }
  });
});
