/**
 * The published segment payloads (tests/corpus/segments/) through the Filter's pieces: the
 * client's parsers, the emulator's validator, and the Filter's read: a filter whose live
 * definition is a published one reads back as a definition that compiles to it (no drift), or as
 * a stable note when the readable form cannot write it.
 */
import { readdirSync, readFileSync } from "fs";
import * as path from "path";
import { segmentSchema, segmentValidationSchema } from "../../provider/adobe/cja/segments";
import { pageOf } from "../../provider/adobe/cja/pages";
import { compileFilter, componentsOf, decompileFilter, filterDefinitionsEqual } from "../../provider/runtime/filter-definition";
import type { TestEmulator } from "../helpers/emulator";
import { Engine, ORG_ADMIN, seedAjo, startProvider, startResourceEmulator, TEMPLATE_DATA_VIEW_ID, type Props } from "../resources/support";

interface CorpusFile {
  file: string;
  endpoint: string;
  direction: "request" | "response";
  payload: unknown;
}

const DIR = path.join(__dirname, "segments");
const files: CorpusFile[] = readdirSync(DIR)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((file) => ({ file, ...(JSON.parse(readFileSync(path.join(DIR, file), "utf8")) as Omit<CorpusFile, "file">) }));
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Each segment definition a payload holds: the payload, its `definition`, or its list items'. */
function definitionsIn(payload: unknown): Record<string, unknown>[] {
  if (Array.isArray(payload)) return payload.flatMap(definitionsIn);
  if (!isObject(payload)) return [];
  if (isObject(payload.container)) return [payload];
  if (isObject(payload.definition)) return [payload.definition];
  return Array.isArray(payload.content) ? payload.content.flatMap(definitionsIn) : [];
}

const definitions = files.flatMap((f) => definitionsIn(f.payload).map((definition, i) => ({ name: `${f.file}#${i}`, definition })));
/** Written by Adobe's segments guide only, with a root no other source has (docs/ADOBE-API.md). */
const SEGMENT_DEF_ROOT = (d: Record<string, unknown>) => d.func === "segment-def";

describe("published segment answers", () => {
  it("parse with the client's schemas: segments, lists, validate answers", () => {
    // The answers of an endpoint (the definition-only exports of open-adobe-analytics-components are not).
    const answers = files.filter((c) => c.direction === "response" && /^(GET|POST) \/.*segments/.test(c.endpoint));
    expect(answers.length).toBeGreaterThanOrEqual(5);
    for (const f of answers) {
      const schema = f.endpoint.includes("/validate") ? segmentValidationSchema : Array.isArray(f.payload) || Array.isArray((f.payload as Props).content) ? pageOf(segmentSchema) : segmentSchema;
      const result = schema.safeParse(f.payload);
      expect({ file: f.file, ok: result.success, error: result.success ? undefined : result.error.message }).toEqual({ file: f.file, ok: true, error: undefined });
    }
  });

  it("hold the definitions the tests below read", () => {
    expect(definitions.length).toBeGreaterThanOrEqual(8);
  });
});

describe("published segment definitions", () => {
  let emu: TestEmulator;
  const filters = new Engine("cja:Filter");
  const DV = TEMPLATE_DATA_VIEW_ID;

  beforeAll(async () => {
    emu = await startResourceEmulator();
    await seedAjo(emu);
    // The data view gets every component the published definitions name, as the UI would have it.
    for (const id of new Set(definitions.flatMap((d) => componentsOf(d.definition)))) {
      const kind = id.startsWith("metrics/") ? "metrics" : "dimensions";
      await emu.admin("PUT", `${ORG_ADMIN}/dataviews/${DV}/${kind}/${encodeURIComponent(id)}`, { name: id });
    }
    startProvider(emu);
  });

  afterAll(async () => {
    await emu?.close();
  });

  it.each(definitions.map((d) => [d.name, d.definition] as const))("%s: Adobe's validator (the emulator's) takes it, but the segments guide's segment-def root", async (_name, definition) => {
    const res = await emu.call<{ valid: boolean; message?: string }>("POST", "/segments/validate", { body: { name: "Corpus", dataId: DV, definition } });
    expect(res.status).toBe(200);
    if (SEGMENT_DEF_ROOT(definition)) expect(res.body).toMatchObject({ valid: false, message: expect.stringContaining("definition.func must be segment") });
    else expect(res.body).toMatchObject({ valid: true });
  });

  it.each(definitions.filter((d) => !SEGMENT_DEF_ROOT(d.definition)).map((d) => [d.name, d.definition] as const))(
    "%s: a filter holding it reads back without drift, or as a note that stays the same",
    async (_name, definition) => {
      const made = await emu.call<{ id: string }>("POST", "/segments", { body: { name: "Corpus", dataId: DV, definition } });
      expect(made.status).toBe(200);
      // The state of a Filter whose definition Adobe now holds as published.
      const declared = { context: "event", rules: [{ dimension: "variables/placeholder", exists: true }] };
      const outs: Props = { dataViewId: DV, name: "Corpus", definition: declared, adobeDefinition: compileFilter(declared), filterId: made.body.id };
      const once = await filters.handler.read(made.body.id, outs);
      const twice = await filters.handler.read(made.body.id, once.props!);
      const read = once.props!.definition;
      let readable: unknown;
      try {
        readable = decompileFilter(definition);
      } catch {
        readable = undefined;
      }
      if (readable === undefined) {
        expect(read).toMatch(/^\(Adobe's definition has no readable form: /);
      } else {
        expect(read).toEqual(readable);
        expect(filterDefinitionsEqual(compileFilter(read), definition)).toBe(true);
      }
      expect(twice.props!.definition).toEqual(read);
    },
  );
});
