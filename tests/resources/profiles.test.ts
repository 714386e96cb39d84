/**
 * `profile`: one program, two sandboxes (or orgs). Each resource's calls run with its
 * `adobe:profiles` entry's settings over the stack's, so what it makes lands in that sandbox, and
 * its delete, refresh and replace go there too.
 */
import type { TestEmulator } from "../helpers/emulator";
import { startTestEmulator } from "../helpers/emulator";
import { InputError } from "../../provider/runtime/resource-handler";
import { AJO_CONNECTION_ID, Engine, expectFailure, rejectionOf, requestLines, seedAjo, startProvider, writes, type Props } from "./support";

const fieldGroups = new Engine("aep:FieldGroup");
const connections = new Engine("cja:Connection");
const REGISTRY = "/data/foundation/schemaregistry";
const FIELDS = { loyaltyTier: { type: "string" } };
const OWNER = { __owner: "organization/loyalty/dev/aep:FieldGroup/loyalty" };
const PROFILES = { development: { sandbox: "dev" } };

let emu: TestEmulator;

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu?.close();
});
beforeEach(async () => {
  await emu.reset();
  await seedAjo(emu);
  startProvider(emu, { "adobe:profiles": JSON.stringify(PROFILES) });
  await emu.clearRequests();
});

/** The titles of the field groups a sandbox holds. */
async function fieldGroupTitles(sandbox: string): Promise<string[]> {
  const res = await emu.call<{ results: Array<{ title: string }> }>("GET", `${REGISTRY}/tenant/fieldgroups`, {
    headers: { accept: "application/vnd.adobe.xed-id+json", "x-sandbox-name": sandbox },
  });
  return res.body.results.map((r) => r.title).sort();
}

describe("a resource with a profile", () => {
  it("is made in the profile's sandbox, outputs its profile, and is deleted there", async () => {
    const prod = await fieldGroups.create({ title: "Loyalty fields", fields: FIELDS, ...OWNER });
    const dev = await fieldGroups.create({ title: "Loyalty fields", fields: FIELDS, profile: "development", __owner: "organization/loyalty/dev/aep:FieldGroup/loyalty-dev" });

    expect(await fieldGroupTitles("prod")).toEqual(["Loyalty fields"]);
    expect(await fieldGroupTitles("dev")).toEqual(["Loyalty fields"]);
    expect(dev.outs.profile).toBe("development");
    expect(prod.outs.profile).toBeUndefined();
    expect((await fieldGroups.refresh(dev))?.outs).toMatchObject({ profile: "development", title: "Loyalty fields" });

    await fieldGroups.destroy(dev);
    expect(await fieldGroupTitles("dev")).toEqual([]);
    expect(await fieldGroupTitles("prod")).toEqual(["Loyalty fields"]);
  });

  it("moving a resource to another profile replaces it, the old one deleted first (it carries the same ownership key)", async () => {
    const prod = await fieldGroups.create({ title: "Loyalty fields", fields: FIELDS, ...OWNER });
    expect(await fieldGroups.preview(prod, { title: "Loyalty fields", fields: FIELDS, profile: "development", ...OWNER })).toMatchObject({ changes: true, replaces: ["profile"], deleteBeforeReplace: true });
    expect(await fieldGroups.preview(prod, { title: "Loyalty fields", fields: FIELDS, ...OWNER })).toMatchObject({ changes: false, replaces: [] });
  });

  it("a lookup reads with its profile's settings", async () => {
    const conn = await connections.read({ connectionId: AJO_CONNECTION_ID, profile: "development" });
    expect(conn.outs).toMatchObject({ connectionId: AJO_CONNECTION_ID, profile: "development" });
  });

  it("a profile that is not declared fails in check (a lookup's read), naming profile and the declared ones, with no request", async () => {
    const checked = await fieldGroups.check({ title: "Loyalty fields", fields: FIELDS, profile: "staging" });
    expectFailure(checked.failures, "profile", /^profile: no profile "staging" in adobe:profiles \(declared: development\)/);

    const error = await rejectionOf(() => connections.read({ connectionId: AJO_CONNECTION_ID, profile: "staging" }));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain('property profile value "staging" has a problem: no profile "staging" in adobe:profiles');
    expect(await requestLines(emu)).toEqual([]);
  });

  it("a profile's own wrong client secret stops its resources' check, naming the profile's setting; the stack's resources pass", async () => {
    startProvider(emu, { "adobe:profiles": JSON.stringify({ ...PROFILES, broken: { clientSecret: "not-the-secret" } }) });
    const error = await rejectionOf(() => fieldGroups.check({ title: "Loyalty fields", fields: FIELDS, profile: "broken" }));
    expect(error.message).toMatch(/^IMS POST \/ims\/token\/v3 failed: 401 invalid_client/);
    expect(error.message).not.toContain("not-the-secret");
    expect((await fieldGroups.check({ title: "Loyalty fields", fields: FIELDS })).failures ?? []).toEqual([]);
    expect(await writes(emu)).toEqual([]);
  });

  it("an empty profile name is refused in check", async () => {
    const checked = await fieldGroups.check({ title: "Loyalty fields", fields: FIELDS, profile: " " } as Props);
    expectFailure(checked.failures, "profile", /^profile: must be the name of an adobe:profiles entry$/);
  });
});
