/**
 * The contract: the provider calls no Adobe endpoint that is not in Adobe's OpenAPI specs. The
 * only exceptions are written down in docs/ADOBE-API.md.
 */
import { readdirSync, readFileSync, statSync } from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { defaultSpecDir, missingSpecFiles, SPEC_FILES } from "../../emulator/spec-validator";

/** Documented by Adobe outside the specs (see docs/ADOBE-API.md). */
const DOCUMENTED_EXCEPTIONS = new Set(["POST /calculatedmetrics"]);

const METHODS = ["get", "post", "put", "patch", "delete"];

interface SpecDoc {
  /** OpenAPI 3. */
  servers?: { url?: string }[];
  /** Swagger 2.0 (aep-schema-registry.yaml). */
  basePath?: string;
  paths: Record<string, Record<string, unknown>>;
}

function specDocs(dir: string): SpecDoc[] {
  return Object.values(SPEC_FILES).map((file) => {
    const text = readFileSync(path.join(dir, file), "utf8");
    return (file.endsWith(".json") ? JSON.parse(text) : parseYaml(text)) as SpecDoc;
  });
}

/** The path every operation of the spec is relative to: OpenAPI 3 `servers[0].url`, Swagger 2 `basePath`. */
function basePath(doc: SpecDoc): string {
  return (doc.servers?.[0]?.url ?? doc.basePath ?? "").replace(/^([a-z]+:)?\/\/[^/]*/i, "").replace(/\/+$/, "");
}

/** The specs' base paths (a provider constant may hold one, e.g. `BASE = "/data/foundation/schemaregistry"`). */
function specBasePaths(dir: string): Set<string> {
  return new Set(specDocs(dir).map(basePath).filter((b) => b !== ""));
}

function specOperations(dir: string): Set<string> {
  const operations = new Set<string>();
  for (const doc of specDocs(dir)) {
    const base = basePath(doc);
    for (const [p, item] of Object.entries(doc.paths)) {
      for (const method of Object.keys(item).filter((m) => METHODS.includes(m))) {
        operations.add(`${method.toUpperCase()} ${shape(base + p)}`);
      }
    }
  }
  return operations;
}

/** Parameter names differ between files (`{dataViewId}` / `{dataviewId}`); compare shapes. */
function shape(p: string): string {
  return p.replace(/\{[^}]+\}/g, "{}");
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith(".ts") ? [full] : [];
  });
}

/**
 * Every `method: "X", path: "/..."` pair in the provider's code, and every other string that looks
 * like an Adobe path (`ANY /data/...`: a path kept in a variable must still exist in a spec).
 */
function providerCalls(): Array<{ call: string; file: string }> {
  const root = path.resolve(__dirname, "..", "..", "provider");
  return sourceFiles(root).flatMap((file) => {
    const text = readFileSync(file, "utf8");
    const pairs = [...text.matchAll(/method:\s*"([A-Z]+)",\s*path:\s*"([^"]+)"/g)].map((m) => ({ call: `${m[1]} ${m[2]}`, file: path.relative(root, file) }));
    const paired = new Set(pairs.map((p) => p.call.slice(p.call.indexOf(" ") + 1)));
    const loose = [...text.matchAll(/"(\/(?:data|calculatedmetrics)[^"\s]*)"/g)]
      .map((m) => m[1])
      .filter((literal) => !paired.has(literal))
      .map((literal) => ({ call: `ANY ${literal}`, file: path.relative(root, file) }));
    return [...pairs, ...loose];
  });
}

describe("Adobe endpoints the provider calls", () => {
  const dir = defaultSpecDir();

  it("has Adobe's specs to check against", () => {
    expect({ dir, missing: missingSpecFiles(dir) }).toEqual({ dir, missing: [] });
  });

  it("names every endpoint it calls in Adobe's specs, or in the documented exceptions", () => {
    const operations = specOperations(dir);
    const calls = providerCalls();
    expect(calls.filter(({ call }) => !call.startsWith("ANY ")).length).toBeGreaterThan(25);
    const paths = new Set([...operations].map((op) => op.slice(op.indexOf(" ") + 1)));
    const bases = specBasePaths(dir);
    const undocumented = calls.filter(({ call }) => {
      const [method, p] = call.split(" ");
      if (method === "ANY") return !paths.has(shape(p)) && !bases.has(p);
      return !operations.has(`${method} ${shape(p)}`) && !DOCUMENTED_EXCEPTIONS.has(call);
    });
    expect(undocumented).toEqual([]);
  });

  it("still needs each documented exception (an exception Adobe fixed in its spec is removed here)", () => {
    const operations = specOperations(dir);
    for (const exception of DOCUMENTED_EXCEPTIONS) {
      const [method, p] = exception.split(" ");
      expect(operations.has(`${method} ${shape(p)}`)).toBe(false);
    }
  });
});
