/**
 * The diff and check rules every resource shares (provider/runtime/resource-handler.ts), on a
 * small resource with no Adobe behind it.
 */
import { handler as runtimeHandler } from "../../provider/runtime/handlers";
import { z } from "zod";
import { defineResource } from "../../provider/runtime/resource-handler";
import { UNKNOWN_SENTINELS } from "../../provider/runtime/unknowns";

// No Adobe behind this resource: the credentials check of `check` (one IMS token per run) is a no-op here.
jest.mock("../../provider/runtime/client", () => ({ ...jest.requireActual("../../provider/runtime/client"), verifyCredentials: async () => undefined }));

const UNKNOWN = [...UNKNOWN_SENTINELS][0];

const inputs = z.strictObject({
  lookupId: z.string().min(1).optional(),
  name: z.string().min(1),
  mode: z.preprocess((v) => (typeof v === "string" ? v.toUpperCase() : v), z.enum(["FAST", "SLOW"])).optional(),
  tags: z.array(z.string()).optional(),
  parent: z.string().min(1),
});
type Inputs = z.infer<typeof inputs>;

const handler = defineResource<Inputs, Inputs & Record<string, unknown>>({
  type: "test:Thing",
  inputs,
  replaceOnChanges: ["parent"],
  computedWhenOmitted: ["lookupId"],
  canonical: (key, value) => (key === "mode" && typeof value === "string" ? value.toUpperCase() : value),
  create: async (i) => ({ id: "thing-1", outs: { ...i, lookupId: i.lookupId ?? "resolved-1" } }),
  read: async (_id, outs) => outs,
  update: async (_id, _olds, news) => news,
  delete: async () => undefined,
});

describe("diff", () => {
  const olds = { lookupId: "resolved-1", name: "a", mode: "fast", tags: ["x"], parent: "p1" };

  it("sees no change when only Adobe's casing and the provider-filled id differ", async () => {
    expect(await handler.diff("thing-1", olds, { name: "a", mode: "FAST", tags: ["x"], parent: "p1" })).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("reports removing a declared input as a change", async () => {
    expect((await handler.diff("thing-1", olds, { name: "a", mode: "FAST", parent: "p1" })).changes).toBe(true);
  });

  it("names the inputs that replace the resource", async () => {
    expect(await handler.diff("thing-1", olds, { name: "b", mode: "FAST", tags: ["x"], parent: "p2" })).toEqual({ changes: true, replaces: ["parent"], deleteBeforeReplace: false });
  });

  it("treats a value unknown during preview as a change", async () => {
    expect(await handler.diff("thing-1", olds, { name: "a", mode: "FAST", tags: ["x"], parent: UNKNOWN })).toEqual({ changes: true, replaces: ["parent"], deleteBeforeReplace: false });
  });
});

describe("check", () => {
  it("names the bad field with its path", async () => {
    const result = await handler.check({}, { name: "", tags: ["ok", 5], parent: "p" });
    expect(result.failures).toEqual([
      { property: "name", reason: expect.not.stringMatching(/^name/) },
      { property: "tags", reason: expect.stringMatching(/^\[1\]: /) },
    ]);
  });

  it("lets unknown values through and keeps the serialized provider", async () => {
    const result = await handler.check({}, { __provider: "text", name: UNKNOWN, parent: UNKNOWN, tags: UNKNOWN });
    expect(result.failures ?? []).toEqual([]);
    expect(result.inputs).toMatchObject({ __provider: "text" });
  });

  it("returns the parsed inputs, normalised, with the serialized provider", async () => {
    const result = await handler.check({}, { __provider: "text", name: "a", mode: "slow", parent: "p" });
    expect(result).toEqual({ inputs: { __provider: "text", name: "a", mode: "SLOW", parent: "p" } });
  });
});

describe("outputs", () => {
  it("are plain JSON with every input and what create added", async () => {
    const created = await handler.create({ __provider: "text", name: "a", parent: "p", tags: undefined });
    expect(created).toEqual({ id: "thing-1", outs: { name: "a", parent: "p", lookupId: "resolved-1" } });
  });

  it("read returns the inputs that would lead to the live state, for an accurate diff after refresh", async () => {
    const read = await handler.read("thing-1", { __provider: "text", name: "a", parent: "p", lookupId: "resolved-1", extra: 1 });
    expect(read).toEqual({ id: "thing-1", props: { name: "a", parent: "p", lookupId: "resolved-1", extra: 1 }, inputs: { name: "a", parent: "p", lookupId: "resolved-1" } });
  });
});

describe("handler", () => {
  const TYPES = ["cja:DataView", "cja:CalculatedMetric", "cja:Filter", "cja:DateRange", "cja:Connection", "cja:Dimension", "cja:Metric", "aep:FieldGroup", "aep:Schema", "aep:Dataset", "aep:AudienceExportJob", "aep:AudienceMembershipTransform"];

  it("answers each type's runtime, and names the known types for an unknown one", () => {
    for (const type of TYPES) expect(typeof runtimeHandler(type).check).toBe("function");
    expect(() => runtimeHandler("cja:Segment")).toThrow(`pulumi-adobe-cja: no resource type cja:Segment in this version of the package (known: ${TYPES.join(", ")})`);
    expect(() => runtimeHandler("constructor")).toThrow("no resource type constructor");
  });

  it("loads a type's module only when a resource of that type is first called: a CJA-only stack never loads the AEP ones", () => {
    let loaded = 0;
    jest.isolateModules(() => {
      jest.doMock("../../provider/runtime/resources/schema", () => {
        loaded += 1;
        return { schemaHandler: { check: async () => ({}) } };
      });
      const isolated = jest.requireActual<typeof import("../../provider/runtime/handlers")>("../../provider/runtime/handlers");
      isolated.handler("cja:DataView");
      expect(loaded).toBe(0);
      isolated.handler("aep:Schema");
      isolated.handler("aep:Schema");
      expect(loaded).toBe(1);
    });
  });
});
