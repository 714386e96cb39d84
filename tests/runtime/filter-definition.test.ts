/** The filter definition compiler: readable containers → Adobe's segment JSON, and back. */
import { readFileSync } from "fs";
import * as path from "path";
import {
  canonicalFilterDefinition,
  compileFilter,
  componentsOf,
  decompileFilter,
  FilterDefinitionError,
  filterDefinitionsEqual,
  MAX_RULES,
  pathKeys,
} from "../../provider/runtime/filter-definition";

const corpus = (file: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(__dirname, "..", "corpus", "segments", file), "utf8")).payload;
const segment = (container: unknown) => ({ func: "segment", version: [1, 0, 0], container });
const attr = (name: string) => ({ func: "attr", name });
const total = (name: string) => ({ func: "total", evt: { func: "event", name } });

function failure(definition: unknown): FilterDefinitionError {
  try {
    compileFilter(definition);
  } catch (error) {
    if (error instanceof FilterDefinitionError) return error;
    throw error;
  }
  throw new Error(`compiled: ${JSON.stringify(definition)}`);
}

describe("compileFilter: the published shapes", () => {
  it("an exists rule on a dimension in an event container is Adobe's template example (AA segments FAQ)", () => {
    const published = (corpus("aa-docs-segment-template-example.json") as { definition: unknown }).definition;
    const compiled = compileFilter({ context: "event", rules: [{ dimension: "variables/mobileaction", exists: true }] });
    expect(compiled).toEqual(segment({ func: "container", context: "hits", pred: { func: "exists", val: attr("variables/mobileaction") } }));
    // The published one carries the UI's label, `description`: the same definition otherwise.
    expect(filterDefinitionsEqual(compiled, published)).toBe(true);
  });

  it("an excluded metric total in a person container is cjapy's ad-hoc filter", () => {
    const published = corpus("cja-cjapy-adhoc-filter-exclude-single-event-people.json");
    const compiled = compileFilter({ context: "person", exclude: true, rules: [{ metric: "metrics/occurrences", eq: 1 }] });
    expect(compiled).toEqual(segment({ func: "container", context: "visitors", pred: { func: "without", pred: { func: "eq", val: total("metrics/occurrences"), num: 1 } } }));
    expect(filterDefinitionsEqual(compiled, published)).toBe(true);
  });

  it("a metric that exists is the body of CJA's filters and validate guides", () => {
    const published = (corpus("cja-docs-validate-request.json") as { definition: unknown }).definition;
    expect(filterDefinitionsEqual(compileFilter({ context: "event", rules: [{ metric: "visits", exists: true }] }), published)).toBe(true);
  });

  it("a string rule is streq with str (Analytics examples 2 and 4); several rules are an and with preds", () => {
    expect(compileFilter({ context: "person", rules: [{ dimension: "variables/page", equals: "Main Landing Page" }] })).toEqual(
      segment({ func: "container", context: "visitors", pred: { func: "streq", val: attr("variables/page"), str: "Main Landing Page" } }),
    );
    const both = compileFilter({
      context: "person",
      rules: [
        { container: { context: "event", rules: [{ dimension: "page", exists: true }] } },
        { container: { context: "event", rules: [{ dimension: "page", equals: "Main Landing Page" }] } },
      ],
    });
    expect(both).toEqual(
      segment({
        func: "container",
        context: "visitors",
        pred: {
          func: "and",
          preds: [
            { func: "container", context: "hits", pred: { func: "exists", val: attr("variables/page") } },
            { func: "container", context: "hits", pred: { func: "streq", str: "Main Landing Page", val: attr("variables/page") } },
          ],
        },
      }),
    );
  });

  it("a metric total compared to a number, in a nested person container, is the Simple Retained Visitors part (open-adobe-analytics-components)", () => {
    const compiled = compileFilter({ context: "person", rules: [{ container: { context: "person", rules: [{ metric: "metrics/visits", ge: 2 }] } }] });
    expect(compiled.container).toEqual({ func: "container", context: "visitors", pred: { func: "container", context: "visitors", pred: { func: "ge", val: total("metrics/visits"), num: 2 } } });
  });

  it.each([
    ["equals", "streq", "str", "email"],
    ["notEquals", "not-streq", "str", "email"],
    ["equalsAnyOf", "streq-in", "list", ["email", "push"]],
    ["notEqualsAnyOf", "not-streq-in", "list", ["sms"]],
    ["contains", "contains", "str", "mail"],
    ["notContains", "not-contains", "str", "mail"],
    ["containsAnyOf", "contains-any-of", "list", ["a", "b"]],
    ["containsAllOf", "contains-all-of", "list", ["a", "b"]],
    ["notContainsAnyOf", "not-contains-any-of", "list", ["a"]],
    ["notContainsAllOf", "not-contains-all-of", "list", ["a"]],
    ["startsWith", "starts-with", "str", "e"],
    ["endsWith", "ends-with", "str", "l"],
    ["notStartsWith", "not-starts-with", "str", "e"],
    ["notEndsWith", "not-ends-with", "str", "l"],
    ["matches", "matches", "glob", "e*l"],
    ["notMatches", "not-matches", "glob", "e*l"],
    ["eq", "eq", "num", 1],
    ["notEq", "not-eq", "num", 1],
    ["gt", "gt", "num", 1],
    ["lt", "lt", "num", 1],
    ["ge", "ge", "num", 1],
    ["le", "le", "num", 1],
    ["eqAnyOf", "eq-any-of", "list", [1, 2]],
    ["notEqAnyOf", "not-eq-any-of", "list", [3]],
  ])("%s on a dimension is Adobe's %s with %s (segment definition guide), and reads back", (operator, func, key, value) => {
    const readable = { context: "session" as const, rules: [{ dimension: "variables/channel", [operator]: value }] };
    const compiled = compileFilter(readable);
    expect(compiled.container).toEqual({ func: "container", context: "visits", pred: { func, val: attr("variables/channel"), [key]: value } });
    expect(decompileFilter(compiled)).toEqual(readable);
  });

  it("and, or, not and exists: false compile to and/or (preds), without (pred), not-exists, not-event-exists", () => {
    const readable = {
      context: "event" as const,
      rules: [{ or: [{ dimension: "variables/a", exists: false }, { not: { metric: "metrics/b", exists: false } }] }, { and: [{ dimension: "variables/c", equals: "x" }] }],
    };
    const compiled = compileFilter(readable);
    expect(compiled.container).toEqual({
      func: "container",
      context: "hits",
      pred: {
        func: "and",
        preds: [
          { func: "or", preds: [{ func: "not-exists", val: attr("variables/a") }, { func: "without", pred: { func: "not-event-exists", evt: { func: "event", name: "metrics/b" } } }] },
          { func: "and", preds: [{ func: "streq", val: attr("variables/c"), str: "x" }] },
        ],
      },
    });
    expect(compileFilter(decompileFilter(compiled))).toEqual(compiled);
    expect(componentsOf(compiled).sort()).toEqual(["metrics/b", "variables/a", "variables/c"]);
  });
});

describe("decompileFilter: Adobe's definitions read back", () => {
  it("reads every published CJA definition that uses only what the readable form writes, and compiles it back to the same definition", () => {
    for (const file of ["aa-docs-segment-template-example.json", "cja-cjapy-adhoc-filter-exclude-single-event-people.json", "cja-docs-validate-request.json"]) {
      const payload = corpus(file);
      const definition = (payload.definition ?? payload) as Record<string, unknown>;
      expect(filterDefinitionsEqual(compileFilter(decompileFilter(definition)), definition)).toBe(true);
    }
  });

  it("a sequence says where it is and that the readable form cannot write it", () => {
    const published = (corpus("aa-oaac-returning-first-time-visitors-within-1-day.json") as { definition: unknown }).definition;
    expect(() => decompileFilter(published)).toThrow(/^definition\.container\.pred: uses sequence, which a filter's readable definition cannot write/);
    const prefixed = (corpus("aa-oaac-sequential-retained-visitors.json") as { definition: unknown }).definition;
    expect(() => decompileFilter(prefixed)).toThrow(/uses sequence-prefix/);
  });

  it("the segments guide's segment-def root is not read as a segment", () => {
    const published = (corpus("cja-docs-create-request.json") as { definition: unknown }).definition;
    expect(() => decompileFilter(published)).toThrow(/^definition: is not a segment definition \(func "segment-def"\)/);
  });
});

describe("compileFilter: what it refuses, naming where", () => {
  it.each<[string, unknown, string, RegExp]>([
    ["no container", "email", "definition", /must be a container/],
    ["an unknown context", { context: "visit", rules: [{ dimension: "a", exists: true }] }, "definition.context", /must be "event", "session" or "person" \(Adobe's hits, visits, visitors\), not "visit"/],
    ["Adobe's context name", { context: "hits", rules: [{ dimension: "a", exists: true }] }, "definition.context", /not "hits"/],
    ["no rules", { context: "event", rules: [] }, "definition.rules", /at least one rule/],
    ["an unknown container key", { context: "event", rules: [{ dimension: "a", exists: true }], rule: {} }, "definition", /has "rule"; a container has context, rules and exclude/],
    ["a rule with no subject", { context: "event", rules: [{ equals: "x" }] }, "definition.rules[0]", /names no dimension or metric/],
    ["two operators", { context: "event", rules: [{ dimension: "a", equals: "x", contains: "y" }] }, "definition.rules[0]", /exactly one operator \(found equals, contains\)/],
    ["no operator", { context: "event", rules: [{ dimension: "a" }] }, "definition.rules[0]", /exactly one operator \(found none\)/],
    ["a misspelt operator", { context: "event", rules: [{ dimension: "a", equal: "x" }] }, "definition.rules[0].equal", /is no operator/],
    ["a number where text goes", { context: "event", rules: [{ dimension: "a", equals: 3 }] }, "definition.rules[0].equals", /must be a string, not 3/],
    ["text where a number goes", { context: "event", rules: [{ dimension: "a", gt: "3" }] }, "definition.rules[0].gt", /must be a finite number, not "3"/],
    ["an empty list", { context: "event", rules: [{ dimension: "a", equalsAnyOf: [] }] }, "definition.rules[0].equalsAnyOf", /at least one string/],
    ["a text operator on a metric", { context: "event", rules: [{ metric: "metrics/sends", contains: "x" }] }, "definition.rules[0].contains", /compares text; a metric rule takes exists or a number comparison/],
    ["an empty dimension", { context: "event", rules: [{ dimension: " ", exists: true }] }, "definition.rules[0].dimension", /must be a component id/],
    ["a dimension with a space", { context: "event", rules: [{ dimension: "variables/page name", exists: true }] }, "definition.rules[0].dimension", /must not contain spaces/],
    ["a not with another key", { context: "event", rules: [{ not: { dimension: "a", exists: true }, dimension: "b" }] }, "definition.rules[0]", /a \{ not \} rule has no other key/],
    ["a bad nested rule", { context: "event", rules: [{ or: [{ dimension: "a", exists: "yes" }] }] }, "definition.rules[0].or[0].exists", /must be true or false/],
    ["a bad exclude", { context: "event", rules: [{ dimension: "a", exists: true }], exclude: "no" }, "definition.exclude", /must be true or false/],
  ])("%s", (_what, definition, where, problem) => {
    const error = failure(definition);
    expect(error.path).toBe(where);
    expect(error.problem).toMatch(problem);
  });

  it("bounds the rules and the depth", () => {
    const many = { context: "event", rules: Array.from({ length: MAX_RULES + 1 }, () => ({ dimension: "a", exists: true })) };
    expect(failure(many).problem).toMatch(/at most 1000/);
    let deep: unknown = { dimension: "a", exists: true };
    for (let i = 0; i < 60; i++) deep = { not: deep };
    expect(failure({ context: "event", rules: [deep] }).problem).toMatch(/more than 50 deep/);
  });

  it("paths become keys for the engine's failure", () => {
    expect(pathKeys("definition.rules[0].or[12].equals")).toEqual(["definition", "rules", 0, "or", 12, "equals"]);
  });
});

describe("filterDefinitionsEqual", () => {
  it("ignores labels and key order, not a changed value", () => {
    const a = compileFilter({ context: "event", rules: [{ dimension: "a", equals: "x" }] });
    const labelled = { version: [1, 0, 0], func: "segment", container: { pred: { str: "x", description: "Channel", val: attr("variables/a"), func: "streq" }, context: "hits", func: "container" } };
    expect(filterDefinitionsEqual(a, labelled)).toBe(true);
    expect(filterDefinitionsEqual(a, compileFilter({ context: "event", rules: [{ dimension: "a", equals: "y" }] }))).toBe(false);
    expect(canonicalFilterDefinition(labelled)).toEqual(canonicalFilterDefinition(a));
  });
});
