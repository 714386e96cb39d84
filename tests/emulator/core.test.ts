/**
 * The emulator core over real HTTP: IMS tokens, the gateway's header checks with Adobe's bodies,
 * unknown routes, per-org and per-sandbox data, request counters and token expiry.
 */
import { startTestEmulator, TEST_CLIENT_ID, TEST_CLIENT_SECRET, TEST_ORG, readResult, type TestEmulator } from "../helpers/emulator";
import { dateRangeRoutes, estimateRoute } from "./core-test-routes";

let emu: TestEmulator;

beforeAll(async () => {
  emu = await startTestEmulator({ extraRoutes: [...dateRangeRoutes, estimateRoute] });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

async function postToken(form: Record<string, string>, query: Record<string, string> = {}) {
  const url = new URL("/ims/token/v3", emu.url);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(form).toString() });
  return readResult<Record<string, unknown>>(res);
}

const goodForm = { grant_type: "client_credentials", client_id: TEST_CLIENT_ID, client_secret: TEST_CLIENT_SECRET, scope: "openid,AdobeID" };

describe("IMS token endpoint", () => {
  it("issues an opaque bearer token with the configured lifetime", async () => {
    const res = await postToken(goodForm);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.any(String), token_type: "bearer", expires_in: emu.options.tokenLifetimeSeconds });
    const again = await postToken(goodForm);
    expect(again.body.access_token).not.toBe(res.body.access_token);
  });

  it("accepts the parameters in the query string", async () => {
    const res = await postToken({}, goodForm);
    expect(res.status).toBe(200);
    const call = await emu.call("POST", "/projects", { token: String(res.body.access_token), body: { name: "from a query token" } });
    expect(call.status).toBe(200);
  });

  it("rejects a wrong client id or secret with IMS's invalid_client body", async () => {
    const wrongId = await postToken({ ...goodForm, client_id: "someone-else" });
    expect(wrongId.status).toBe(401);
    expect(wrongId.body).toEqual({ error: "invalid_client", error_description: "invalid client_id parameter" });
    const wrongSecret = await postToken({ ...goodForm, client_secret: "nope" });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body).toEqual({ error: "invalid_client", error_description: "invalid client_secret parameter" });
  });

  it("answers 400 invalid_request when a parameter is missing, and rejects other grant types", async () => {
    const { client_secret: _omitted, ...noSecret } = goodForm;
    const missing = await postToken(noSecret);
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ error: "invalid_request", error_description: "missing client_secret parameter" });
    const grant = await postToken({ ...goodForm, grant_type: "password" });
    expect(grant.status).toBe(400);
    expect(grant.body.error).toBe("unsupported_grant_type");
  });
});

describe("gateway header checks", () => {
  const body = { name: "Last 7 days" };

  it("answers 403 403010 without Authorization", async () => {
    const res = await emu.call("POST", "/projects", { body, headers: { authorization: null } });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error_code: "403010", message: "Oauth token is missing." });
  });

  it("answers 401 401013 for a token IMS never issued", async () => {
    const res = await emu.call("POST", "/projects", { body, token: "made-up-token" });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error_code: "401013", message: "Oauth token is not valid" });
  });

  it("answers 403 403000 without x-api-key and 403 403003 with another client's key", async () => {
    const missing = await emu.call("POST", "/projects", { body, headers: { "x-api-key": null } });
    expect(missing.status).toBe(403);
    expect(missing.body).toEqual({ error_code: "403000", message: "Api Key is required" });
    const other = await emu.call("POST", "/projects", { body, headers: { "x-api-key": "another-client" } });
    expect(other.status).toBe(403);
    expect(other.body).toEqual({ error_code: "403003", message: "Api Key is invalid" });
  });

  it("answers 400 400003 without x-gw-ims-org-id", async () => {
    const res = await emu.call("POST", "/projects", { body, headers: { "x-gw-ims-org-id": null } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error_code: "400003", message: "Missing header" });
  });

  it("stops nothing else: the same request with all headers succeeds", async () => {
    const res = await emu.call("POST", "/projects", { body });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: "Last 7 days", id: expect.any(String) });
  });
});

describe("a credential used with another org", () => {
  let bound: TestEmulator;
  beforeAll(async () => {
    bound = await startTestEmulator({ credentialOrgs: [TEST_ORG] });
  });
  afterAll(() => bound.close());

  it("answers 403 403025 'Profile is not valid' for an org the credential does not belong to, on CJA and AEP, and serves its own org", async () => {
    const other = "OTHERORG000000000000000@AdobeOrg";
    const cja = await bound.call("GET", "/data/dataviews", { org: other });
    expect(cja.status).toBe(403);
    expect(cja.body).toEqual({ error_code: "403025", message: "Profile is not valid" });
    const aep = await bound.call("GET", "/data/foundation/catalog/dataSets", { org: other });
    expect(aep.status).toBe(403);
    expect(aep.body).toEqual({ error_code: "403025", message: "Profile is not valid" });
    expect((await bound.call("GET", "/data/dataviews", { org: TEST_ORG })).status).toBe(200);
  });
});

describe("token expiry", () => {
  it("rejects every token issued so far after POST /_emulator/tokens/expire, and accepts a new one", async () => {
    const token = await emu.token();
    expect((await emu.call("POST", "/projects", { token, body: { name: "a" } })).status).toBe(200);
    await emu.expireTokens();
    const expired = await emu.call("POST", "/projects", { token, body: { name: "b" } });
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ error_code: "401013", message: "Oauth token is not valid" });
    expect((await emu.call("POST", "/projects", { token: await emu.token(), body: { name: "c" } })).status).toBe(200);
  });

  it("expires tokens at the end of their lifetime", async () => {
    const shortLived = await startTestEmulator({ tokenLifetimeSeconds: 1, extraRoutes: dateRangeRoutes });
    try {
      const token = await shortLived.token();
      expect((await shortLived.call("POST", "/projects", { token, body: { name: "a" } })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const res = await shortLived.call("POST", "/projects", { token, body: { name: "b" } });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error_code: "401013", message: "Oauth token is not valid" });
    } finally {
      await shortLived.close();
    }
  });
});

describe("routing", () => {
  it("answers an unknown CJA path with a CJA 404 body and an unknown platform path with the platform shape", async () => {
    const cja = await emu.call("GET", "/data/nothing-here");
    expect(cja.status).toBe(404);
    expect(cja.body).toMatchObject({ errorCode: "resource_not_found", errorDescription: expect.stringContaining("/data/nothing-here"), errorId: expect.any(String) });
    const aep = await emu.call("GET", "/data/foundation/catalog/nothing");
    expect(aep.status).toBe(404);
    expect(aep.body).toMatchObject({ status: 404, title: "NotFoundError", detail: expect.stringContaining("/data/foundation/catalog/nothing") });
  });

  it("answers 405 with Allow for a known path and another method", async () => {
    const res = await emu.call("PATCH", "/projects/abc", { body: {} });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET");
    expect(res.body).toMatchObject({ errorCode: "method_not_allowed" });
  });

  it("answers malformed JSON with CJA's invalid_json_input 400", async () => {
    const raw = await fetch(new URL("/projects", emu.url), {
      method: "POST",
      headers: { authorization: `Bearer ${await emu.token()}`, "x-api-key": TEST_CLIENT_ID, "x-gw-ims-org-id": TEST_ORG, "content-type": "application/json" },
      body: '{"name": ',
    });
    const parsed = await readResult<Record<string, unknown>>(raw);
    expect(parsed.status).toBe(400);
    expect(parsed.body).toMatchObject({ errorCode: "invalid_json_input", errorDescription: expect.stringContaining("Malformed JSON") });
  });
});

describe("data is kept apart", () => {
  it("per IMS org: an object created in one org is not found in another", async () => {
    const created = await emu.call<{ id: string }>("POST", "/projects", { body: { name: "org A's range" } });
    expect(created.status).toBe(200);
    const sameOrg = await emu.call("GET", `/projects/${created.body.id}`);
    expect(sameOrg.status).toBe(200);
    const otherOrg = await emu.call("GET", `/projects/${created.body.id}`, { org: "OTHERORG000000000000000@AdobeOrg" });
    expect(otherOrg.status).toBe(404);
    expect(otherOrg.body).toMatchObject({ errorCode: "resource_not_found" });
  });

  it("per AEP sandbox, with prod when x-sandbox-name is absent", async () => {
    const read = async (sandbox?: string) => (await emu.call<{ estimatedSize: number }>("GET", "/data/core/ups/estimate/e1", { sandbox })).body.estimatedSize;
    expect(await read()).toBe(1);
    expect(await read("prod")).toBe(2);
    expect(await read("dev")).toBe(1);
    expect(await read()).toBe(3);
    const state = await emu.admin<{ sandboxes: { aep: Record<string, Record<string, { reads: number }>> } }>("GET", "/state");
    expect(state.sandboxes.aep[TEST_ORG]).toEqual({ prod: { reads: 3 }, dev: { reads: 1 } });
  });

  it("forgets everything on POST /_emulator/reset", async () => {
    const created = await emu.call<{ id: string }>("POST", "/projects", { body: { name: "soon gone" } });
    await emu.reset();
    expect((await emu.call("GET", `/projects/${created.body.id}`)).status).toBe(404);
    expect(await emu.admin("GET", "/state")).toEqual({ version: 1, orgs: { cja: { [TEST_ORG]: { dateRanges: {} } }, aep: {} }, sandboxes: { aep: {} } });
  });
});

describe("request counters and log", () => {
  it("counts requests per method, route template and status, and logs each with its client id", async () => {
    await emu.clearRequests();
    const token = await emu.token();
    const created = await emu.call<{ id: string }>("POST", "/projects", { token, body: { name: "counted" } });
    await emu.call("GET", `/projects/${created.body.id}`, { token });
    await emu.call("GET", "/projects/does-not-exist", { token });
    await emu.call("GET", `/projects/${created.body.id}`, { token });
    await emu.call("GET", `/projects/${created.body.id}`, { token: "bad" });
    await emu.admin("GET", "/state");

    const { counters, log } = await emu.requests();
    expect(counters).toEqual([
      { method: "POST", route: "/ims/token/v3", status: 200, count: 1 },
      { method: "POST", route: "/projects", status: 200, count: 1 },
      { method: "GET", route: "/projects/:id", status: 200, count: 2 },
      { method: "GET", route: "/projects/:id", status: 401, count: 1 },
      { method: "GET", route: "/projects/:id", status: 404, count: 1 },
    ]);
    expect(log.map((e) => [e.method, e.path, e.status, e.clientId])).toEqual([
      ["POST", "/ims/token/v3", 200, TEST_CLIENT_ID],
      ["POST", "/projects", 200, TEST_CLIENT_ID],
      ["GET", `/projects/${created.body.id}`, 200, TEST_CLIENT_ID],
      ["GET", "/projects/does-not-exist", 404, TEST_CLIENT_ID],
      ["GET", `/projects/${created.body.id}`, 200, TEST_CLIENT_ID],
      ["GET", `/projects/${created.body.id}`, 401, TEST_CLIENT_ID],
    ]);
    expect(log.every((e, i) => i === 0 || e.at >= log[i - 1].at)).toBe(true);
    await emu.clearRequests();
    expect(await emu.requests()).toEqual({ counters: [], log: [], held: [] });
  });
});
