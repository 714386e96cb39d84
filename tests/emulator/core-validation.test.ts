/**
 * The contract checks: requests against Adobe's spec and the route's zod schema, responses
 * against the spec (strict and record modes), and startup refusing routes outside the spec.
 */
import { startEmulator } from "../../emulator/server";
import type { RouteDef } from "../../emulator/types";
import { startTestEmulator, testSpecDir, TEST_CLIENT_ID, TEST_CLIENT_SECRET, type TestEmulator, type ValidationFailure } from "../helpers/emulator";
import { brokenDateRangeRoute, dateRangeRoutes, estimateRoute, routeOutsideSpec } from "./core-test-routes";

describe("request validation", () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator({ extraRoutes: [...dateRangeRoutes, estimateRoute] });
  });
  afterAll(() => emu.close());

  it("rejects a body that breaks the spec with CJA's 400 naming the field", async () => {
    const res = await emu.call("POST", "/projects", { body: { name: 5 } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errorCode: "invalid_parameters", errorDescription: "Invalid request: body.name must be string", errorId: expect.any(String) });
  });

  it("does the same for the CJA service's own routes (POST /data/dataviews with a numeric name)", async () => {
    const res = await emu.call<{ errorCode: string; errorDescription: string }>("POST", "/data/dataviews", {
      body: { name: 5, parentDataGroupId: "dg_x", timezoneDesignator: "UTC" },
    });
    expect(res.status).toBe(400);
    expect(res.body.errorCode).toBe("invalid_parameters");
    expect(res.body.errorDescription).toBe("Invalid request: body.name must be string");
  });

  it("names every failing field, in the body and the query", async () => {
    const res = await emu.call<{ errorDescription: string }>("POST", "/projects", {
      body: { name: "ok", tags: "not-an-array" },
      query: { expansion: "definition,colour", debug: "1" },
    });
    expect(res.status).toBe(400);
    const description = res.body.errorDescription;
    expect(description).toContain("body.tags must be array");
    expect(description).toContain("query.expansion[1] must be one of");
    expect(description).toContain("query.debug is not allowed");
  });

  it("rejects a missing required body", async () => {
    const res = await emu.call<{ errorDescription: string }>("POST", "/projects", { headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect(res.body.errorDescription).toBe("Invalid request: body is required");
  });

  it("applies the route's zod schema after the spec", async () => {
    const res = await emu.call("POST", "/projects", { body: { name: "" } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errorCode: "invalid_parameters", errorDescription: "Invalid request: body.name: must not be empty" });
  });

  it("answers an AEP route's invalid request in the segmentation error shape", async () => {
    const res = await emu.call("GET", "/data/core/ups/estimate/e1", { query: { verbose: "true" } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      requestId: expect.any(String),
      errors: { "400": [{ code: 400, message: "Invalid request: query.verbose is not allowed" }] },
      type: "https://ns.adobe.com/aep/errors/UPAPI-113434-400",
      title: "Invalid request: query.verbose is not allowed",
      status: 400,
    });
  });

  it("lets a valid request through", async () => {
    const res = await emu.call("POST", "/projects", { body: { name: "Last 30 days", definition: { from: "-30d" } }, query: { expansion: "definition" } });
    expect(res.status).toBe(200);
  });
});

describe("response validation", () => {
  it("strict: answers 500 naming the broken fields and lists the failure", async () => {
    const emu = await startTestEmulator({ extraRoutes: [brokenDateRangeRoute] });
    try {
      const res = await emu.call<{ errorCode: string; errorDescription: string }>("GET", "/projects/dr1");
      expect(res.status).toBe(500);
      expect(res.body.errorCode).toBe("unexpected_error");
      expect(res.body.errorDescription).toContain("GET /projects/{id}");
      expect(res.body.errorDescription).toContain("body.name must be string");
      expect(res.body.errorDescription).toContain('body.modified must match format "date-time"');
      const failures = await emu.validationFailures();
      expect(failures).toEqual([
        expect.objectContaining({
          kind: "response",
          method: "GET",
          route: "/projects/:id",
          path: "/projects/dr1",
          status: 200,
          spec: "cja",
          problems: ["body.name must be string", 'body.modified must match format "date-time"'],
        }),
      ]);
      await expect(emu.close()).rejects.toThrow(/broke Adobe's spec[\s\S]*body\.name must be string/);
    } finally {
      await emu.close().catch(() => undefined);
    }
  });

  it("record: sends the response as the handler made it and lists the failure", async () => {
    const emu = await startTestEmulator({ responseValidation: "record", extraRoutes: [brokenDateRangeRoute] });
    const res = await emu.call("GET", "/projects/dr2");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: "dr2", name: 5, modified: "yesterday" });
    const failures = await emu.admin<ValidationFailure[]>("GET", "/validation-failures");
    expect(failures.map((f) => f.path)).toEqual(["/projects/dr2"]);
    await emu.admin("DELETE", "/validation-failures");
    await emu.close();
  });

  it("lists a handler that throws, answering 500 in the service's shape", async () => {
    const crashing: RouteDef = { ...dateRangeRoutes[1], handler: () => { throw new Error("boom"); } };
    const emu = await startTestEmulator({ extraRoutes: [crashing] });
    const res = await emu.call("GET", "/projects/x");
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ errorCode: "unexpected_error", errorDescription: expect.stringContaining("boom") });
    expect(await emu.validationFailures()).toEqual([expect.objectContaining({ kind: "handler-error", path: "/projects/x" })]);
    await emu.admin("DELETE", "/validation-failures");
    await emu.close();
  });
});

describe("startup", () => {
  const base = { port: 0, specDir: testSpecDir(), rateLimit: null, clientId: TEST_CLIENT_ID, clientSecret: TEST_CLIENT_SECRET };

  it("refuses a route bound to an operation its spec does not have", async () => {
    await expect(startEmulator({ ...base, extraRoutes: [routeOutsideSpec] })).rejects.toThrow(
      'Route DELETE /data/connections/:connectionId is bound to spec "cja" but',
    );
  });

  it("refuses an AEP route outside its spec's base path, and an admin route outside /_emulator", async () => {
    const wrongBase: RouteDef = { ...estimateRoute, path: "/data/foundation/catalog/estimate/:id" };
    await expect(startEmulator({ ...base, extraRoutes: [wrongBase] })).rejects.toThrow("does not start with its base path /data/core/ups");
    const adminOutside: RouteDef = { method: "GET", path: "/orgs/x", service: "admin", handler: () => ({ status: 200 }) };
    await expect(startEmulator({ ...base, extraRoutes: [adminOutside] })).rejects.toThrow('service "admin" routes must live under /_emulator/');
  });

  it("refuses a route declared twice", async () => {
    await expect(startEmulator({ ...base, extraRoutes: [dateRangeRoutes[1], brokenDateRangeRoute] })).rejects.toThrow(
      "Route GET /projects/:id cannot be registered",
    );
  });

  it("without the spec folder: warns, checks with zod only", async () => {
    const emu = await startEmulator({ ...base, specDir: null, extraRoutes: dateRangeRoutes });
    try {
      expect(emu.specValidation).toBe(false);
      expect(emu.warnings.join("\n")).toContain("Spec validation is off");
      const token = (await (await fetch(`${emu.url}/ims/token/v3?grant_type=client_credentials&client_id=${TEST_CLIENT_ID}&client_secret=${TEST_CLIENT_SECRET}`, { method: "POST" })).json()) as { access_token: string };
      const headers = { authorization: `Bearer ${token.access_token}`, "x-api-key": TEST_CLIENT_ID, "x-gw-ims-org-id": "ORG@AdobeOrg", "content-type": "application/json" };
      const post = (body: unknown) => fetch(`${emu.url}/projects`, { method: "POST", headers, body: JSON.stringify(body) });
      expect((await post({ name: "fine", tags: "not checked without the spec" })).status).toBe(200);
      const zodRejected = await post({ name: 5 });
      expect(zodRejected.status).toBe(400);
      expect(await zodRejected.json()).toMatchObject({ errorDescription: expect.stringContaining("body.name:") });
    } finally {
      await emu.close();
    }
  });

  it("with a spec folder that does not exist: the same, with a warning saying how to get the specs", async () => {
    const emu = await startEmulator({ ...base, specDir: `${testSpecDir()}-does-not-exist` });
    try {
      expect(emu.specValidation).toBe(false);
      expect(emu.warnings.join("\n")).toContain("npm run specs");
    } finally {
      await emu.close();
    }
  });
});
