import { schemaFields, isProfileEnabledSchema, tenantIdOf, type XdmField } from "../../emulator/aep/xdm";
import type { AepSandboxState } from "../../emulator/aep/state";
import { startTestEmulator, TEST_ORG, type HttpResult, type TestEmulator } from "../helpers/emulator";

const SR = "/data/foundation/schemaregistry";
const ID_LIST = "application/vnd.adobe.xed-id+json";
const FULL_LIST = "application/vnd.adobe.xed+json";
const LOOKUP = "application/vnd.adobe.xed+json; version=1";
const DESCRIPTORS = "application/vnd.adobe.xdm+json";
const PROFILE = "https://ns.adobe.com/xdm/context/profile";
const TENANT = "testorg0000000000000000";

describe("AEP emulator: Schema Registry", () => {
  let emulator: TestEmulator;

  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  function sr<T = any>(method: string, path: string, opts: { body?: unknown; accept?: string; sandbox?: string } = {}): Promise<HttpResult<T>> {
    return emulator.call<T>(method, `${SR}${path}`, { body: opts.body, sandbox: opts.sandbox, headers: opts.accept ? { accept: opts.accept } : {} });
  }

  function audienceFieldGroup(title = "Audience Membership") {
    return {
      title,
      description: "Audience membership of a person, for CJA.",
      type: "object",
      "meta:intendedToExtend": [PROFILE],
      definitions: {
        audience: {
          properties: {
            [`_${TENANT}`]: {
              type: "object",
              properties: { audienceMembershipId: { type: "string", title: "Audience IDs" }, audienceMembershipIdName: { type: "string" } },
            },
          },
        },
      },
      allOf: [{ $ref: "#/definitions/audience" }],
    };
  }

  async function createFieldGroup(title?: string): Promise<any> {
    const res = await sr("POST", "/tenant/fieldgroups", { body: audienceFieldGroup(title) });
    expect(res.status).toBe(201);
    return res.body;
  }

  async function createSchema(fieldGroupId: string, title = "Audience Export for CJA Schema"): Promise<any> {
    const res = await sr("POST", "/tenant/schemas", {
      body: { title, description: "Profiles with their audiences.", type: "object", allOf: [{ $ref: PROFILE }, { $ref: fieldGroupId }] },
    });
    expect(res.status).toBe(201);
    return res.body;
  }

  function identityDescriptor(schemaId: string, sourceProperty = "/personID", isPrimary = true) {
    return {
      "@type": "xdm:descriptorIdentity",
      "xdm:sourceSchema": schemaId,
      "xdm:sourceVersion": 1,
      "xdm:sourceProperty": sourceProperty,
      "xdm:namespace": "Email",
      "xdm:property": "xdm:code",
      "xdm:isPrimary": isPrimary,
    };
  }

  async function listTitles(kind: "fieldgroups" | "schemas"): Promise<string[]> {
    const res = await sr("GET", `/tenant/${kind}`, { accept: ID_LIST });
    expect(res.status).toBe(200);
    return res.body.results.map((r: { title: string }) => r.title);
  }

  async function sandboxOfState(sandbox = "prod"): Promise<AepSandboxState> {
    const state = await emulator.admin<{ sandboxes: { aep: Record<string, Record<string, AepSandboxState>> } }>("GET", "/state");
    return state.sandboxes.aep[TEST_ORG][sandbox];
  }


  it("answers the tenant id and usage counts on /stats", async () => {
    const res = await sr("GET", "/stats");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      imsOrg: TEST_ORG,
      tenantId: TENANT,
      counts: { schemas: 0, mixins: 0, datatypes: 0, classes: 0, unions: 0 },
      recentlyCreatedResources: [],
      recentlyUpdatedResources: [],
      classUsage: {},
    });
    expect(tenantIdOf(TEST_ORG)).toBe(TENANT);
    expect(tenantIdOf("53A5-Demo.Org@AdobeOrg")).toBe("53a5demoorg");
  });

  it("creates a tenant field group with registry ids, and looks it up by meta:altId or URL-encoded $id", async () => {
    const res = await sr("POST", "/tenant/fieldgroups", { body: audienceFieldGroup() });
    expect(res.status).toBe(201);
    const group = res.body;
    expect(group.$id).toMatch(new RegExp(`^https://ns\\.adobe\\.com/${TENANT}/mixins/[0-9a-f]{32}$`));
    const hex = group.$id.split("/").pop();
    expect(group).toMatchObject({
      "meta:altId": `_${TENANT}.mixins.${hex}`,
      "meta:resourceType": "mixins",
      version: "1.0",
      title: "Audience Membership",
      "meta:intendedToExtend": [PROFILE],
      "meta:containerId": "tenant",
      "meta:tenantNamespace": `_${TENANT}`,
      imsOrg: TEST_ORG,
      definitions: audienceFieldGroup().definitions,
    });
    expect(group["meta:registryMetadata"]).toMatchObject({ "repo:createdDate": expect.any(Number), "repo:lastModifiedDate": expect.any(Number) });

    for (const id of [group["meta:altId"], encodeURIComponent(group.$id)]) {
      const got = await sr("GET", `/tenant/fieldgroups/${id}`, { accept: LOOKUP });
      expect(got.status).toBe(200);
      expect(got.body).toEqual(group);
    }
    const full = await sr("GET", `/tenant/fieldgroups/${group["meta:altId"]}`, { accept: "application/vnd.adobe.xed-full+json; version=1" });
    expect(full.body.properties[`_${TENANT}`].properties.audienceMembershipId).toMatchObject({ type: "string" });

    const list = await sr("GET", "/tenant/fieldgroups", { accept: ID_LIST });
    expect(list.body).toMatchObject({
      results: [{ $id: group.$id, "meta:altId": group["meta:altId"], version: "1.0", title: "Audience Membership" }],
      _page: { next: null, count: 1 },
      _links: { next: null },
    });
    expect(Object.keys(list.body.results[0]).sort()).toEqual(["$id", "meta:altId", "title", "version"]);
    const fullList = await sr("GET", "/tenant/fieldgroups", { accept: FULL_LIST });
    expect(fullList.body.results).toEqual([group]);
    const global = await sr("GET", "/global/fieldgroups?property=meta:intendedToExtend==https://ns.adobe.com/xdm/context/profile", { accept: ID_LIST });
    expect(global.body.results.map((r: { $id: string }) => r.$id)).toContain("https://ns.adobe.com/xdm/context/identitymap");
  });

  it("refuses a field group with a custom field outside _{TENANT_ID} (XDM-1021-400), storing nothing", async () => {
    const body = audienceFieldGroup();
    (body.definitions.audience.properties as Record<string, unknown>).loyaltyId = { type: "string" };
    const res = await sr("POST", "/tenant/fieldgroups", { body });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      type: "http://ns.adobe.com/aep/errors/XDM-1021-400",
      title: "Namespace validation error",
      status: 400,
      report: { "detailed-message": res.body.detail, "sub-errors": [] },
    });
    expect(res.body.detail).toContain("A custom field is defined under an invalid namespace.");
    expect(res.body.detail).toContain("definitions.audience.properties.loyaltyId");

    const topLevel = { ...audienceFieldGroup(), properties: { email: { type: "string" } } };
    const second = await sr("POST", "/tenant/fieldgroups", { body: topLevel });
    expect(second.body.type).toBe("http://ns.adobe.com/aep/errors/XDM-1021-400");
    expect(second.body.detail).toContain("properties.email");
    expect(await listTitles("fieldgroups")).toEqual([]);
  });

  // The spec marks these fields required, so the spec check answers first; its 400 names the field
  // (its body shape is the pipeline's, see emulator/errors.ts `badRequest`).
  it("requires a field group's title and meta:intendedToExtend, naming the field and storing nothing", async () => {
    const { title: _title, ...untitled } = audienceFieldGroup();
    const noTitle = await sr("POST", "/tenant/fieldgroups", { body: untitled });
    expect(noTitle.status).toBe(400);
    expect(JSON.stringify(noTitle.body)).toContain("title");
    const { "meta:intendedToExtend": _extend, ...unbound } = audienceFieldGroup();
    const noClass = await sr("POST", "/tenant/fieldgroups", { body: unbound });
    expect(noClass.status).toBe(400);
    expect(JSON.stringify(noClass.body)).toContain("meta:intendedToExtend");
    const notArray = await sr("POST", "/tenant/fieldgroups", { body: { ...audienceFieldGroup(), "meta:intendedToExtend": PROFILE } });
    expect(notArray.status).toBe(400);
    expect(JSON.stringify(notArray.body)).toContain("meta:intendedToExtend");
    expect(await listTitles("fieldgroups")).toEqual([]);
  });

  it("without Adobe's specs, answers the required-field checks itself in the Schema Registry's shape, storing nothing", async () => {
    const bare = await startTestEmulator({ specDir: null });
    try {
      const call = (method: string, path: string, body?: unknown, accept?: string) =>
        bare.call<any>(method, `${SR}${path}`, { body, headers: accept ? { accept } : {} });
      const { title: _title, ...untitled } = audienceFieldGroup();
      const noTitle = await call("POST", "/tenant/fieldgroups", untitled);
      expect(noTitle.status).toBe(400);
      expect(noTitle.body).toMatchObject({ type: "http://ns.adobe.com/aep/errors/XDM-1000-400", status: 400, detail: expect.stringContaining("body.title") });
      const { "meta:intendedToExtend": _extend, ...unbound } = audienceFieldGroup();
      const noClass = await call("POST", "/tenant/fieldgroups", unbound);
      expect(noClass.body.detail).toContain("body.meta:intendedToExtend");
      const schema = await call("POST", "/tenant/schemas", { title: "No allOf", type: "object" });
      expect(schema.status).toBe(400);
      expect(schema.body.detail).toContain("body.allOf");
      const patch = await call("PATCH", `/tenant/schemas/_${TENANT}.schemas.0`, { op: "add" });
      expect(patch.status).toBe(404);
      expect((await call("GET", "/tenant/fieldgroups", undefined, ID_LIST)).body.results).toEqual([]);
      expect((await call("GET", "/tenant/schemas", undefined, ID_LIST)).body.results).toEqual([]);
    } finally {
      await bare.close();
    }
  });

  it("keeps titles unique across resource types (XDM-1521-400)", async () => {
    const group = await createFieldGroup("Shared Title");
    const again = await sr("POST", "/tenant/fieldgroups", { body: audienceFieldGroup("Shared Title") });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ type: "http://ns.adobe.com/aep/errors/XDM-1521-400", title: "Title not unique" });
    expect(again.body.detail).toContain(group.$id);
    const schema = await sr("POST", "/tenant/schemas", { body: { title: "Shared Title", description: "", type: "object", allOf: [{ $ref: PROFILE }] } });
    expect(schema.status).toBe(400);
    expect(await listTitles("schemas")).toEqual([]);
  });

  it("creates a Profile schema with a tenant field group, and rejects a composition without exactly one class or with an unknown field group", async () => {
    const group = await createFieldGroup();
    const schema = await createSchema(group.$id);
    expect(schema.$id).toMatch(new RegExp(`^https://ns\\.adobe\\.com/${TENANT}/schemas/[0-9a-f]{32}$`));
    expect(schema).toMatchObject({
      "meta:altId": `_${TENANT}.schemas.${schema.$id.split("/").pop()}`,
      "meta:resourceType": "schemas",
      version: "1.0",
      "meta:class": PROFILE,
      "meta:containerId": "tenant",
      imsOrg: TEST_ORG,
      allOf: [{ $ref: PROFILE }, { $ref: group.$id }],
    });
    expect(schema["meta:extends"]).toEqual(expect.arrayContaining([PROFILE, group.$id]));
    // Either id of the field group works in allOf.
    const byAltId = await createSchema(group["meta:altId"], "Second Schema");
    expect(byAltId["meta:extends"]).toContain(group.$id);

    const bad = [
      { allOf: [{ $ref: group.$id }], expect: "exactly one class" },
      { allOf: [{ $ref: PROFILE }, { $ref: "https://ns.adobe.com/xdm/context/experienceevent" }], expect: "exactly one class" },
      { allOf: [{ $ref: PROFILE }, { $ref: `https://ns.adobe.com/${TENANT}/mixins/00000000000000000000000000000000` }], expect: "mixins/00000000000000000000000000000000" },
    ];
    for (const { allOf, expect: text } of bad) {
      const res = await sr("POST", "/tenant/schemas", { body: { title: "Broken", description: "", type: "object", allOf } });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ status: 400, type: expect.stringMatching(/^http:\/\/ns\.adobe\.com\/aep\/errors\/XDM-/) });
      expect(res.body.detail).toContain("body.allOf");
      expect(res.body.detail).toContain(text);
    }
    expect((await listTitles("schemas")).sort()).toEqual(["Audience Export for CJA Schema", "Second Schema"]);

    const stats = await sr("GET", "/stats");
    expect(stats.body.counts).toMatchObject({ schemas: 2, mixins: 1 });
    expect(stats.body.classUsage[PROFILE].map((s: { $id: string }) => s.$id).sort()).toEqual([schema.$id, byAltId.$id].sort());
  });

  it("adds an identity descriptor on /personID and refuses one on a missing field, a missing schema, or a second primary", async () => {
    const schema = await createSchema((await createFieldGroup()).$id);
    const res = await sr("POST", "/tenant/descriptors", { body: identityDescriptor(schema.$id) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      "@id": expect.stringMatching(/^[0-9a-f]{32}$/),
      "@type": "xdm:descriptorIdentity",
      "xdm:sourceSchema": schema.$id,
      "xdm:sourceProperty": "/personID",
      "xdm:isPrimary": true,
      "meta:containerId": "tenant",
      imsOrg: TEST_ORG,
      version: "1",
    });

    const missingField = await sr("POST", "/tenant/descriptors", { body: identityDescriptor(schema.$id, "/loyaltyId", false) });
    expect(missingField.status).toBe(400);
    expect(missingField.body.detail).toContain("xdm:sourceProperty");
    expect(missingField.body.detail).toContain("/loyaltyId");
    const missingSchema = await sr("POST", "/tenant/descriptors", { body: identityDescriptor(`https://ns.adobe.com/${TENANT}/schemas/ffff`) });
    expect(missingSchema.status).toBe(400);
    expect(missingSchema.body.detail).toContain("xdm:sourceSchema");
    const secondPrimary = await sr("POST", "/tenant/descriptors", { body: identityDescriptor(schema.$id, `/_${TENANT}/audienceMembershipId`) });
    expect(secondPrimary.status).toBe(400);
    expect(secondPrimary.body.detail).toContain("only one primary identity");
    const noNamespace = await sr("POST", "/tenant/descriptors", { body: { ...identityDescriptor(schema.$id, "/_id", false), "xdm:namespace": "" } });
    expect(noNamespace.status).toBe(400);
    expect(noNamespace.body.detail).toContain("xdm:namespace");
    // A tenant field is a valid identity field too.
    const tenantField = await sr("POST", "/tenant/descriptors", { body: identityDescriptor(schema.$id, `/_${TENANT}/audienceMembershipId`, false) });
    expect(tenantField.status).toBe(201);

    const list = await sr("GET", "/tenant/descriptors", { accept: DESCRIPTORS });
    expect(list.status).toBe(200);
    expect(Object.keys(list.body)).toEqual(["xdm:descriptorIdentity"]);
    expect(list.body["xdm:descriptorIdentity"].map((d: { "@id": string }) => d["@id"])).toEqual([res.body["@id"], tenantField.body["@id"]]);
    const ids = await sr("GET", "/tenant/descriptors", { accept: "application/vnd.adobe.xdm-id+json" });
    expect(ids.body).toEqual({ "xdm:descriptorIdentity": [res.body["@id"], tenantField.body["@id"]] });
    const links = await sr("GET", `/tenant/descriptors?property=xdm:sourceProperty==/personID`, { accept: "application/vnd.adobe.xdm-link+json" });
    expect(links.body).toEqual({ "xdm:descriptorIdentity": [`/tenant/descriptors/${res.body["@id"]}`] });
    const bySchema = await sr("GET", `/tenant/descriptors?property=xdm:sourceSchema==${encodeURIComponent(schema.$id)}`, { accept: "application/vnd.adobe.xdm-v2+json" });
    expect(bySchema.body.results).toHaveLength(2);
    // A descriptor lookup needs no Accept header.
    const got = await sr("GET", `/tenant/descriptors/${res.body["@id"]}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
  });

  it("enables a schema for Profile only once it has a primary identity (XDM-1528-400), and never removes the tag", async () => {
    const schema = await createSchema((await createFieldGroup()).$id);
    const union = [{ op: "add", path: "/meta:immutableTags", value: ["union"] }];
    const early = await sr("PATCH", `/tenant/schemas/${encodeURIComponent(schema.$id)}`, { body: union });
    expect(early.status).toBe(400);
    expect(early.body).toMatchObject({
      type: "http://ns.adobe.com/aep/errors/XDM-1528-400",
      title: "Union descriptor validation error",
      status: 400,
      detail: "To participate in a union, a schema must include an identityMap fieldgroup or a primary identity descriptor.",
    });
    const taggedAtCreate = await sr("POST", "/tenant/schemas", {
      body: { title: "Tagged at create", description: "", type: "object", allOf: [{ $ref: PROFILE }], "meta:immutableTags": ["union"] },
    });
    expect(taggedAtCreate.body.type).toBe("http://ns.adobe.com/aep/errors/XDM-1528-400");
    expect(await listTitles("schemas")).toEqual(["Audience Export for CJA Schema"]);
    const unchanged = await sr("GET", `/tenant/schemas/${schema["meta:altId"]}`, { accept: LOOKUP });
    expect(unchanged.body).not.toHaveProperty("meta:immutableTags");
    expect(unchanged.body.version).toBe("1.0");
    const state = await sandboxOfState();
    expect(isProfileEnabledSchema(state, TEST_ORG, schema.$id)).toBe(false);

    expect((await sr("POST", "/tenant/descriptors", { body: identityDescriptor(schema.$id) })).status).toBe(201);
    const enabled = await sr("PATCH", `/tenant/schemas/${schema["meta:altId"]}`, { body: union });
    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({ $id: schema.$id, "meta:immutableTags": ["union"], "meta:class": PROFILE, version: "1.1" });
    expect(isProfileEnabledSchema(await sandboxOfState(), TEST_ORG, schema["meta:altId"])).toBe(true);

    const removal = await sr("PATCH", `/tenant/schemas/${schema["meta:altId"]}`, { body: [{ op: "remove", path: "/meta:immutableTags" }] });
    expect(removal.status).toBe(400);
    expect(removal.body.detail).toContain("meta:immutableTags");
    const members = await sr("GET", `/tenant/schemas?property=meta:immutableTags==union,meta:class==${PROFILE}`, { accept: ID_LIST });
    expect(members.body.results.map((r: { $id: string }) => r.$id)).toEqual([schema.$id]);
    const unionSchema = await sr("GET", "/tenant/schemas/_xdm.context.profile__union", { accept: "application/vnd.adobe.xed-full+json; version=1" });
    expect(unionSchema.status).toBe(200);
    expect(unionSchema.body).toMatchObject({ $id: "https://ns.adobe.com/xdm/context/profile__union", "meta:resourceType": "unions", "meta:class": PROFILE });
    expect(Object.keys(unionSchema.body.properties)).toEqual(expect.arrayContaining(["personID", "identityMap", "segmentMembership", `_${TENANT}`]));
  });

  it("enables a schema with the identityMap field group without a descriptor, and refuses a union member whose fields clash (XDM-1413-400)", async () => {
    const withMap = await sr("POST", "/tenant/schemas", {
      body: { title: "Mapped", description: "", type: "object", allOf: [{ $ref: PROFILE }, { $ref: "https://ns.adobe.com/xdm/context/identitymap" }] },
    });
    expect(withMap.status).toBe(201);
    const union = [{ op: "add", path: "/meta:immutableTags", value: ["union"] }];
    expect((await sr("PATCH", `/tenant/schemas/${withMap.body["meta:altId"]}`, { body: union })).status).toBe(200);

    const clashing = await sr("POST", "/tenant/fieldgroups", {
      body: { ...audienceFieldGroup("Clash"), definitions: { x: { properties: { [`_${TENANT}`]: { type: "string" } } } } },
    });
    const other = await createSchema(clashing.body.$id, "Other");
    const first = await createSchema((await createFieldGroup()).$id, "First");
    expect((await sr("POST", "/tenant/descriptors", { body: identityDescriptor(first.$id) })).status).toBe(201);
    expect((await sr("PATCH", `/tenant/schemas/${first["meta:altId"]}`, { body: union })).status).toBe(200);
    expect((await sr("POST", "/tenant/descriptors", { body: identityDescriptor(other.$id) })).status).toBe(201);
    const res = await sr("PATCH", `/tenant/schemas/${other["meta:altId"]}`, { body: union });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ type: "http://ns.adobe.com/aep/errors/XDM-1413-400", title: "Merge Schema Error" });
    expect(res.body.detail).toContain(`/_${TENANT}`);
  });

  it("patches a schema: adds a field group through allOf and meta:extends, replaces title and description", async () => {
    const schema = await sr("POST", "/tenant/schemas", { body: { title: "Bare", description: "before", type: "object", allOf: [{ $ref: PROFILE }] } });
    const group = await createFieldGroup();
    const res = await sr("PATCH", `/tenant/schemas/${schema.body["meta:altId"]}`, {
      body: [
        { op: "add", path: "/meta:extends/-", value: group.$id },
        { op: "add", path: "/allOf/-", value: { $ref: group.$id } },
        { op: "replace", path: "/title", value: "Dressed" },
        { op: "replace", path: "/description", value: "after" },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: "Dressed", description: "after", version: "1.1", allOf: [{ $ref: PROFILE }, { $ref: group.$id }] });
    expect(res.body["meta:extends"].filter((id: string) => id === group.$id)).toHaveLength(1);
    const fields = schemaFields(await sandboxOfState(), TEST_ORG, schema.body.$id);
    expect(fields?.[`_${TENANT}`]?.properties).toHaveProperty("audienceMembershipId");

    const readOnly = await sr("PATCH", `/tenant/schemas/${schema.body["meta:altId"]}`, { body: [{ op: "replace", path: "/$id", value: "x" }] });
    expect(readOnly.status).toBe(400);
    expect(readOnly.body.detail).toContain("$id");
    const unknownGroup = await sr("PATCH", `/tenant/schemas/${schema.body["meta:altId"]}`, { body: [{ op: "add", path: "/allOf/-", value: { $ref: "https://ns.adobe.com/nope" } }] });
    expect(unknownGroup.status).toBe(400);
    expect(unknownGroup.body.detail).toContain("https://ns.adobe.com/nope");
    expect((await sr("GET", `/tenant/schemas/${schema.body["meta:altId"]}`, { accept: LOOKUP })).body.version).toBe("1.1");
  });

  it("replaces a field group and a schema with PUT, keeping their ids, immutable tags and the rules of a create", async () => {
    const group = await createFieldGroup();
    const body = audienceFieldGroup();
    (body.definitions.audience.properties[`_${TENANT}`].properties as Record<string, unknown>).segmentCount = { type: "integer" };
    const put = await sr("PUT", `/tenant/fieldgroups/${group["meta:altId"]}`, { body });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ $id: group.$id, "meta:altId": group["meta:altId"], version: "1.1" });
    expect(put.body.definitions.audience.properties[`_${TENANT}`].properties).toHaveProperty("segmentCount");
    const outside = await sr("PUT", `/tenant/fieldgroups/${group["meta:altId"]}`, { body: { ...body, properties: { email: { type: "string" } } } });
    expect(outside.body.type).toBe("http://ns.adobe.com/aep/errors/XDM-1021-400");

    const schema = await createSchema(group.$id, "Audiences, for CJA");
    await sr("POST", "/tenant/descriptors", { body: identityDescriptor(schema.$id) });
    await sr("PATCH", `/tenant/schemas/${schema["meta:altId"]}`, { body: [{ op: "add", path: "/meta:immutableTags", value: ["union"] }] });
    const replaced = await sr("PUT", `/tenant/schemas/${encodeURIComponent(schema.$id)}`, {
      body: { title: "Audiences, for CJA", description: "rewritten", type: "object", allOf: [{ $ref: PROFILE }, { $ref: group.$id }, { $ref: "https://ns.adobe.com/xdm/context/identitymap" }] },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ $id: schema.$id, description: "rewritten", version: "1.2", "meta:immutableTags": ["union"] });
    expect(replaced.body["meta:extends"]).toContain("https://ns.adobe.com/xdm/context/identitymap");
    const otherClass = await sr("PUT", `/tenant/schemas/${schema["meta:altId"]}`, {
      body: { title: "Audiences, for CJA", description: "", type: "object", allOf: [{ $ref: "https://ns.adobe.com/xdm/context/experienceevent" }] },
    });
    expect(otherClass.status).toBe(400);
    expect(otherClass.body.detail).toContain("class");
    const byTitle = await sr("GET", "/tenant/schemas?property=title==Audiences, for CJA&orderby=title&limit=300", { accept: ID_LIST });
    expect(byTitle.body.results.map((r: { $id: string }) => r.$id)).toEqual([schema.$id]);
    expect((await sr("PUT", `/tenant/schemas/_${TENANT}.schemas.none`, { body: { title: "x", description: "", type: "object", allOf: [{ $ref: PROFILE }] } })).status).toBe(404);
  });

  it("requires an Accept header with version=1 on lookups (XDM-1007-400) and the list forms on lists (XDM-1006-400)", async () => {
    const group = await createFieldGroup();
    const schema = await createSchema(group.$id);
    const noVersion = await sr("GET", `/tenant/schemas/${schema["meta:altId"]}`, { accept: "application/vnd.adobe.xed+json" });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body).toMatchObject({ type: "http://ns.adobe.com/aep/errors/XDM-1007-400", title: "Accept header invalid", status: 400 });
    expect(noVersion.body.detail).toContain("version=1");
    const plainJson = await sr("GET", `/tenant/fieldgroups/${encodeURIComponent(group.$id)}`, { accept: "application/json" });
    expect(plainJson.body.type).toBe("http://ns.adobe.com/aep/errors/XDM-1007-400");
    const versionedList = await sr("GET", "/tenant/schemas", { accept: LOOKUP });
    expect(versionedList.status).toBe(400);
    expect(versionedList.body.type).toBe("http://ns.adobe.com/aep/errors/XDM-1006-400");
    const noAccept = await emulator.call<any>("GET", `${SR}/tenant/schemas`, { headers: { accept: null } });
    expect(noAccept.status).toBe(400);
    expect(noAccept.body.type).toBe("http://ns.adobe.com/aep/errors/XDM-1006-400");
    const xedDescriptors = await sr("GET", "/tenant/descriptors", { accept: ID_LIST });
    expect(xedDescriptors.body.type).toBe("http://ns.adobe.com/aep/errors/XDM-1008-400");
    const missing = await sr("GET", `/tenant/schemas/_${TENANT}.schemas.0000`, { accept: LOOKUP });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ type: "http://ns.adobe.com/aep/errors/XDM-1012-404", status: 404 });
  });

  it("lists schemas by title, ordered and paged with orderby, start and limit", async () => {
    const group = await createFieldGroup();
    for (const title of ["Charlie", "Alpha", "Bravo"]) await createSchema(group.$id, title);
    const byTitle = await sr("GET", "/tenant/schemas?property=title==Bravo", { accept: ID_LIST });
    expect(byTitle.body.results.map((r: { title: string }) => r.title)).toEqual(["Bravo"]);

    const page1 = await sr("GET", "/tenant/schemas?orderby=title&limit=2", { accept: ID_LIST });
    expect(page1.body.results.map((r: { title: string }) => r.title)).toEqual(["Alpha", "Bravo"]);
    expect(page1.body._page).toEqual({ orderby: "title", next: "Bravo", count: 2 });
    expect(page1.body._links.next).toContain("start=Bravo");
    const page2 = await sr("GET", `/tenant/schemas?orderby=title&limit=2&start=${page1.body._page.next}`, { accept: ID_LIST });
    expect(page2.body.results.map((r: { title: string }) => r.title)).toEqual(["Charlie"]);
    expect(page2.body._page.next).toBeNull();
    const descending = await sr("GET", "/tenant/schemas?orderby=-title", { accept: FULL_LIST });
    expect(descending.body.results.map((r: { title: string }) => r.title)).toEqual(["Charlie", "Bravo", "Alpha"]);
    expect(descending.body.results[0]).toHaveProperty("meta:class", PROFILE);
  });

  it("resolves a schema's fields (class and tenant field groups) and the Profile union's for the Query Service", async () => {
    const group = await createFieldGroup();
    const schema = await createSchema(group.$id);
    const state = await sandboxOfState();
    const fields = schemaFields(state, TEST_ORG, schema.$id) as Record<string, XdmField>;
    expect(fields).toMatchObject({
      _id: { type: "string" },
      personID: { type: "string" },
      _repo: { type: "object", properties: { createDate: { type: "string" }, modifyDate: { type: "string" } } },
      createdByBatchID: { type: "string" },
      [`_${TENANT}`]: { type: "object", properties: { audienceMembershipId: { type: "string" }, audienceMembershipIdName: { type: "string" } } },
    });
    expect(schemaFields(state, TEST_ORG, schema["meta:altId"])).toEqual(fields);
    expect(schemaFields(state, TEST_ORG, `https://ns.adobe.com/${TENANT}/schemas/none`)).toBeUndefined();

    // Before any schema is Profile-enabled, the union has the class and its own fields only.
    const bareUnion = schemaFields(state, TEST_ORG, "_xdm.context.profile__union") as Record<string, XdmField>;
    expect(Object.keys(bareUnion)).toEqual(expect.arrayContaining(["personID", "identityMap", "segmentMembership", "personalEmail", "person"]));
    expect(bareUnion).not.toHaveProperty(`_${TENANT}`);
    expect(bareUnion.personalEmail).toEqual({ type: "object", properties: { address: { type: "string" } } });

    await sr("POST", "/tenant/descriptors", { body: identityDescriptor(schema.$id) });
    await sr("PATCH", `/tenant/schemas/${schema["meta:altId"]}`, { body: [{ op: "add", path: "/meta:immutableTags", value: ["union"] }] });
    const union = schemaFields(await sandboxOfState(), TEST_ORG, "https://ns.adobe.com/xdm/context/profile__union") as Record<string, XdmField>;
    expect(union[`_${TENANT}`].properties).toHaveProperty("audienceMembershipIdName");
    expect(union).toHaveProperty("segmentMembership");
  });

  it("reads a sandbox state written before the Schema Registry existed (no xdm)", () => {
    const old = { sandboxId: "x", datasets: {}, batches: {}, audiences: {}, segmentDefinitions: {}, profiles: [], exportJobs: {}, nextExportJobId: 1, nextExportJobFailure: null, queries: {} };
    const state = old as unknown as AepSandboxState;
    expect(schemaFields(state, TEST_ORG, "_x.schemas.1")).toBeUndefined();
    expect(isProfileEnabledSchema(state, TEST_ORG, "_x.schemas.1")).toBe(false);
    expect(Object.keys(schemaFields(state, TEST_ORG, "_xdm.context.profile__union") ?? {})).toContain("identityMap");
    expect(state.xdm).toEqual({ fieldGroups: {}, schemas: {}, descriptors: {} });
  });

  it("keeps sandboxes apart", async () => {
    const group = await createFieldGroup();
    const dev = await sr("GET", "/tenant/fieldgroups", { accept: ID_LIST, sandbox: "dev" });
    expect(dev.body.results).toEqual([]);
    const lookup = await sr("GET", `/tenant/fieldgroups/${group["meta:altId"]}`, { accept: LOOKUP, sandbox: "dev" });
    expect(lookup.status).toBe(404);
  });

  it("deletes descriptors, schemas and field groups (204), after which they are not found", async () => {
    const group = await createFieldGroup();
    const schema = await createSchema(group.$id);
    const descriptor = (await sr("POST", "/tenant/descriptors", { body: identityDescriptor(schema.$id) })).body;

    const delDescriptor = await sr("DELETE", `/tenant/descriptors/${descriptor["@id"]}`);
    expect(delDescriptor.status).toBe(204);
    expect(delDescriptor.body).toBeUndefined();
    expect((await sr("GET", `/tenant/descriptors/${descriptor["@id"]}`)).status).toBe(404);
    expect((await sr("DELETE", `/tenant/descriptors/${descriptor["@id"]}`)).status).toBe(404);

    expect((await sr("DELETE", `/tenant/schemas/${encodeURIComponent(schema.$id)}`)).status).toBe(204);
    expect((await sr("GET", `/tenant/schemas/${schema["meta:altId"]}`, { accept: LOOKUP })).status).toBe(404);
    expect((await sr("DELETE", `/tenant/schemas/${schema["meta:altId"]}`)).status).toBe(404);

    expect((await sr("DELETE", `/tenant/fieldgroups/${group["meta:altId"]}`)).status).toBe(204);
    expect((await sr("GET", `/tenant/fieldgroups/${encodeURIComponent(group.$id)}`, { accept: LOOKUP })).status).toBe(404);
    expect(await listTitles("fieldgroups")).toEqual([]);
    expect((await sr("GET", "/stats")).body.counts).toMatchObject({ schemas: 0, mixins: 0 });
  });
});
