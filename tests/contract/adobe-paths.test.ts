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

function specOperations(dir: string): Set<string> {
  const operations = new Set<string>();
  for (const file of Object.values(SPEC_FILES)) {
    const text = readFileSync(path.join(dir, file), "utf8");
    const doc = (file.endsWith(".json") ? JSON.parse(text) : parseYaml(text)) as {
      servers?: { url?: string }[];
      paths: Record<string, Record<string, unknown>>;
    };
    const base = (doc.servers?.[0]?.url ?? "").replace(/^([a-z]+:)?\/\/[^/]*/i, "").replace(/\/+$/, "");
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
    const undocumented = calls.filter(({ call }) => {
      const [method, p] = call.split(" ");
      if (method === "ANY") return !paths.has(shape(p));
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
