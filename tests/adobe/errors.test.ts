import { inspect } from "util";
import { AdobeApiError, isNotFound, parseErrorBody, secretMasker } from "../../provider/adobe/errors";

describe("parseErrorBody", () => {
  it("reads CJA's errorCode/errorDescription/errorId", () => {
    expect(parseErrorBody(JSON.stringify({ errorCode: "invalid_parameters", errorDescription: "The passed parameter is not valid", errorId: "e961" }))).toEqual({
      code: "invalid_parameters",
      description: "The passed parameter is not valid",
      requestId: "e961",
    });
  });

  it("reads the gateway's error_code/message, including 429050", () => {
    expect(parseErrorBody('{"error_code":"429050","message":"Too many requests"}')).toEqual({ code: "429050", description: "Too many requests" });
    expect(parseErrorBody('{"error_code":"401013","message":"Oauth token is not valid"}')).toMatchObject({ code: "401013" });
  });

  it("reads Platform's type/title/status/detail (Catalog, Query Service)", () => {
    const body = { type: "/placeholder/type/uri", status: 404, title: "NotFoundError", detail: "DataSet not found." };
    expect(parseErrorBody(JSON.stringify(body))).toEqual({ code: "NotFoundError", description: "DataSet not found." });
  });

  it("reads Segmentation's requestId/errors/type/title", () => {
    const body = {
      requestId: "YrgXiqvCobA9neOmrzCP7kQLi4yIizoP",
      errors: { "404": [{ code: 404, message: "The audience entity e657 is not found." }] },
      type: "https://ns.adobe.com/aep/errors/UPAPI-113430-404",
      title: "The audience entity e657 is not found. Use a valid entity and try again.",
      status: 404,
    };
    expect(parseErrorBody(JSON.stringify(body))).toEqual({
      code: "UPAPI-113430-404",
      description: "The audience entity e657 is not found. Use a valid entity and try again.",
      requestId: "YrgXiqvCobA9neOmrzCP7kQLi4yIizoP",
    });
  });

  it("reads IMS's error/error_description", () => {
    expect(parseErrorBody('{"error":"invalid_client","error_description":"invalid client_id parameter"}')).toEqual({
      code: "invalid_client",
      description: "invalid client_id parameter",
    });
  });

  it("keeps the start of a non-JSON body and nothing of an empty one", () => {
    expect(parseErrorBody("<html>\n Bad Gateway </html>")).toEqual({ description: "<html> Bad Gateway </html>" });
    expect(parseErrorBody("")).toEqual({});
  });
});

describe("AdobeApiError", () => {
  it("reads like 'CJA POST /data/dataviews failed: 400 invalid_parameters: ... (request id ...)'", () => {
    const e = new AdobeApiError({
      service: "CJA",
      kind: "http",
      method: "POST",
      path: "/data/dataviews",
      status: 400,
      code: "invalid_parameters",
      description: "Data View body is invalid",
      requestId: "req-1",
      retryable: false,
    });
    expect(e.message).toBe("CJA POST /data/dataviews failed: 400 invalid_parameters: Data View body is invalid (request id req-1)");
    expect(isNotFound(e)).toBe(false);
  });

  it("describes network failures with status 0 and its kind", () => {
    const e = new AdobeApiError({ service: "AEP", kind: "timeout", method: "GET", path: "/x", status: 0, description: "no response within 50 ms", retryable: true });
    expect(e.message).toBe("AEP GET /x failed: no response within 50 ms");
    expect(e.status).toBe(0);
  });

  it("says why retrying stopped and is then no longer retryable", () => {
    const e = new AdobeApiError({ service: "CJA", kind: "http", method: "GET", path: "/x", status: 503, retryable: true }).exhausted(3, "gave up after 3 attempts");
    expect(e.message).toBe("CJA GET /x failed: 503; gave up after 3 attempts");
    expect(e.attempts).toBe(3);
    expect(e.retryable).toBe(false);
  });
});

describe("secretMasker", () => {
  it("masks every secret occurrence", () => {
    const mask = secretMasker(() => ["topsecret", "tok-123456"]);
    expect(mask("a topsecret b tok-123456 topsecret")).toBe("a [redacted] b [redacted] [redacted]");
  });
});

describe("AdobeApiError.redacted", () => {
  it("masks the secrets in the whole cause chain, so console.error(err) shows none", () => {
    const mask = secretMasker(() => ["client-secret-value", "access-token-value"]);
    const wire = Object.assign(new Error("socket hang up sending Bearer access-token-value"), {
      request: { headers: { Authorization: "Bearer access-token-value" }, body: "client_secret=client-secret-value" },
    });
    const inner = new AdobeApiError({ service: "IMS", kind: "network", method: "POST", path: "/ims/token/v3", status: 0, description: "client-secret-value refused", retryable: true, cause: wire });
    const outer = inner.exhausted(3, "gave up").redacted(mask);

    const printed = inspect(outer, { depth: 20 });
    expect(printed).toContain("[redacted]");
    expect(printed).not.toContain("client-secret-value");
    expect(printed).not.toContain("access-token-value");
    expect(((outer.cause as AdobeApiError).cause as Error).message).toBe("socket hang up sending Bearer [redacted]");
  });
});
