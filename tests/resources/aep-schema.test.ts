/**
 * aep:FieldGroup and aep:Schema against the emulator's Schema Registry: the guide's Step 4 by
 * API (custom fields under the tenant namespace, a Profile schema with its primary identity,
 * enabled for Profile), or adopted by title from the Schemas UI, checked and never changed; an
 * ownership key on the last line of the description, so a create run again adopts.
 */
import type { TestEmulator } from "../helpers/emulator";
import { startTestEmulator } from "../helpers/emulator";
import { seedMembershipSchema } from "./aep-fixtures";
import { Engine, rejectionOf, startProvider, writes, type Props } from "./support";

const fieldGroups = new Engine("aep:FieldGroup");
const schemas = new Engine("aep:Schema");
const REGISTRY = "/data/foundation/schemaregistry";
const PROFILE = "https://ns.adobe.com/xdm/context/profile";
const OWNER = { __owner: "organization/audiences-cja/dev/aep:FieldGroup/audience-membership" };
const FIELDS = {
  audienceMembershipId: { type: "string" },
  audienceMemberships: { type: "array", items: { type: "object", properties: { audienceMembershipId: { type: "string" } } } },
};

let emu: TestEmulator;
let tenant: string;

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu?.close();
});
beforeEach(async () => {
  await emu.reset();
  startProvider(emu);
  tenant = (await emu.call<{ tenantId: string }>("GET", `${REGISTRY}/stats`)).body.tenantId;
  await emu.clearRequests();
});

async function lookup(kind: "fieldgroups" | "schemas", id: string): Promise<{ status: number; body: Props }> {
  return emu.call<Props>("GET", `${REGISTRY}/tenant/${kind}/${encodeURIComponent(id)}`, { headers: { accept: "application/vnd.adobe.xed+json; version=1" } });
}

async function titled(kind: "fieldgroups" | "schemas", title: string): Promise<string[]> {
  const res = await emu.call<{ results: Array<{ $id: string; title: string }> }>("GET", `${REGISTRY}/tenant/${kind}`, { headers: { accept: "application/vnd.adobe.xed-id+json" } });
  return res.body.results.filter((r) => r.title === title).map((r) => r.$id);
}

describe("a field group the stack creates", () => {
  it("puts the fields under the tenant namespace, outputs it, and carries the ownership key in its description", async () => {
    const group = await fieldGroups.create({ title: "Audience fields", description: "For CJA", fields: FIELDS, ...OWNER });

    expect(group.outs).toMatchObject({ fieldGroupId: group.id, tenantId: tenant, tenantNamespace: `_${tenant}`, adopted: false, description: "For CJA" });
    const live = (await lookup("fieldgroups", group.id)).body;
    expect(JSON.stringify(live.definitions)).toContain(`"_${tenant}":{"type":"object","properties":{"audienceMembershipId"`);
    expect(live["meta:intendedToExtend"]).toEqual([PROFILE]);
    expect(String(live.description)).toMatch(/^For CJA\n\n\[pulumi:[0-9a-f-]{36}\]$/);
    expect(await writes(emu)).toEqual([`POST ${REGISTRY}/tenant/fieldgroups 201`]);
  });

  it("is adopted, not created twice, by a create run again after a crash", async () => {
    const first = await fieldGroups.create({ title: "Audience fields", fields: FIELDS, ...OWNER });
    await emu.clearRequests();

    const again = await fieldGroups.create({ title: "Audience fields", fields: FIELDS, ...OWNER });

    expect(again.id).toBe(first.id);
    expect(await writes(emu)).toEqual([]);
    expect(await titled("fieldgroups", "Audience fields")).toEqual([first.id]);
  });

  it("is not created over one of the same title it does not own, and names adoptExisting", async () => {
    await fieldGroups.create({ title: "Audience fields", fields: FIELDS, __owner: "organization/audiences-cja/prod/aep:FieldGroup/audience-membership" });
    await emu.clearRequests();

    const error = await rejectionOf(() => fieldGroups.create({ title: "Audience fields", fields: FIELDS, ...OWNER }));

    expect(error.message).toMatch(/a field group titled "Audience fields" already exists .*adoptExisting: true/);
    expect(await writes(emu)).toEqual([]);
  });

  it("takes a new field in place and is deleted with the stack", async () => {
    const group = await fieldGroups.create({ title: "Audience fields", fields: FIELDS, ...OWNER });
    const news = { title: "Audience fields", fields: { ...FIELDS, audienceMembershipIdName: { type: "string" } }, ...OWNER };
    expect(await fieldGroups.preview(group, news)).toMatchObject({ changes: true, replaces: [] });
    const updated = await fieldGroups.update(group, news);
    expect(JSON.stringify((await lookup("fieldgroups", updated.id)).body.definitions)).toContain("audienceMembershipIdName");

    await fieldGroups.destroy(updated);
    expect((await lookup("fieldgroups", group.id)).status).toBe(404);
  });

  it("refuses bad field definitions in check, naming the field, and writes nothing", async () => {
    for (const [fields, message] of [
      [{ _custom: { type: "string" } }, /fields: _custom: .*may not start with an underscore/],
      [{ list: { type: "array" } }, /fields: list\.items: .*needs items/],
      [{ box: { type: "object" } }, /fields: box\.properties: .*at least one property/],
      [{ box: { type: "object", properties: { _x: { type: "string" } } } }, /fields: box\.properties\._x: .*may not start with an underscore/],
      [{ n: { type: "text" } }, /fields: n\.type: /],
      [{}, /fields: .*at least one field/],
    ] as const) {
      const error = await rejectionOf(() => fieldGroups.create({ title: "Bad", fields }));
      expect(error.message).toMatch(message);
    }
    expect(await writes(emu)).toEqual([]);
  });
});

describe("a schema the stack creates", () => {
  it("is of class Profile with the field group, personID as primary identity, and enabled for Profile", async () => {
    const group = await fieldGroups.create({ title: "Audience fields", fields: FIELDS, ...OWNER });
    await emu.clearRequests();

    const schema = await schemas.create({
      title: "Audience membership",
      fieldGroupIds: [group.id],
      primaryIdentity: { path: "personID", namespace: "Email" },
      enableProfile: true,
      __owner: "organization/audiences-cja/dev/aep:Schema/audience-membership",
    });

    expect(schema.outs).toMatchObject({ schemaId: schema.id, profileEnabled: true, adopted: false, identityDescriptorId: expect.stringMatching(/\S/) });
    const live = (await lookup("schemas", schema.id)).body;
    expect(live).toMatchObject({ "meta:class": PROFILE, "meta:immutableTags": ["union"] });
    expect(live["meta:extends"]).toEqual(expect.arrayContaining([PROFILE, group.id]));
    expect(await writes(emu)).toEqual([
      `POST ${REGISTRY}/tenant/schemas 201`,
      `POST ${REGISTRY}/tenant/descriptors 201`,
      `PATCH ${REGISTRY}/tenant/schemas/:SCHEMA_ID 200`,
    ]);
  });

  it("refuses Profile without a primary identity in check, naming primaryIdentity, and writes nothing", async () => {
    const error = await rejectionOf(() => schemas.create({ title: "No identity", enableProfile: true }));

    expect(error.message).toMatch(/primaryIdentity.*needs a primary identity/);
    expect(await writes(emu)).toEqual([]);
  });

  it("refuses to disable Profile or drop a field group in place", async () => {
    const group = await fieldGroups.create({ title: "Audience fields", fields: FIELDS, ...OWNER });
    const declared = { title: "Audience membership", fieldGroupIds: [group.id], primaryIdentity: { path: "personID", namespace: "Email" }, enableProfile: true };
    const schema = await schemas.create(declared);

    expect((await rejectionOf(() => schemas.update(schema, { ...declared, enableProfile: false }))).message).toMatch(/cannot be disabled/);
    expect((await rejectionOf(() => schemas.update(schema, { ...declared, fieldGroupIds: [] }))).message).toMatch(/removing field groups/);
  });
});

describe("made in the Schemas UI", () => {
  it("is adopted by title, checked, and never changed or deleted", async () => {
    const ui = await seedMembershipSchema(emu, FIELDS, "Audience membership");
    await emu.clearRequests();
    const groupTitle = "Audience membership fields";

    const group = await fieldGroups.create({ title: groupTitle, fields: FIELDS, adoptExisting: true });
    const schema = await schemas.create({ title: "Audience membership", fieldGroupIds: [group.id], primaryIdentity: { path: "personID", namespace: "Email" }, enableProfile: true, adoptExisting: true });
    await schemas.destroy(schema);
    await fieldGroups.destroy(group);

    expect(group.outs).toMatchObject({ fieldGroupId: ui.fieldGroupId, adopted: true, tenantNamespace: ui.tenantNamespace });
    expect(schema.outs).toMatchObject({ schemaId: ui.schemaId, adopted: true, profileEnabled: true });
    expect(await writes(emu)).toEqual([]);
    expect((await lookup("schemas", ui.schemaId)).status).toBe(200);
  });

  it("fails, naming what is missing and writing nothing, when the UI's field group lacks a declared field", async () => {
    await seedMembershipSchema(emu, { audienceMembershipId: { type: "string" } }, "Audience membership");
    await emu.clearRequests();

    const error = await rejectionOf(() => fieldGroups.create({ title: "Audience membership fields", fields: FIELDS, adoptExisting: true }));

    expect(error.message).toContain("lacks audienceMemberships (array)");
    expect(error.message).toContain("add it in the AEP UI");
    expect(await writes(emu)).toEqual([]);
  });
});
