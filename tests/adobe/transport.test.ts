import { AdobeApiError } from "../../provider/adobe/errors";
import { buildQuery, expandPath } from "../../provider/adobe/paths";
import { createTransport, type FetchLike, type HttpRequest } from "../../provider/adobe/transport";

const request: HttpRequest = {
  service: "CJA",
  method: "GET",
  url: "http://127.0.0.1:9/data/dataviews?limit=1",
  path: "/data/dataviews",
  headers: { Accept: "application/json" },
  timeoutMs: 50,
};

describe("transport", () => {
  it("returns status, lower-cased headers and body text of any answer", async () => {
    const fetch: FetchLike = async () => ({
      status: 418,
      headers: { forEach: (cb) => cb("abc", "X-Request-Id") },
      text: async () => "teapot",
    });
    await expect(createTransport(fetch)(request)).resolves.toEqual({ status: 418, headers: { "x-request-id": "abc" }, text: "teapot" });
  });

  it("aborts a request that takes longer than its timeout and reports kind timeout, status 0", async () => {
    const fetch: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => init.signal.addEventListener("abort", () => reject(Object.assign(new Error("aborted"), { name: "AbortError" }))));
    const error: AdobeApiError = await createTransport(fetch)(request).catch((e) => e);
    expect(error).toBeInstanceOf(AdobeApiError);
    expect(error).toMatchObject({ kind: "timeout", status: 0, retryable: true });
    expect(error.message).toBe("CJA GET /data/dataviews failed: no response within 50 ms");
  });

  it("reports a dropped connection as kind network with the system code, without the URL", async () => {
    const fetch: FetchLike = async () => {
      throw Object.assign(new Error("request to http://127.0.0.1:9/data/dataviews?limit=1 failed, reason: socket hang up"), { code: "ECONNRESET", type: "system" });
    };
    const error: AdobeApiError = await createTransport(fetch)(request).catch((e) => e);
    expect(error).toMatchObject({ kind: "network", status: 0, code: "ECONNRESET" });
    expect(error.message).toBe("CJA GET /data/dataviews failed: network error ECONNRESET: socket hang up");
  });
});

describe("paths", () => {
  it("expands spec templates with encoded parameters", () => {
    expect(expandPath("/data/dataviews/{dataviewId}/dimensions/{dimensionId}", { dataviewId: "dv_1", dimensionId: "a/b c" })).toBe(
      "/data/dataviews/dv_1/dimensions/a%2Fb%20c",
    );
    expect(() => expandPath("/data/dataviews/{dataViewId}", {})).toThrow(/missing parameter dataViewId/);
  });

  it("encodes queries, arrays comma-separated, leaving out undefined and empty arrays", () => {
    expect(buildQuery({ expansion: ["name", "owner"], limit: 10, page: undefined, ids: [], property: "audienceId==x y", flag: false })).toBe(
      "?expansion=name%2Cowner&limit=10&property=audienceId%3D%3Dx%20y&flag=false",
    );
    expect(buildQuery({})).toBe("");
  });
});
