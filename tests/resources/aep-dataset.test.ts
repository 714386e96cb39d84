/**
 * aep:Dataset against the emulator's Catalog: the stack creates the export target on the Profile
 * union schema (the AEP UI cannot), or adopts a dataset made in the UI by id or by name; only a
 * dataset the stack created is deleted with it.
 */
import type { TestEmulator } from "../helpers/emulator";
import { startTestEmulator } from "../helpers/emulator";
import { catalogDataset, PROFILE_UNION, seedDataset, type SeededDataset } from "./aep-fixtures";
import { Engine, rejectionOf, requestLines, startProvider, writes } from "./support";

const datasets = new Engine("aep:Dataset");
const DATASETS = "/data/foundation/catalog/dataSets";
const MEMBERSHIP_SCHEMA = "https://ns.adobe.com/acme/schemas/audience-membership";

let emu: TestEmulator;
let uiDataset: SeededDataset;

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu?.close();
});
beforeEach(async () => {
  await emu.reset();
  uiDataset = await seedDataset(emu, "Audience Membership Profile Dataset", MEMBERSHIP_SCHEMA);
  startProvider(emu);
  await emu.clearRequests();
});

describe("a dataset the stack creates", () => {
  it("is created on the Profile union schema and outputs its id, table and schema", async () => {
    const ds = await datasets.create({ name: "Segment Export Job Dataset for CJA", description: "Audience export target", schemaId: PROFILE_UNION });

    const live = await catalogDataset(emu, ds.id);
    expect(ds.id).toMatch(/^[0-9a-f]{24}$/);
    expect(ds.outs).toMatchObject({ datasetId: ds.id, name: "Segment Export Job Dataset for CJA", tableName: "segment_export_job_dataset_for_cja", schemaId: PROFILE_UNION });
    expect(live).toMatchObject({ name: "Segment Export Job Dataset for CJA", description: "Audience export target", schemaRef: { id: PROFILE_UNION } });
    expect(await writes(emu)).toEqual([`POST ${DATASETS} 201`]);
  });

  it("is deleted with the stack", async () => {
    const ds = await datasets.create({ name: "Segment Export Job Dataset for CJA", schemaId: PROFILE_UNION });
    await emu.clearRequests();

    await datasets.destroy(ds);

    expect(await catalogDataset(emu, ds.id)).toBeUndefined();
    expect(await writes(emu)).toEqual([`DELETE ${DATASETS}/:DATASET_ID 200`]);
  });

  it("is not created over an existing dataset of the same name", async () => {
    const error = await rejectionOf(() => datasets.create({ name: uiDataset.name, schemaId: PROFILE_UNION }));

    expect(error.message).toContain(`a dataset with this name already exists (${uiDataset.id})`);
    expect(error.message).toContain("adoptExisting");
    expect(await writes(emu)).toEqual([]);
  });

  it("carries its ownership key in the Catalog tag pulumi/owner: a create run again after a crash adopts it, no second POST", async () => {
    const owner = { __owner: "organization/audiences-cja/dev/aep:Dataset/export-dataset" };
    const first = await datasets.create({ name: "Segment Export Job Dataset for CJA", schemaId: PROFILE_UNION, ...owner });
    const live = await catalogDataset(emu, first.id);
    expect((live?.tags as Record<string, string[]>)["pulumi/owner"]).toEqual([expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-/)]);
    startProvider(emu);
    await emu.clearRequests();

    const again = await datasets.create({ name: "Segment Export Job Dataset for CJA", schemaId: PROFILE_UNION, ...owner });

    expect(again.id).toBe(first.id);
    expect(again.outs.adopted).toBe(false);
    expect(await writes(emu)).toEqual([]);
    // Another stack's resource of the same name is not given this dataset.
    const other = await rejectionOf(() => datasets.create({ name: "Segment Export Job Dataset for CJA", schemaId: PROFILE_UNION, __owner: "organization/audiences-cja/prod/aep:Dataset/export-dataset" }));
    expect(other.message).toContain(`a dataset with this name already exists (${first.id})`);
  });

  it("two datasets carrying the key (two runs at once) are not chosen between: the error names both, nothing is written", async () => {
    const owner = { __owner: "organization/audiences-cja/dev/aep:Dataset/export-dataset" };
    const first = await datasets.create({ name: "Segment Export Job Dataset for CJA", schemaId: PROFILE_UNION, ...owner });
    const key = ((await catalogDataset(emu, first.id))?.tags as Record<string, string[]>)["pulumi/owner"][0];
    const twin = await emu.call<string[]>("POST", DATASETS, {
      body: { name: "Segment Export Job Dataset for CJA", schemaRef: { id: PROFILE_UNION, contentType: "application/vnd.adobe.xed+json;version=1" }, tags: { "pulumi/owner": [key] } },
    });
    expect(twin.status).toBe(201);
    startProvider(emu);
    await emu.clearRequests();

    const error = await rejectionOf(() => datasets.create({ name: "Segment Export Job Dataset for CJA", schemaId: PROFILE_UNION, ...owner }));

    expect(error.message).toContain(`2 datasets carry this resource's ownership key ${key} (`);
    expect(error.message).toContain(first.id);
    expect(error.message).toContain("two runs of this stack created it at the same time");
    expect(await writes(emu)).toEqual([]);
  });

  it("a POST whose answer was lost is not repeated: the lookup by ownership key finds the dataset", async () => {
    await emu.setFaults({ script: [{ match: { method: "POST", route: DATASETS }, times: 1, action: { dropAfter: true } }] });

    const ds = await datasets.create({ name: "Segment Export Job Dataset for CJA", schemaId: PROFILE_UNION, __owner: "organization/audiences-cja/dev/aep:Dataset/export-dataset" });

    const lines = (await requestLines(emu)).filter((l) => l.includes(DATASETS));
    expect(lines.filter((l) => l.startsWith("POST"))).toEqual([`POST ${DATASETS} 0`]);
    expect(await catalogDataset(emu, ds.id)).toMatchObject({ name: "Segment Export Job Dataset for CJA" });
  });

  it("refresh reports it gone after someone deleted it in the UI", async () => {
    const ds = await datasets.create({ name: "Segment Export Job Dataset for CJA", schemaId: PROFILE_UNION });
    expect(await emu.call("DELETE", `${DATASETS}/${ds.id}`)).toMatchObject({ status: 200 });

    expect(await datasets.refresh(ds)).toBeUndefined();
    // and destroying what is already gone is done
    await expect(datasets.destroy(ds)).resolves.toBeUndefined();
  });

  it("replaces the dataset when its name or schema changes", async () => {
    const ds = await datasets.create({ name: "Segment Export Job Dataset for CJA", schemaId: PROFILE_UNION });

    expect(await datasets.preview(ds, { name: "Renamed", schemaId: PROFILE_UNION })).toMatchObject({ changes: true, replaces: ["name"] });
    expect(await datasets.preview(ds, { name: "Segment Export Job Dataset for CJA", schemaId: PROFILE_UNION })).toMatchObject({ changes: false });
  });

  it("sets a new description in place (PATCH), keeping its id: a replacement would first create a second dataset of the same name", async () => {
    const declared = { name: "Segment Export Job Dataset for CJA", description: "Audience export target", schemaId: PROFILE_UNION };
    const ds = await datasets.create(declared);
    await emu.clearRequests();
    const described = { ...declared, description: "Audience export target, refreshed daily" };

    expect(await datasets.preview(ds, described)).toMatchObject({ changes: true, replaces: [] });
    const updated = await datasets.update(ds, described);

    expect(updated.id).toBe(ds.id);
    expect(await catalogDataset(emu, ds.id)).toMatchObject({ name: declared.name, description: "Audience export target, refreshed daily" });
    expect(await writes(emu)).toEqual([`PATCH ${DATASETS}/:DATASET_ID 200`]);
  });
});

describe("a dataset made in the AEP UI", () => {
  it("is adopted by id without any write, and outputs its schema and table", async () => {
    const ds = await datasets.create({ name: uiDataset.name, datasetId: uiDataset.id });

    expect(ds.id).toBe(uiDataset.id);
    expect(ds.outs).toMatchObject({ datasetId: uiDataset.id, tableName: uiDataset.table, schemaId: MEMBERSHIP_SCHEMA });
    expect(await writes(emu)).toEqual([]);
  });

  it("is adopted by name without any write", async () => {
    const ds = await datasets.create({ name: uiDataset.name, adoptExisting: true });

    expect(ds.id).toBe(uiDataset.id);
    expect(ds.outs).toMatchObject({ datasetId: uiDataset.id, tableName: uiDataset.table, schemaId: MEMBERSHIP_SCHEMA });
    expect(await writes(emu)).toEqual([]);
    expect(await requestLines(emu)).toContain(`GET ${DATASETS} 200`);
  });

  it("is adopted only when it uses the declared schema", async () => {
    const error = await rejectionOf(() => datasets.create({ name: uiDataset.name, adoptExisting: true, schemaId: PROFILE_UNION }));

    expect(error.message).toContain(`uses schema ${MEMBERSHIP_SCHEMA}, not the declared ${PROFILE_UNION}`);
  });

  it("adopting a name no dataset has fails and says to give the id", async () => {
    const error = await rejectionOf(() => datasets.create({ name: "No such dataset", adoptExisting: true }));

    expect(error.message).toContain('Dataset "No such dataset": no dataset has this name');
    expect(await writes(emu)).toEqual([]);
  });

  it("adopting a name two datasets share fails and says to give the id", async () => {
    await seedDataset(emu, uiDataset.name, MEMBERSHIP_SCHEMA);

    const error = await rejectionOf(() => datasets.create({ name: uiDataset.name, adoptExisting: true }));

    expect(error.message).toContain("2 datasets have this name");
  });

  it.each([
    ["by id", () => ({ name: uiDataset.name, datasetId: uiDataset.id })],
    ["by name", () => ({ name: uiDataset.name, adoptExisting: true })],
  ])("adopted %s, is left in AEP when the stack is destroyed", async (_how, inputs) => {
    const ds = await datasets.create(inputs());
    await emu.clearRequests();

    await datasets.destroy(ds);

    expect(await catalogDataset(emu, uiDataset.id)).toMatchObject({ name: uiDataset.name });
    expect(await writes(emu)).toEqual([]);
  });

  it("a new description of an adopted dataset is never written: the dataset is someone else's", async () => {
    const ds = await datasets.create({ name: uiDataset.name, adoptExisting: true });
    await emu.clearRequests();
    await datasets.update(ds, { name: uiDataset.name, adoptExisting: true, description: "mine now" });
    expect(await writes(emu)).toEqual([]);
  });

  it("refresh of an adopted dataset reads it, and reports it gone when Catalog answers 404", async () => {
    const ds = await datasets.create({ name: uiDataset.name, adoptExisting: true });

    expect((await datasets.refresh(ds))?.outs).toMatchObject({ datasetId: uiDataset.id, tableName: uiDataset.table });
    expect(await datasets.refresh({ ...ds, id: "0123456789abcdef01234567" })).toBeUndefined();
  });
});
