import {
  compileFormula,
  definitionToFormula,
  definitionsEqual,
  DefinitionFormatError,
  FORMULA_FUNCTIONS,
  FORMULA_LIMITS,
  formulaFilters,
  formulaReferences,
  FormulaError,
  metricFormulaProblem,
  parseFormula,
  type CalcMetricDefinition,
  type CalcMetricNode,
} from "../../provider/runtime/formula";

const AJO_METRICS: Record<string, string> = {
  Sends: "metrics/sends",
  Bounces: "metrics/bounces",
  "Bounces After Delivery": "metrics/bounces_after_delivery",
};
const resolveAjo = (name: string): string | undefined => AJO_METRICS[name];

/** Resolves single letters to `metrics/<letter>`. */
const resolveLetters = (name: string): string | undefined => (/^[a-z]$/.test(name) ? `metrics/${name}` : undefined);
const letterOf = (id: string): string | undefined => id.replace(/^metrics\//, "");

function compile(text: string, resolve = resolveLetters): CalcMetricDefinition {
  return compileFormula(parseFormula(text), resolve, { resolveFilter: (name) => name });
}

function formulaOf(text: string, resolve = resolveLetters): CalcMetricNode {
  return compile(text, resolve).formula;
}

const m = (id: string): { func: "metric"; name: string } => ({ func: "metric", name: `metrics/${id}` });
const n = (val: number): CalcMetricNode => val;
const op = (func: "add" | "subtract" | "multiply" | "divide", col1: CalcMetricNode, col2: CalcMetricNode): CalcMetricNode => ({
  func,
  col1,
  col2,
});

function formulaError(run: () => unknown): FormulaError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(FormulaError);
    return err as FormulaError;
  }
  throw new Error("expected a FormulaError, but nothing was thrown");
}

describe("the AJO guide's calculated metrics", () => {
  it("compiles Messages Sent to Adobe's definition tree", () => {
    expect(compile("[Sends] + [Bounces] - [Bounces After Delivery]", resolveAjo)).toStrictEqual({
      func: "calc-metric",
      formula: {
        func: "subtract",
        col1: {
          func: "add",
          col1: { func: "metric", name: "metrics/sends" },
          col2: { func: "metric", name: "metrics/bounces" },
        },
        col2: { func: "metric", name: "metrics/bounces_after_delivery" },
      },
      version: [1, 0, 0],
    });
  });

  it("compiles Messages Delivered to Adobe's definition tree", () => {
    expect(compile("[Sends] - [Bounces After Delivery]", resolveAjo)).toStrictEqual({
      func: "calc-metric",
      formula: {
        func: "subtract",
        col1: { func: "metric", name: "metrics/sends" },
        col2: { func: "metric", name: "metrics/bounces_after_delivery" },
      },
      version: [1, 0, 0],
    });
  });

  it("prints both definitions back exactly as the guide writes them", () => {
    const nameOf = (id: string) => Object.keys(AJO_METRICS).find((name) => AJO_METRICS[name] === id);
    for (const text of ["[Sends] + [Bounces] - [Bounces After Delivery]", "[Sends] - [Bounces After Delivery]"]) {
      expect(definitionToFormula(compile(text, resolveAjo), nameOf)).toBe(text);
    }
  });

  it("lists the names each formula references", () => {
    expect(formulaReferences("[Sends] + [Bounces] - [Bounces After Delivery]")).toEqual([
      "Sends",
      "Bounces",
      "Bounces After Delivery",
    ]);
    expect(formulaReferences("[Sends] - [Bounces After Delivery]")).toEqual(["Sends", "Bounces After Delivery"]);
  });
});

describe("precedence and associativity", () => {
  it.each<[string, CalcMetricNode]>([
    ["[a] - [b] - [c]", op("subtract", op("subtract", m("a"), m("b")), m("c"))],
    ["[a] / [b] / [c]", op("divide", op("divide", m("a"), m("b")), m("c"))],
    ["[a] + [b] * [c]", op("add", m("a"), op("multiply", m("b"), m("c")))],
    ["[a] * [b] + [c]", op("add", op("multiply", m("a"), m("b")), m("c"))],
    ["[a] - [b] / [c] * [d]", op("subtract", m("a"), op("multiply", op("divide", m("b"), m("c")), m("d")))],
    ["([a] + [b]) * [c]", op("multiply", op("add", m("a"), m("b")), m("c"))],
    ["[a] - ([b] - [c])", op("subtract", m("a"), op("subtract", m("b"), m("c")))],
    ["((([a])))", m("a")],
    ["-[a] * [b]", op("multiply", op("multiply", n(-1), m("a")), m("b"))],
  ])("%s", (text, expected) => {
    expect(formulaOf(text)).toStrictEqual(expected);
  });
});

describe("numbers", () => {
  it.each<[string, CalcMetricNode]>([
    ["100", n(100)],
    ["0.25", n(0.25)],
    [".5", n(0.5)],
    ["1e3", n(1000)],
    ["2.5E-2", n(0.025)],
    ["-3", n(-3)],
    ["-0.5", n(-0.5)],
    ["- -3", n(3)],
    ["-(4)", n(-4)],
    ["[a] * 100", op("multiply", m("a"), n(100))],
    ["[a] - -2", op("subtract", m("a"), n(-2))],
    ["-[a]", op("multiply", n(-1), m("a"))],
    ["-([a] + 1)", op("multiply", n(-1), op("add", m("a"), n(1)))],
  ])("%s", (text, expected) => {
    expect(formulaOf(text)).toStrictEqual(expected);
  });
});

describe("whitespace and names", () => {
  it("ignores whitespace between tokens, including none at all", () => {
    const expected = formulaOf("[a] + [b] * ([c] - 2)");
    expect(formulaOf("[a]+[b]*([c]-2)")).toStrictEqual(expected);
    expect(formulaOf("  \t[a]\n+\r\n [b]   *(  [c]-2 )\n")).toStrictEqual(expected);
  });

  it("trims whitespace inside brackets and keeps inner spaces", () => {
    expect(formulaOf("[  Bounces After Delivery\t]", resolveAjo)).toStrictEqual({
      func: "metric",
      name: "metrics/bounces_after_delivery",
    });
  });

  it("reads names with operators, parentheses and escaped brackets", () => {
    expect(formulaReferences("[Revenue (USD) / 100%] + [Step \\[1\\]] - [a\\\\b] * [back\\slash]")).toEqual([
      "Revenue (USD) / 100%",
      "Step [1]",
      "a\\b",
      "back\\slash",
    ]);
  });

  it("lists each name once, in order of first appearance", () => {
    expect(formulaReferences("[b] + [a] * [b] - ([c] / [a]) + [ b ]")).toEqual(["b", "a", "c"]);
  });

  it("adds the metrics/ prefix only when the resolver's id lacks it", () => {
    const ids: Record<string, string> = { Sends: "sends", Bounces: "metrics/bounces" };
    expect(formulaOf("[Sends] + [Bounces]", (name) => ids[name])).toStrictEqual(
      op("add", m("sends"), m("bounces")),
    );
  });
});

describe("errors name the position and what was expected", () => {
  it.each<[string, string, number]>([
    ["", "formula: empty formula", 0],
    ["   \n\t", "formula: empty formula", 0],
    [
      "[Sends",
      'formula: unbalanced bracket: "[Sends" opened at position 0 is never closed (a "]" or "[" inside a name is written \\] or \\[)',
      0,
    ],
    [
      "[a] + [Sends + [b]",
      'formula: unbalanced bracket: "[Sends +" opened at position 6 is never closed before the next "[" at position 15 (a "]" or "[" inside a name is written \\] or \\[)',
      6,
    ],
    ["[a] + b]", 'formula: unexpected word "b" at position 6; metric names are written in brackets like [Sends], functions are called like abs([Sends])', 6],
    ["[a] + ]", 'formula: unexpected "]" at position 6 with no "[" before it; metric names are written like [Sends]', 6],
    ["[a]] + [b]", 'formula: unexpected "]" at position 3 with no "[" before it; metric names are written like [Sends]', 3],
    ["[a] + []", 'formula: empty metric name "[]" at position 6; write the metric\'s name between the brackets, like [Sends]', 6],
    ["[a] + [  ]", 'formula: empty metric name "[  ]" at position 6; write the metric\'s name between the brackets, like [Sends]', 6],
    [
      "([a] + [b]",
      'formula: unbalanced parenthesis: "(" opened at position 0 is never closed; expected ")" at position 10',
      0,
    ],
    [
      "[a] * ((([b] + [c]) - 1)",
      'formula: unbalanced parenthesis: "(" opened at position 6 is never closed; expected ")" at position 24',
      6,
    ],
    [
      "[a] + [b] ) ",
      'formula: unexpected ")" at position 10 with no "(" before it to close; expected an operator (+ - * / > < >= <= == !=) or the end of the formula',
      10,
    ],
    ["[a] + ()", 'formula: expected a metric name like [Sends], a number, a function call or "(" at position 7, found ")"', 7],
    ["[a] + [b] -", 'formula: expected a metric name like [Sends], a number, a function call or "(" at position 11, found the end of the formula', 11],
    ["[a] + * [b]", 'formula: expected a metric name like [Sends], a number, a function call or "(" at position 6, found "*"', 6],
    ["* [a]", 'formula: expected a metric name like [Sends], a number, a function call or "(" at position 0, found "*"', 0],
    ["+3", 'formula: expected a metric name like [Sends], a number, a function call or "(" at position 0, found "+"', 0],
    ["[a] [b]", "formula: expected an operator (+ - * / > < >= <= == !=) or the end of the formula at position 4, found [b]", 4],
    ["[a] + 2 3", "formula: expected an operator (+ - * / > < >= <= == !=) or the end of the formula at position 8, found 3", 8],
    ["2[a]", "formula: expected an operator (+ - * / > < >= <= == !=) or the end of the formula at position 1, found [a]", 1],
    ["([a] [b])", 'formula: expected an operator (+ - * / > < >= <= == !=) or ")" at position 5, found [b]', 5],
    ["[a] (2)", 'formula: expected an operator (+ - * / > < >= <= == !=) or the end of the formula at position 4, found "("', 4],
    ["[a] * 1.", 'formula: expected a digit after "1." at position 8', 8],
    ["[a] * 1e+", 'formula: expected the digits of an exponent after "1e+" at position 9', 9],
    ["1e999", "formula: number 1e999 at position 0 is too large", 0],
    ["[a] % [b]", 'formula: unexpected character "%" at position 4; a formula is made of [metric names], numbers, + - * /, comparisons (> < >= <= == !=), function calls like abs([Sends]), filter([Sends], \"Filter name\") and parentheses', 4],
  ])("%j", (text, message, position) => {
    const err = formulaError(() => parseFormula(text));
    expect(err.message).toBe(message);
    expect(err.position).toBe(position);
    expect(err.name).toBe("FormulaError");
  });

  it("formulaReferences reports the same errors", () => {
    const err = formulaError(() => formulaReferences("[Sends] +"));
    expect(err.position).toBe(9);
    expect(err.message).toBe('formula: expected a metric name like [Sends], a number, a function call or "(" at position 9, found the end of the formula');
  });
});

describe("compiling names that do not resolve", () => {
  it("names the first unknown metric, its position and the known names", () => {
    const err = formulaError(() =>
      compileFormula(parseFormula("[Sends] + [Sendz] - [Bouncez]"), resolveAjo, { knownNames: ["Sends", "Bounces"] }),
    );
    expect(err.message).toBe("formula: unknown metric [Sendz] at position 10; known: [Sends], [Bounces]");
    expect(err.position).toBe(10);
  });

  it("omits the known names when the caller gives none, and says when none are known", () => {
    expect(formulaError(() => compile("[Sendz]", resolveAjo)).message).toBe("formula: unknown metric [Sendz] at position 0");
    expect(
      formulaError(() => compileFormula(parseFormula(" [x]"), () => undefined, { knownNames: [] })).message,
    ).toBe("formula: unknown metric [x] at position 1; no metrics are known");
  });

  it("lists at most 25 known names, escaping brackets", () => {
    const knownNames = ["Step [1]", ...Array.from({ length: 29 }, (_, i) => `m${i}`)];
    const err = formulaError(() => compileFormula(parseFormula("[nope]"), () => undefined, { knownNames }));
    expect(err.message).toBe(
      `formula: unknown metric [nope] at position 0; known: [Step \\[1\\]], ${knownNames
        .slice(1, 25)
        .map((name) => `[${name}]`)
        .join(", ")} and 5 more`,
    );
  });

  it("treats an empty id from the resolver as unknown", () => {
    expect(formulaError(() => compile("[a] + [b]", (name) => (name === "a" ? "metrics/a" : ""))).position).toBe(6);
  });
});

describe("definitionToFormula", () => {
  it.each<[string, string]>([
    ["(([a] + [b])) - ([c])", "[a] + [b] - [c]"],
    ["[a] - ([b] - [c])", "[a] - ([b] - [c])"],
    ["[a] - ([b] + [c])", "[a] - ([b] + [c])"],
    ["[a] + ([b] + [c])", "[a] + ([b] + [c])"],
    ["([a] * [b]) + ([c] / [d])", "[a] * [b] + [c] / [d]"],
    ["([a] + [b]) * ([c] - [d])", "([a] + [b]) * ([c] - [d])"],
    ["[a] / ([b] * [c])", "[a] / ([b] * [c])"],
    ["[a]*-3", "[a] * -3"],
    ["-[a] * [b]", "-[a] * [b]"],
    ["-([a] * [b])", "-([a] * [b])"],
    ["- -[a]", "- -[a]"],
    ["-(-[a] - 1)", "-(-[a] - 1)"],
    ["[a] - -(-2 * [b])", "[a] - -(-2 * [b])"],
    ["-1 * 5", "-1 * 5"],
    ["(-1) * [a]", "-[a]"],
    ["0.000001 + 1e21", "0.000001 + 1e+21"],
    ["1e-7", "1e-7"],
  ])("%s prints as %s", (text, printed) => {
    expect(definitionToFormula(compile(text), letterOf)).toBe(printed);
  });

  it("prints Adobe's documented definition, ignoring descriptions, and ids it cannot name", () => {
    const adobe = {
      definition: {
        formula: {
          func: "divide",
          col1: { func: "metric", name: "metrics/visits", description: "Visits" },
          col2: { func: "metric", name: "metrics/visitors", description: "Unique Visitors" },
        },
        func: "calc-metric",
        version: [1, 0, 0],
      },
    };
    expect(definitionToFormula(adobe.definition, (id) => (id === "metrics/visits" ? "Visits" : undefined))).toBe(
      "[Visits] / [metrics/visitors]",
    );
  });

  it("escapes brackets and backslashes in names", () => {
    const def = compileFormula(parseFormula("[x] + [y]"), (name) => `metrics/${name}`);
    const names: Record<string, string> = { "metrics/x": "Step [1]", "metrics/y": "a\\b" };
    const printed = definitionToFormula(def, (id) => names[id]);
    expect(printed).toBe("[Step \\[1\\]] + [a\\\\b]");
    expect(formulaReferences(printed)).toEqual(["Step [1]", "a\\b"]);
  });

  it("reads number nodes written with value instead of val", () => {
    const def = { func: "calc-metric", formula: { func: "multiply", col1: { func: "number", value: 1.2 }, col2: m("a") }, version: [1, 0, 0] };
    expect(definitionToFormula(def, letterOf)).toBe("1.2 * [a]");
  });

  it.each<[string, unknown, string]>([
    ["a function the language does not know", { func: "calc-metric", formula: op("add", m("a"), { func: "count-distinct-metric", field: { func: "attr", name: "variables/a" } }), version: [1, 0, 0] }, "definition.formula.col2"],
    ["a missing operand", { func: "calc-metric", formula: { func: "divide", col1: m("a") }, version: [1, 0, 0] }, "definition.formula.col2"],
    ["a template wrapper at the root", { func: "visualization-group", col: m("a") }, "definition"],
    ["a key the function does not take", { func: "calc-metric", formula: { func: "abs", col: m("a"), extra: 1 }, version: [1, 0, 0] }, "definition.formula"],
    ["an optional argument left out before a given one", { func: "calc-metric", formula: { func: "if", cond: m("a"), else: 1 }, version: [1, 0, 0] }, "definition.formula.then"],
    ["a flag that is not a boolean", { func: "calc-metric", formula: { func: "mean", col: m("a"), "include-zeros": 1 }, version: [1, 0, 0] }, "definition.formula.include-zeros"],
    ["a nested definition without filters", { func: "calc-metric", formula: { func: "calc-metric", formula: m("a"), version: [1, 0, 0] }, version: [1, 0, 0] }, "definition.formula"],
    ["a filter without an id", { func: "calc-metric", formula: m("a"), filters: [{ func: "segment-ref" }], version: [1, 0, 0] }, "definition.filters[0]"],
    ["a number given as a string", { func: "calc-metric", formula: { func: "number", val: "1" }, version: [1, 0, 0] }, "definition.formula"],
  ])("throws DefinitionFormatError for %s", (_case, def, path) => {    let thrown: unknown;
    try {
      definitionToFormula(def as CalcMetricDefinition, letterOf);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(DefinitionFormatError);
    expect((thrown as DefinitionFormatError).path).toBe(path);
    expect((thrown as Error).message).toMatch(/^calculated metric definition: .+ at definition/);
  });
});

describe("round trip: compile, print, parse and compile again", () => {
  const formulas = [
    "[Sends] + [Bounces] - [Bounces After Delivery]",
    "[Sends] - [Bounces After Delivery]",
    "([Sends] - [Bounces After Delivery]) / [Sends] * 100",
    "[Sends] / ([Bounces] + [Bounces After Delivery])",
    "[Sends] - ([Bounces] - ([Bounces After Delivery] - 1))",
    "((([Sends] + 1) * 2) - -3) / -(([Bounces]))",
    "-[Sends] - -[Bounces] * - -[Bounces After Delivery]",
    "[Sends] * 0.5 + .25 / 1e3 - 2.5e-8",
    "[Sends] / [Sends] / [Sends] - [Bounces] * ([Bounces] * [Bounces])",
  ];
  const nameOf = (id: string) => Object.keys(AJO_METRICS).find((name) => AJO_METRICS[name] === id);

  it.each(formulas)("%s", (text) => {
    const first = compile(text, resolveAjo);
    const printed = definitionToFormula(first, nameOf);
    expect(compile(printed, resolveAjo)).toStrictEqual(first);
    expect(definitionToFormula(compile(printed, resolveAjo), nameOf)).toBe(printed);
  });

  describe("on generated definitions", () => {
    const NAMES = ["Sends", "Bounces After Delivery", "Revenue (USD)", "Step [1]", "a\\b", "+-*/", "x]"];
    const idOf = (name: string) => `metrics/m${NAMES.indexOf(name)}`;
    const resolve = (name: string) => (NAMES.includes(name) ? idOf(name) : undefined);
    const nameOfId = (id: string) => NAMES[Number(id.slice("metrics/m".length))];
    const OPERATORS: Record<string, string> = { add: "+", subtract: "-", multiply: "*", divide: "/", gt: ">", lt: "<", ge: ">=", le: "<=", eq: "==", ne: "!=" };
    const NUMBERS = [0, 1, 2, 10, 0.5, 1.25, 100, -1, -2, -0.75, 1e21, 3e-7];
    const FILTERS = ["Email", "Push \"app\"", "s300_abc"];

    /** mulberry32: a small seeded generator, so every run tests the same cases. */
    function random(seed: number): () => number {
      let state = seed;
      return () => {
        state = (state + 0x6d2b79f5) | 0;
        let t = Math.imul(state ^ (state >>> 15), 1 | state);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
    }

    type Node = Record<string, any>;

    function generate(next: () => number, depth: number): CalcMetricNode {
      const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
      const sub = () => generate(next, depth - 1);
      const roll = next();
      if (depth === 0 || roll < 0.2) return { func: "metric", name: idOf(pick(NAMES)) };
      if (roll < 0.28) return pick(NUMBERS);
      if (roll < 0.34) return op("multiply", n(-1), sub());
      if (roll < 0.4) return { func: "abs", col: sub() };
      if (roll < 0.44) return { func: "if", cond: sub(), then: sub(), ...(next() < 0.5 ? { else: sub() } : {}) };
      if (roll < 0.48) return { func: "mean", col: sub(), ...(next() < 0.5 ? { "include-zeros": next() < 0.5 } : {}) };
      if (roll < 0.51) return { func: "cumul", n: pick([0, 3, -2]), col: sub() };
      if (roll < 0.54) return { func: "pow", col1: sub(), col2: sub() };
      if (roll < 0.57) return { func: "count-rows" };
      if (roll < 0.62) return { func: "calc-metric", formula: sub(), version: [1, 0, 0], filters: [pick(FILTERS), ...(next() < 0.3 ? [pick(FILTERS)] : [])].map((id) => ({ func: "segment-ref", id })) };
      return { func: pick(Object.keys(OPERATORS)), col1: sub(), col2: sub() };
    }

    /** Writes a node with a pair of parentheses around every operation and random spacing. */
    function render(node: CalcMetricNode, next: () => number): string {
      const space = () => [" ", "", "  ", "\n"][Math.floor(next() * 4)];
      if (typeof node === "number" || typeof node === "boolean") return String(node);
      const x = node as Node;
      const args = (...keys: string[]) => keys.filter((k) => x[k] !== undefined).map((k) => render(x[k], next)).join(`,${space()}`);
      if (x.func === "metric") return `[${nameOfId(x.name).replace(/[\\[\]]/g, (ch) => `\\${ch}`)}]`;
      if (x.func === "calc-metric") return `filter(${space()}${render(x.formula, next)}, ${x.filters.map((f: Node) => JSON.stringify(f.id)).join(", ")})`;
      if (x.func === "abs") return `abs(${args("col")})`;
      if (x.func === "if") return `if(${space()}${args("cond", "then", "else")})`;
      if (x.func === "mean") return `mean(${args("col", "include-zeros")})`;
      if (x.func === "cumul") return `cumul(${args("n", "col")})`;
      if (x.func === "pow") return `pow(${args("col1", "col2")})`;
      if (x.func === "count-rows") return `count-rows(${space()})`;
      return `(${space()}${render(x.col1, next)}${space()}${OPERATORS[x.func]}${space()}${render(x.col2, next)}${space()})`;
    }

    /** Offsets of each matching pair of parentheses outside metric names. */
    function parenthesisPairs(text: string): Array<[number, number]> {
      const pairs: Array<[number, number]> = [];
      const open: number[] = [];
      let inName = false;
      let inString = false;
      for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (inName) {
          if (ch === "\\") i++;
          else if (ch === "]") inName = false;
        } else if (inString) {
          if (ch === "\\") i++;
          else if (ch === '"') inString = false;
        } else if (ch === '"') inString = true;
        else if (ch === "[") inName = true;
        // A call's parentheses are not grouping: -1 marks them.
        else if (ch === "(") open.push(/[A-Za-z0-9]/.test(text[i - 1] ?? "") ? -1 : i);
        else if (ch === ")") {
          const start = open.pop() as number;
          if (start >= 0) pairs.push([start, i]);
        }
      }
      return pairs;
    }

    const cases = Array.from({ length: 300 }, (_, seed) => {
      const next = random(seed + 1);
      const formula = generate(next, 1 + (seed % 5));
      return { seed, formula, text: render(formula, next) };
    });

    it("parses fully parenthesised text into the tree it was written from", () => {
      for (const { formula, text } of cases) {
        expect({ text, formula: compile(text, resolve).formula }).toStrictEqual({ text, formula });
      }
    });

    it("prints text that compiles back to the same definition", () => {
      for (const { formula } of cases) {
        const definition: CalcMetricDefinition = { func: "calc-metric", formula, version: [1, 0, 0] };
        const printed = definitionToFormula(definition, nameOfId);
        expect({ printed, definition: compile(printed, resolve) }).toStrictEqual({ printed, definition });
      }
    });

    it("prints no parenthesis the tree does not need", () => {
      let pairsChecked = 0;
      for (const { formula } of cases) {
        const printed = definitionToFormula({ func: "calc-metric", formula, version: [1, 0, 0] }, nameOfId);
        for (const [open, close] of parenthesisPairs(printed)) {
          const without = printed.slice(0, open) + printed.slice(open + 1, close) + printed.slice(close + 1);
          // Without a needed pair the text means another tree, or nothing (comparisons do not chain).
          const reread = (() => {
            try {
              return compile(without, resolve).formula;
            } catch (error) {
              if (error instanceof FormulaError) return error.message;
              throw error;
            }
          })();
          expect({ without, same: definitionsEqual(reread, formula) }).toEqual({ without, same: false });
          pairsChecked++;
        }
      }
      expect(pairsChecked).toBeGreaterThan(100);
    });
  });
});

describe("definitionsEqual", () => {
  const compiled = compile("[a] * 2 - [b]");

  it("ignores key order and Adobe's extra keys", () => {
    const fromAdobe = {
      version: [1, 0, 0],
      formula: {
        col2: { name: "metrics/b", func: "metric", description: "B" },
        col1: { col2: { val: 2, func: "number" }, func: "multiply", col1: { description: "A", func: "metric", name: "metrics/a" } },
        func: "subtract",
      },
      func: "calc-metric",
      filters: [],
    };
    expect(definitionsEqual(compiled, fromAdobe)).toBe(true);
    expect(definitionsEqual(fromAdobe, compiled)).toBe(true);
  });

  it("reads number nodes written with value", () => {
    expect(definitionsEqual(n(2), { func: "number", value: 2 })).toBe(true);
  });

  it.each<[string, unknown]>([
    ["another number", compile("[a] * 2.0000000001 - [b]")],
    ["another metric", compile("[a] * 2 - [c]")],
    ["swapped operands", compile("2 * [a] - [b]")],
    ["another operator", compile("[a] * 2 + [b]")],
    ["another grouping", compile("[a] * (2 - [b])")],
    ["another version", { ...compiled, version: [2, 0, 0] }],
    ["segment filters", { ...compiled, filters: [{ func: "segment-ref", id: "s1" }] }],
    ["a missing formula", { func: "calc-metric", version: [1, 0, 0] }],
    [
      "a number given as a string",
      { ...compiled, formula: { ...(compiled.formula as object), col1: { func: "multiply", col1: m("a"), col2: { func: "number", val: "2" } } } },
    ],
  ])("tells a definition from one with %s", (_case, other) => {
    expect(definitionsEqual(compiled, other)).toBe(false);
    expect(definitionsEqual(other, compiled)).toBe(false);
  });

  it("compares Adobe's functions on their parameter keys, and others on all keys but description", () => {
    const sum = { func: "col-sum", col: m("a"), description: "Column Sum" };
    expect(definitionsEqual(sum, { col: { ...m("a"), description: "A" }, func: "col-sum" })).toBe(true);
    expect(definitionsEqual(sum, { func: "col-sum", col: m("b") })).toBe(false);
    expect(definitionsEqual({ func: "mean", col: m("a") }, { func: "mean", col: m("a"), "include-zeros": false })).toBe(false);
    const distinct = { func: "count-distinct-metric", field: { func: "attr", name: "variables/a" }, description: "x" };
    expect(definitionsEqual(distinct, { ...distinct, description: "y" })).toBe(true);
    expect(definitionsEqual(distinct, { ...distinct, extra: 1 })).toBe(false);
  });

  it("reads a constant as a bare number or as the number node earlier releases wrote", () => {
    expect(definitionsEqual(compile("[a] * 100"), { func: "calc-metric", formula: { func: "multiply", col1: m("a"), col2: { func: "number", val: 100 } }, version: [1, 0, 0] })).toBe(true);
  });

  it("filters on the root equal the same filters on a nested definition around the whole formula", () => {
    const root = { func: "calc-metric", formula: m("a"), version: [1, 0, 0], filters: [{ func: "segment-ref", id: "s1", description: "Email" }] };
    expect(definitionsEqual(root, compile('filter([a], "s1")'))).toBe(true);
    expect(definitionsEqual(root, compile('filter([a], "s2")'))).toBe(false);
  });
});

describe("limits: no formula exhausts the stack", () => {
  const chain = (terms: number) => Array.from({ length: terms }, () => "[A]").join("+");

  it("reads a formula at each limit, and compiles and prints it back", () => {
    const longest = chain(FORMULA_LIMITS.terms);
    const definition = compileFormula(parseFormula(longest), () => "metrics/a");
    expect(definitionToFormula(definition, () => "A").replace(/ /g, "")).toBe(longest);
    expect(parseFormula(`${"(".repeat(FORMULA_LIMITS.depth)}[A]${")".repeat(FORMULA_LIMITS.depth)}`)).toMatchObject({ kind: "metric" });
    expect(parseFormula(`${"-".repeat(FORMULA_LIMITS.depth)}[A]`)).toMatchObject({ kind: "negate" });
  });

  it.each<[string, string, RegExp]>([
    ["8,400 terms", chain(8400), /^formula: is 33599 characters long; a formula may have at most 20000$/],
    ["1,001 terms", chain(1001), /^formula: has 1001 metrics and numbers; a formula may have at most 1000$/],
    ["10,000 nested parentheses", `${"(".repeat(10000)}[A]${")".repeat(10000)}`, /^formula: is 20003 characters long/],
    ["101 nested parentheses", `${"(".repeat(101)}[A]${")".repeat(101)}`, /^formula: nests parentheses, calls and minus signs more than 100 deep at position 100$/],
    ["8,400 unary minuses", `${"-".repeat(8400)}[A]`, /^formula: nests parentheses, calls and minus signs more than 100 deep at position 100$/],
  ])("refuses %s with a FormulaError, not a RangeError", (_what, formula, message) => {
    let thrown: unknown;
    try {
      parseFormula(formula);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FormulaError);
    expect((thrown as Error).message).toMatch(message);
  });
});

describe("formulas that cannot be a metric", () => {
  it.each<[string, string | undefined]>([
    ["1 + 2", "formula: uses no metric; a calculated metric computes from at least one metric or function, e.g. [Sends] / 2"],
    ["-(3)", "formula: uses no metric; a calculated metric computes from at least one metric or function, e.g. [Sends] / 2"],
    ["[A] / 0", "formula: divides by zero at position 4"],
    ["[A] / (2 - 2)", "formula: divides by zero at position 4"],
    ["[A] + [B] / -0", "formula: divides by zero at position 10"],
    ["[A] * (1e308 * 10)", "formula: the numbers at position 13 compute to Infinity, not a finite number"],
    ["[A] + (1e308 * 10 - 1e308 * 10)", "formula: the numbers at position 18 compute to NaN, not a finite number"],
    ["[A] * (1e308 * 1)", undefined],
    ["[A] / [B]", undefined],
    ["cumul(0, 1)", undefined],
    ["[A] / (0 + 1)", undefined],
    ["0 / [A]", undefined],
  ])("%s", (formula, problem) => {
    expect(metricFormulaProblem(parseFormula(formula))?.message).toBe(problem);
  });
});

describe("constants as Adobe writes them", () => {
  it("compiles a number to a bare JSON number and unary minus to multiply by a bare -1", () => {
    expect(formulaOf("[a] / [b] * 100")).toStrictEqual({ func: "multiply", col1: op("divide", m("a"), m("b")), col2: 100 });
    expect(formulaOf("-[a]")).toStrictEqual({ func: "multiply", col1: -1, col2: m("a") });
    expect(formulaOf("[a] - -2.5")).toStrictEqual({ func: "subtract", col1: m("a"), col2: -2.5 });
  });

  it("prints bare numbers and the number nodes earlier releases wrote alike", () => {
    const bare = { func: "calc-metric", formula: { func: "multiply", col1: -1, col2: { func: "add", col1: m("a"), col2: 100 } }, version: [1, 0, 0] };
    const nodes = { func: "calc-metric", formula: { func: "multiply", col1: { func: "number", val: -1 }, col2: { func: "add", col1: m("a"), col2: { func: "number", val: 100 } } }, version: [1, 0, 0] };
    expect(definitionToFormula(bare, letterOf)).toBe("-([a] + 100)");
    expect(definitionToFormula(nodes, letterOf)).toBe("-([a] + 100)");
  });
});

describe("Adobe's functions and filters", () => {
  it.each<[string, unknown]>([
    ["abs([a] - [b])", { func: "abs", col: op("subtract", m("a"), m("b")) }],
    ["col-sum([a])", { func: "col-sum", col: m("a") }],
    ["if([a] > 0, 1, 0)", { func: "if", cond: { func: "gt", col1: m("a"), col2: 0 }, then: 1, else: 0 }],
    ["if([a] >= [b], [a])", { func: "if", cond: { func: "ge", col1: m("a"), col2: m("b") }, then: m("a") }],
    ["[a] == [b]", { func: "eq", col1: m("a"), col2: m("b") }],
    ["[a] != 2", { func: "ne", col1: m("a"), col2: 2 }],
    ["[a] < [b] + 1", { func: "lt", col1: m("a"), col2: op("add", m("b"), 1) }],
    ["[a] <= 1", { func: "le", col1: m("a"), col2: 1 }],
    ["mean([a], false)", { func: "mean", col: m("a"), "include-zeros": false }],
    ["cumul(0, [a])", { func: "cumul", n: 0, col: m("a") }],
    ["cumul(-3, [a])", { func: "cumul", n: -3, col: m("a") }],
    ["pow([a], 2) + modulo([a], 7)", op("add", { func: "pow", col1: m("a"), col2: 2 }, { func: "modulo", col1: m("a"), col2: 7 })],
    ["ls-pred-linear(cumul(0, 1), [a], false)", { func: "ls-pred-linear", x: { func: "cumul", n: 0, col: 1 }, y: m("a"), "include-zeros": false }],
    ["[a] / count-rows()", op("divide", m("a"), { func: "count-rows" })],
    ["visualization-group([a] / [b])", { func: "visualization-group", col: op("divide", m("a"), m("b")) }],
    ['filter([a], "s1")', { func: "calc-metric", formula: m("a"), version: [1, 0, 0], filters: [{ func: "segment-ref", id: "s1" }] }],
    ['filter([a] + [b], "s1", "s2") / [b]', op("divide", { func: "calc-metric", formula: op("add", m("a"), m("b")), version: [1, 0, 0], filters: [{ func: "segment-ref", id: "s1" }, { func: "segment-ref", id: "s2" }] }, m("b"))],
  ])("%s", (text, formula) => {
    expect(formulaOf(text)).toStrictEqual(formula);
    const printed = definitionToFormula(compile(text), { metric: letterOf, filter: (id) => id });
    expect(compile(printed)).toStrictEqual(compile(text));
  });

  it("reads Adobe's published payloads: if with gt and bare constants, modulo and pow, cumul with a bare col", () => {
    const cjapy = { func: "calc-metric", formula: { func: "if", description: "If", cond: { func: "gt", description: "Greater Than", col1: { func: "metric", name: "metrics/a", description: "A" }, col2: 0 }, then: 1, else: 0 }, version: [1, 0, 0] };
    expect(definitionToFormula(cjapy, letterOf)).toBe("if([a] > 0, 1, 0)");
    const incrementor = { func: "calc-metric", formula: { func: "cumul", description: "Cumulative", n: 0, col: 1 }, version: [1, 0, 0] };
    expect(definitionToFormula(incrementor, letterOf)).toBe("cumul(0, 1)");
  });

  it("names filters through their names, and shows an id it cannot name", () => {
    const def = compile('filter([a], "s1", "s2")');
    expect(definitionToFormula(def, { metric: letterOf, filter: (id) => (id === "s1" ? 'Email "sends"' : undefined) })).toBe('filter([a], "Email \\"sends\\"", "s2")');
    expect(formulaFilters('filter([a], "Email \\"sends\\"") + filter([b], "Push", "Email \\"sends\\"")')).toEqual(['Email "sends"', "Push"]);
  });

  it("parenthesizes a comparison inside another, and an operation inside a comparison only where needed", () => {
    expect(definitionToFormula(compile("([a] > [b]) == 1"), letterOf)).toBe("([a] > [b]) == 1");
    expect(definitionToFormula(compile("[a] + 1 > [b] * 2"), letterOf)).toBe("[a] + 1 > [b] * 2");
  });

  it.each<[string, string]>([
    ["sqroot([a])", 'formula: unknown function "sqroot" at position 0; did you mean sqrt?'],
    ["foo([a])", `formula: unknown function "foo" at position 0; the functions are Adobe's ids (docs/FORMULAS.md lists them)`],
    ["abs-log([a])", 'formula: unknown function "abs-log" at position 0 (to subtract, put spaces around "-"); did you mean abs?'],
    ["abs([a], [b])", "formula: abs takes 1 argument (col), found 2 at position 0"],
    ["if()", "formula: if takes 1 to 3 arguments (cond, then?, else?), found 0 at position 0"],
    ["mean([a], 1)", "formula: argument 2 of mean (include-zeros) at position 10 is a flag: write true or false"],
    ["cumul([b], [a])", "formula: argument 1 of cumul (n) at position 6 must be a number, like 0"],
    ["abs(true)", "formula: true at position 4 is a flag; it is only an argument of a function that takes one, like mean([Visits], true)"],
    ["[a] + false", "formula: false at position 6 is a flag; it is only an argument of a function that takes one, like mean([Visits], true)"],
    ["[a] > [b] > [c]", 'formula: comparisons do not chain: a second ">" at position 10; put one comparison in parentheses'],
    ["[a] = [b]", 'formula: unexpected character "=" at position 4; compare with == (or != >= <=); a formula is made of [metric names], numbers, + - * /, comparisons (> < >= <= == !=), function calls like abs([Sends]), filter([Sends], "Filter name") and parentheses'],
    ["filter([a])", 'formula: expected "," and a filter name: filter(<formula>, "Filter name") at position 10, found ")"'],
    ["filter([a], [b])", 'formula: expected a filter name in double quotes, like "Email sends" at position 12, found [b]'],
    ['filter([a], "Email)', 'formula: unclosed quote: the name opened with " at position 12 is never closed'],
    ['filter([a], " ")', "formula: empty filter name at position 12"],
    ["abs [a]", 'formula: unexpected word "abs" at position 0; metric names are written in brackets like [Sends], functions are called like abs([Sends])'],
  ])("%s fails: %s", (text, message) => {
    expect(formulaError(() => parseFormula(text)).message).toBe(message);
  });

  it("names an unknown filter with the filters it knows", () => {
    const err = formulaError(() => compileFormula(parseFormula('filter([a], "Emial")'), resolveLetters, { resolveFilter: () => undefined, knownFilters: ["Email", "Push"] }));
    expect(err.message).toBe('formula: unknown filter "Emial" at position 12; known: "Email", "Push"');
    expect(formulaError(() => compileFormula(parseFormula('filter([a], "Email")'), resolveLetters)).message).toBe(
      'formula: unknown filter "Email" at position 12; no filters are known (map each name to its filter id in filters)',
    );
  });
});

describe("docs/FORMULAS.md", () => {
  const doc = require("fs").readFileSync(require("path").join(__dirname, "..", "..", "docs", "FORMULAS.md"), "utf8") as string;

  it("lists every function the language calls, written with its arguments", () => {
    for (const fn of FORMULA_FUNCTIONS.values()) {
      const args = fn.parameters.map((p) => (p.optional ? `${p.key}?` : p.key)).join(", ");
      expect({ id: fn.id, listed: doc.includes(`| \`${fn.id}(${args})\` |`) }).toEqual({ id: fn.id, listed: true });
    }
  });
});
