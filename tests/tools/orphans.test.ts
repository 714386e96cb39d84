/**
 * The orphan finder's reading of a checkpoint and its Catalog lookup, against the emulator over
 * HTTP (the data view cases run through the real CLI in e2e/kill-rerun.test.ts): a dataset carrying
 * a held resource's key under another id is an orphan, one of a pending create is that create's.
 */
import { declaredResources, deleteFindings, findOrphans, type Checkpoint } from "../../provider/tools/orphans";
import { startTestEmulator, TEST_ORG, type TestEmulator } from "../helpers/emulator";
import { PROFILE_UNION } from "../resources/aep-fixtures";
import { Engine, startProvider } from "../resources/support";

const datasets = new Engine("aep:Dataset");
const DATASET = "pulumi-nodejs:dynamic/aep:Dataset";
const owner = (name: string) => `organization/audiences-cja/dev/aep:Dataset/${name}`;

let emu: TestEmulator;

beforeAll(async () => {
  emu = await startTestEmulator();
  startProvider(emu);
});
afterAll(async () => {
  await emu?.close();
});

it("lists a second dataset carrying a held resource's key as an orphan, and a pending create's dataset as that create's", async () => {
  const held = await datasets.create({ name: "Export", schemaId: PROFILE_UNION, __owner: owner("export") });
  // The state records who declared it, which the finder derives the key from.
  expect(held.outs.__owner).toBe(owner("export"));
  const pending = await datasets.create({ name: "Pending", schemaId: PROFILE_UNION, __owner: owner("pending") });
  const checkpoint: Checkpoint = {
    deployment: {
      resources: [{ urn: "urn:pulumi:dev::audiences-cja::aep:Dataset::export", type: DATASET, id: "0123456789abcdef01234567", inputs: { __owner: owner("export") } }],
      pending_operations: [{ type: "creating", resource: { urn: "urn:pulumi:dev::audiences-cja::aep:Dataset::pending", type: DATASET, inputs: { __owner: owner("pending") } } }],
    },
  };

  const findings = await findOrphans(declaredResources(checkpoint, TEST_ORG));

  expect(findings.map((f) => [f.kind, f.id]).sort()).toEqual(
    [
      ["orphan", held.id],
      ["pending-create", pending.id],
    ].sort(),
  );
});

it("a pending create of a resource the state holds is stale and not listed", () => {
  const urn = "urn:pulumi:dev::audiences-cja::aep:Dataset::export";
  const checkpoint: Checkpoint = {
    deployment: {
      resources: [{ urn, type: DATASET, id: "0123456789abcdef01234567", inputs: { __owner: owner("export") } }],
      pending_operations: [{ type: "creating", resource: { urn, type: DATASET, inputs: { __owner: owner("export") } } }],
    },
  };
  expect(declaredResources(checkpoint, TEST_ORG).map((d) => d.id)).toEqual(["0123456789abcdef01234567"]);
});

it("lists a field group and a schema carrying a held resource's key under another id, found by title, and deletes them on request", async () => {
  const fieldGroups = new Engine("aep:FieldGroup");
  const schemas = new Engine("aep:Schema");
  const fgOwner = "organization/audiences-cja/dev/aep:FieldGroup/audience-membership";
  const schemaOwner = "organization/audiences-cja/dev/aep:Schema/audience-membership";
  const group = await fieldGroups.create({ title: "Orphan fields", fields: { audienceMembershipId: { type: "string" } }, __owner: fgOwner });
  const schema = await schemas.create({ title: "Orphan schema", fieldGroupIds: [group.id], __owner: schemaOwner });
  const urn = (type: string) => `urn:pulumi:dev::audiences-cja::${type}::audience-membership`;
  const checkpoint: Checkpoint = {
    deployment: {
      resources: [
        { urn: urn("aep:Schema"), type: "pulumi-nodejs:dynamic/aep:Schema", id: "https://ns.adobe.com/x/schemas/held", inputs: { title: "Orphan schema", __owner: schemaOwner } },
        { urn: urn("aep:FieldGroup"), type: "pulumi-nodejs:dynamic/aep:FieldGroup", id: group.id, inputs: { title: "Orphan fields", __owner: fgOwner } },
      ],
    },
  };

  const findings = await findOrphans(declaredResources(checkpoint, TEST_ORG));

  expect(findings.map((f) => [f.kind, f.type, f.id])).toEqual([["orphan", "aep:Schema", schema.id]]);
  await deleteFindings(findings, { orphans: true, copies: false });
  const lookup = await emu.call("GET", `/data/foundation/schemaregistry/tenant/schemas/${encodeURIComponent(schema.id)}`, { headers: { accept: "application/vnd.adobe.xed+json; version=1" } });
  expect(lookup.status).toBe(404);
});
