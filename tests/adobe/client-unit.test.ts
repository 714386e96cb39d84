/** The composed client with a fake fetch: headers per service, URL building, body parsing. */
import { z } from "zod";
import { AdobeApiError } from "../../provider/adobe/errors";
import { AdobeClient } from "../../provider/adobe/http";
import { resolveSettings } from "../../provider/adobe/settings";
import type { FetchLike } from "../../provider/adobe/transport";

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

function fakeAdobe(answer: (req: Sent) => { status: number; body?: string; headers?: Record<string, string> }) {
  const sent: Sent[] = [];
  const fetch: FetchLike = async (url, init) => {
    const req = { url, method: init.method, headers: init.headers, body: init.body };
    sent.push(req);
    const res = url.endsWith("/ims/token/v3") ? { status: 200, body: JSON.stringify({ access_token: "tok-abc-123", expires_in: 86399 }) } : answer(req);
    return {
      status: res.status,
      headers: { forEach: (cb: (v: string, k: string) => void) => Object.entries(res.headers ?? {}).forEach(([k, v]) => cb(v, k)) },
      text: async () => res.body ?? "",
    };
  };
  const values: Record<string, string> = {
    "adobe:clientId": "cid",
    "adobe:clientSecret": "secret-value",
    "adobe:orgId": "ORG@AdobeOrg",
    "adobe:sandbox": "dev",
    "adobe:imsEndpoint": "https://ims.test",
    "adobe:cjaEndpoint": "https://cja.test",
    "adobe:platformEndpoint": "https://platform.test",
    "adobe:cjaRateLimit": "off",
  };
  const client = new AdobeClient(resolveSettings({ get: (k) => values[k] }, {}), { fetch });
  return { client, sent: () => sent.filter((s) => !s.url.endsWith("/ims/token/v3")) };
}

describe("AdobeClient request", () => {
  it("sends CJA's headers (no sandbox), the expanded path and the encoded query", async () => {
    const { client, sent } = fakeAdobe(() => ({ status: 200, body: '{"id":"dv_1"}' }));
    await client.request({ service: "cja", method: "GET", path: "/data/dataviews/{dataViewId}", pathParams: { dataViewId: "dv_1" }, query: { expansion: ["name", "owner"] } });
    expect(sent()[0]).toEqual({
      url: "https://cja.test/data/dataviews/dv_1?expansion=name%2Cowner",
      method: "GET",
      headers: { Accept: "application/json", "x-api-key": "cid", "x-gw-ims-org-id": "ORG@AdobeOrg", Authorization: "Bearer tok-abc-123" },
      body: undefined,
    });
  });

  it("adds x-sandbox-name for AEP (configured or per call) and Content-Type with a JSON body", async () => {
    const { client, sent } = fakeAdobe(() => ({ status: 201, body: '["@/dataSets/abc"]' }));
    await client.request({ service: "aep", method: "POST", path: "/data/foundation/catalog/dataSets", body: { name: "n" }, recover: async () => undefined });
    await client.request({ service: "aep", method: "GET", path: "/data/foundation/catalog/dataSets", sandbox: "prod" });
    expect(sent()[0]).toMatchObject({
      url: "https://platform.test/data/foundation/catalog/dataSets",
      headers: { "x-sandbox-name": "dev", "Content-Type": "application/json", Authorization: "Bearer tok-abc-123" },
      body: '{"name":"n"}',
    });
    expect(sent()[1].headers["x-sandbox-name"]).toBe("prod");
  });

  it("parses with the schema, keeping unknown fields, and returns undefined for an empty body", async () => {
    const { client } = fakeAdobe((req) => (req.method === "DELETE" ? { status: 204 } : { status: 200, body: '{"id":"x","extra":true}' }));
    const schema = z.looseObject({ id: z.string() });
    await expect(client.request({ service: "cja", method: "GET", path: "/p", schema })).resolves.toEqual({ id: "x", extra: true });
    await expect(client.request({ service: "cja", method: "DELETE", path: "/p" })).resolves.toBeUndefined();
  });

  it("rejects a success body of the wrong shape as invalid_response, naming the field, without retrying", async () => {
    const { client, sent } = fakeAdobe(() => ({ status: 200, body: '{"id":42}' }));
    const error: AdobeApiError = await client.request({ service: "cja", method: "GET", path: "/data/dataviews", schema: z.looseObject({ id: z.string() }) }).catch((e) => e);
    expect(error).toMatchObject({ kind: "invalid_response", status: 200 });
    expect(error.message).toMatch(/^CJA GET \/data\/dataviews failed: 200 response does not have the documented shape: id: /);
    expect(sent()).toHaveLength(1);
  });
});
