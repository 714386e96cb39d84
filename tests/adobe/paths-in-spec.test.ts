/**
 * Every Adobe path the client calls is in Adobe's OpenAPI specs with that method (full path,
 * the spec's server base path included), except POST /calculatedmetrics, which is in Adobe's
 * guide but not in cja.json.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { testSpecDir } from "../helpers/emulator";

const SPECS: Array<{ file: string; base: string }> = [
  { file: "cja.json", base: "" },
  { file: "aep-segmentation.yaml", base: "/data/core/ups" },
  { file: "aep-catalog.yaml", base: "/data/foundation/catalog" },
  { file: "aep-query-service.yaml", base: "/data/foundation/query" },
];
const GUIDE_ONLY = new Set(["POST /calculatedmetrics"]);

function specOperations(): Set<string> {
  const dir = testSpecDir();
  const ops = new Set<string>();
  for (const { file, base } of SPECS) {
    const text = fs.readFileSync(path.join(dir, file), "utf8");
    const doc = (file.endsWith(".json") ? JSON.parse(text) : parse(text)) as { paths: Record<string, Record<string, unknown>> };
    for (const [p, item] of Object.entries(doc.paths)) {
      for (const method of Object.keys(item)) ops.add(`${method.toUpperCase()} ${base}${p}`);
    }
  }
  return ops;
}

function calledOperations(): string[] {
  const root = path.join(__dirname, "../../provider/adobe");
  const files = ["cja", "aep"].flatMap((d) => fs.readdirSync(path.join(root, d)).map((f) => path.join(root, d, f)));
  const calls: string[] = [];
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    for (const m of text.matchAll(/method:\s*"(\w+)",\s*path:\s*"([^"]+)"/g)) calls.push(`${m[1]} ${m[2]}`);
    const literals = [...text.matchAll(/"(\/(?:data|calculatedmetrics)[^"]*)"/g)].map((m) => m[1]);
    const paired = new Set([...text.matchAll(/method:\s*"\w+",\s*path:\s*"([^"]+)"/g)].map((m) => m[1]));
    for (const literal of literals) if (!paired.has(literal)) calls.push(`ANY ${literal}`);
  }
  return calls;
}

it("calls only operations in Adobe's specs (or Adobe's guide, where noted)", () => {
  const ops = specOperations();
  const paths = new Set([...ops].map((op) => op.slice(op.indexOf(" ") + 1)));
  const calls = calledOperations();
  expect(calls.length).toBeGreaterThan(25);
  const unknown = calls.filter((call) => {
    if (GUIDE_ONLY.has(call)) return false;
    return call.startsWith("ANY ") ? !paths.has(call.slice(4)) : !ops.has(call);
  });
  expect(unknown).toEqual([]);
});
