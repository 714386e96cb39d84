/**
 * The package's resource classes as a user reads them in an editor: every input has TSDoc, and
 * every input comes back as an output of the same name, with TSDoc too.
 */
import { readdirSync, readFileSync } from "fs";
import * as path from "path";
import * as ts from "typescript";

const DIR = path.join(__dirname, "..", "..", "provider", "resources");
const sources = readdirSync(DIR)
  .filter((f) => f.endsWith(".ts"))
  .map((f) => ts.createSourceFile(f, readFileSync(path.join(DIR, f), "utf8"), ts.ScriptTarget.ES2022, true));

const documented = (node: ts.Node) => ts.getJSDocCommentsAndTags(node).length > 0;
const interfaces = new Map(sources.flatMap((s) => s.statements.filter(ts.isInterfaceDeclaration).map((i) => [i.name.text, i] as const)));

/** The properties of an interface and of the interfaces it extends. */
function members(name: string): ts.PropertySignature[] {
  const decl = interfaces.get(name);
  if (!decl) return [];
  const inherited = (decl.heritageClauses ?? []).flatMap((h) => h.types.flatMap((t) => members(t.expression.getText())));
  return [...decl.members.filter(ts.isPropertySignature), ...inherited];
}

const resources = sources.flatMap((s) =>
  s.statements.filter(ts.isClassDeclaration).filter((c) => c.heritageClauses?.some((h) => h.getText().includes("AdobeResource"))),
);

describe("the resource classes", () => {
  it("are found, each with its Args interface", () => {
    expect(resources.map((c) => c.name!.text).sort()).toEqual(
      ["AudienceExportJob", "AudienceMembershipTransform", "CalculatedMetric", "Connection", "DataView", "Dataset", "DateRange", "Dimension", "FieldGroup", "Filter", "Metric", "Schema"].sort(),
    );
    for (const c of resources) expect(interfaces.has(`${c.name!.text}Args`)).toBe(true);
  });

  it.each(resources.map((c) => [c.name!.text, c] as const))("%s: every input and output has TSDoc, and every input is an output", (name, cls) => {
    const inputs = members(`${name}Args`);
    const outputs = cls.members.filter(ts.isPropertyDeclaration).filter((p) => p.modifiers?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword));
    const outputNames = new Set(outputs.map((o) => o.name.getText()));
    expect({
      undocumentedInputs: inputs.filter((i) => !documented(i)).map((i) => i.name.getText()),
      undocumentedOutputs: outputs.filter((o) => !documented(o)).map((o) => o.name.getText()),
      inputsWithoutOutput: inputs.map((i) => i.name.getText()).filter((n) => !outputNames.has(n)),
    }).toEqual({ undocumentedInputs: [], undocumentedOutputs: [], inputsWithoutOutput: [] });
  });

  it("set every output they declare in the props they register, so none is undefined at run time", () => {
    for (const cls of resources) {
      const outputs = cls.members.filter(ts.isPropertyDeclaration).filter((p) => p.modifiers?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)).map((o) => o.name.getText());
      const body = cls.getText();
      const required = new Set(members(`${cls.name!.text}Args`).filter((m) => !m.questionToken).map((m) => m.name.getText()));
      // An output is registered by an `<name>: undefined` default, by a required input, or assigned from `this.id`.
      const unset = outputs.filter((o) => !required.has(o) && !new RegExp(`\\b${o}: undefined`).test(body) && !new RegExp(`this\\.${o} = `).test(body));
      expect({ resource: cls.name!.text, unset }).toEqual({ resource: cls.name!.text, unset: [] });
    }
  });
});
