/**
 * Runs a parsed query over the sandbox's tables with Spark SQL's semantics for the subset the
 * parser reads: three-valued logic (a comparison with NULL is NULL and a WHERE keeps only true),
 * struct fields resolved case-insensitively, `explode` of a map (`key`, `value`) or an array
 * (`col`), grouping with aggregates, and analysis errors for a column no source has and for a
 * column used outside GROUP BY without an aggregate.
 */
import { SqlFailure, type Expr, type Query, type Select, type SelectItem, type Source } from "./ast";
import { implicitName } from "./parser";

export type Row = Record<string, unknown>;

/** A table the query can read: its rows and the top-level columns its schema declares. */
export interface Table {
  rows: Row[];
  columns: string[];
}

/** Resolves a table name (case-insensitive) to its rows, or undefined when no dataset has it. */
export type Tables = (name: string) => Table | undefined;

/** The result of a query: its rows and its output column names, in order. */
export interface Result {
  columns: string[];
  rows: Row[];
}

const AGGREGATES = new Set(["collect_set", "collect_list", "count", "min", "max", "sum", "first"]);

const fail = (code: string, message: string): never => {
  throw new SqlFailure({ code, message: `ErrorCode: ${code} ${message}` });
};

interface Scope {
  row: Row;
  alias?: string;
  columns: string[];
}

function lookup(obj: Row, name: string): { found: boolean; value: unknown } {
  if (Object.prototype.hasOwnProperty.call(obj, name)) return { found: true, value: obj[name] };
  const lower = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return key === undefined ? { found: false, value: undefined } : { found: true, value: obj[key] };
}

const isObject = (v: unknown): v is Row => typeof v === "object" && v !== null && !Array.isArray(v);

/** Canonical text of a value, for DISTINCT, GROUP BY, collect_set and struct equality. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isObject(value)) return `{${Object.keys(value).map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  return JSON.stringify(value ?? null);
}

function compare(a: unknown, b: unknown): number {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compare(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  if (isObject(a) && isObject(b)) return compare(Object.values(a), Object.values(b));
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

function equal(a: unknown, b: unknown): boolean | null {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  if (typeof a === "number" || typeof b === "number") return Number(a) === Number(b);
  if (typeof a === "object" || typeof b === "object") return canonical(a) === canonical(b);
  return a === b;
}

function containsAggregate(expr: Expr): boolean {
  switch (expr.kind) {
    case "call":
      return AGGREGATES.has(expr.name) || expr.args.some(containsAggregate);
    case "struct":
      return expr.fields.some((f) => containsAggregate(f.expr));
    case "case":
      return [expr.operand, ...expr.whens.flatMap((w) => [w.when, w.then]), expr.else].some((e) => e !== undefined && containsAggregate(e));
    case "binary":
      return containsAggregate(expr.left) || containsAggregate(expr.right);
    case "not":
    case "isNull":
    case "cast":
      return containsAggregate(expr.expr);
    case "in":
      return containsAggregate(expr.expr) || expr.list.some(containsAggregate);
    case "field":
    case "index":
      return containsAggregate(expr.of);
    default:
      return false;
  }
}

const isPath = (e: Expr): boolean => e.kind === "column" || ((e.kind === "field" || e.kind === "index") && isPath(e.of));

/** Spark: an expression outside any aggregate must be one of the GROUP BY expressions. */
function checkGrouped(expr: Expr, groupBy: string[]): void {
  if (groupBy.includes(canonical(expr))) return;
  if (isPath(expr)) fail("42803", `column "${describe(expr)}" must appear in the GROUP BY clause or be used in an aggregate function`);
  if (expr.kind === "call" && AGGREGATES.has(expr.name)) return;
  const children: Expr[] =
    expr.kind === "call" ? expr.args
    : expr.kind === "struct" ? expr.fields.map((f) => f.expr)
    : expr.kind === "case" ? [expr.operand, ...expr.whens.flatMap((w) => [w.when, w.then]), expr.else].filter((e): e is Expr => e !== undefined)
    : expr.kind === "binary" ? [expr.left, expr.right]
    : expr.kind === "not" || expr.kind === "isNull" || expr.kind === "cast" ? [expr.expr]
    : expr.kind === "in" ? [expr.expr, ...expr.list]
    : [];
  for (const child of children) checkGrouped(child, groupBy);
}

function describe(expr: Expr): string {
  if (expr.kind === "column") return expr.name;
  if (expr.kind === "field") return `${describe(expr.of)}.${expr.name}`;
  if (expr.kind === "index") return `${describe(expr.of)}[...]`;
  return expr.kind;
}

function truthy(v: unknown): boolean {
  return v === true;
}

function evaluate(expr: Expr, scope: Scope, group?: Scope[]): unknown {
  switch (expr.kind) {
    case "literal":
      return expr.value;
    case "column": {
      const hit = lookup(scope.row, expr.name);
      if (hit.found) return hit.value ?? null;
      if (scope.alias !== undefined && scope.alias.toLowerCase() === expr.name.toLowerCase()) return scope.row;
      if (scope.columns.some((c) => c.toLowerCase() === expr.name.toLowerCase())) return null;
      return fail("42703", `column "${expr.name}" does not exist`);
    }
    case "field": {
      const of = evaluate(expr.of, scope, group);
      if (!isObject(of)) return null;
      return lookup(of, expr.name).value ?? null;
    }
    case "index": {
      const of = evaluate(expr.of, scope, group);
      const index = evaluate(expr.index, scope, group);
      if (Array.isArray(of) && typeof index === "number") return of[index] ?? null;
      if (isObject(of) && typeof index === "string") return of[index] ?? null;
      return null;
    }
    case "struct":
      return Object.fromEntries(expr.fields.map((f) => [f.name, evaluate(f.expr, scope, group)]));
    case "case": {
      const operand = expr.operand === undefined ? undefined : evaluate(expr.operand, scope, group);
      for (const w of expr.whens) {
        const hit = expr.operand === undefined ? truthy(evaluate(w.when, scope, group)) : equal(operand, evaluate(w.when, scope, group)) === true;
        if (hit) return evaluate(w.then, scope, group);
      }
      return expr.else === undefined ? null : evaluate(expr.else, scope, group);
    }
    case "not": {
      const v = evaluate(expr.expr, scope, group);
      return v === null || v === undefined ? null : !truthy(v);
    }
    case "isNull": {
      const v = evaluate(expr.expr, scope, group);
      return (v === null || v === undefined) !== expr.negated;
    }
    case "in": {
      const v = evaluate(expr.expr, scope, group);
      if (v === null || v === undefined) return null;
      const results = expr.list.map((e) => equal(v, evaluate(e, scope, group)));
      if (results.includes(true)) return !expr.negated;
      return results.includes(null) ? null : expr.negated;
    }
    case "cast": {
      const v = evaluate(expr.expr, scope, group);
      if (v === null || v === undefined) return null;
      if (expr.type === "STRING") return typeof v === "object" ? canonical(v) : String(v);
      if (["INT", "INTEGER", "BIGINT", "LONG", "SMALLINT"].includes(expr.type)) return Number.isFinite(Number(v)) ? Math.trunc(Number(v)) : null;
      if (["DOUBLE", "FLOAT", "DECIMAL"].includes(expr.type)) return Number.isFinite(Number(v)) ? Number(v) : null;
      if (expr.type === "BOOLEAN") return v === true || v === "true";
      return fail("0A000", `feature not supported: CAST to ${expr.type}`);
    }
    case "binary":
      return binary(expr.op, () => evaluate(expr.left, scope, group), () => evaluate(expr.right, scope, group));
    case "call":
      return call(expr, scope, group);
  }
}

function binary(op: string, left: () => unknown, right: () => unknown): unknown {
  if (op === "AND") {
    const l = left();
    if (l === false) return false;
    const r = right();
    if (r === false) return false;
    return l === null || l === undefined || r === null || r === undefined ? null : true;
  }
  if (op === "OR") {
    const l = left();
    if (l === true) return true;
    const r = right();
    if (r === true) return true;
    return l === null || l === undefined || r === null || r === undefined ? null : false;
  }
  const [l, r] = [left(), right()];
  if (l === null || l === undefined || r === null || r === undefined) return null;
  switch (op) {
    case "=":
      return equal(l, r);
    case "<>":
      return !equal(l, r);
    case "<":
      return compare(l, r) < 0;
    case "<=":
      return compare(l, r) <= 0;
    case ">":
      return compare(l, r) > 0;
    case ">=":
      return compare(l, r) >= 0;
    case "+":
      return Number(l) + Number(r);
    case "-":
      return Number(l) - Number(r);
    default:
      return `${String(l)}${String(r)}`;
  }
}

function call(expr: Extract<Expr, { kind: "call" }>, scope: Scope, group?: Scope[]): unknown {
  if (AGGREGATES.has(expr.name)) {
    const rows = group ?? [scope];
    const values = expr.star ? rows.map(() => 1) : rows.map((r) => evaluate(expr.args[0], r)).filter((v) => v !== null && v !== undefined);
    const distinct = (vs: unknown[]) => [...new Map(vs.map((v) => [canonical(v), v])).values()];
    switch (expr.name) {
      case "collect_set":
        return distinct(values);
      case "collect_list":
        return values;
      case "count":
        return expr.distinct ? distinct(values).length : values.length;
      case "sum":
        return values.length === 0 ? null : values.reduce((a: number, v) => a + Number(v), 0);
      case "first":
        return values[0] ?? null;
      default: {
        if (values.length === 0) return null;
        const sorted = [...values].sort(compare);
        return expr.name === "min" ? sorted[0] : sorted[sorted.length - 1];
      }
    }
  }
  const args = expr.args.map((a) => evaluate(a, scope, group));
  const arity = (min: number, max = min) => {
    if (args.length < min || args.length > max) fail("42883", `function ${expr.name} does not take ${args.length} arguments`);
  };
  switch (expr.name) {
    case "concat_ws": {
      arity(1, Infinity);
      const [sep, ...parts] = args;
      if (sep === null || sep === undefined) return null;
      return parts.flatMap((p) => (Array.isArray(p) ? p : [p])).filter((p) => p !== null && p !== undefined).map(String).join(String(sep));
    }
    case "concat":
      return args.some((a) => a === null || a === undefined) ? null : args.map(String).join("");
    case "coalesce":
      return args.find((a) => a !== null && a !== undefined) ?? null;
    case "size":
      arity(1);
      return Array.isArray(args[0]) ? args[0].length : isObject(args[0]) ? Object.keys(args[0]).length : -1;
    case "array":
      return args;
    case "array_sort":
    case "sort_array":
      arity(1, 2);
      if (!Array.isArray(args[0])) return null;
      return [...args[0]].sort((a, b) => (args[1] === false ? -compare(a, b) : compare(a, b)));
    case "array_distinct":
      arity(1);
      return Array.isArray(args[0]) ? [...new Map(args[0].map((v) => [canonical(v), v])).values()] : null;
    case "array_contains":
      arity(2);
      return Array.isArray(args[0]) ? args[0].some((v) => equal(v, args[1]) === true) : null;
    case "lower":
    case "upper":
    case "trim": {
      arity(1);
      const s = args[0];
      if (s === null || s === undefined) return null;
      return expr.name === "lower" ? String(s).toLowerCase() : expr.name === "upper" ? String(s).toUpperCase() : String(s).trim();
    }
    case "explode":
      return fail("0A000", "feature not supported: explode is a generator; use it as a column of SELECT");
    default:
      return fail("42883", `function ${expr.name} does not exist`);
  }
}

function outputName(item: Extract<SelectItem, { kind: "expr" }>, position: number): string {
  return item.alias ?? implicitName(item.expr, position);
}

function sourceRows(source: Source | undefined, tables: Tables): { scopes: Scope[]; columns: string[] } {
  if (!source) return { scopes: [{ row: {}, columns: [] }], columns: [] };
  if (source.kind === "subquery") {
    const result = runQuery(source.query, tables);
    return { scopes: result.rows.map((row) => ({ row, alias: source.alias, columns: result.columns })), columns: result.columns };
  }
  const table = tables(source.name) ?? fail("42P01", `relation "${source.name}" does not exist`);
  const alias = source.alias ?? source.name;
  return { scopes: table.rows.map((row) => ({ row, alias, columns: table.columns })), columns: table.columns };
}

function runSelect(select: Select, tables: Tables): Result {
  const { scopes: input, columns: inputColumns } = sourceRows(select.from, tables);
  const rows = select.where ? input.filter((s) => truthy(evaluate(select.where!, s))) : input;
  const generators = select.items.filter((i) => i.kind === "explode");
  if (generators.length > 1) fail("42K0E", "only one generator (explode) is allowed per SELECT clause");
  const grouped = select.groupBy !== undefined || select.items.some((i) => i.kind === "expr" && containsAggregate(i.expr));
  if (grouped && generators.length > 0) fail("42K0E", "a generator (explode) cannot be used together with aggregates or GROUP BY");

  const columns: string[] = [];
  select.items.forEach((item, i) => {
    if (item.kind === "star") columns.push(...inputColumns);
    else if (item.kind === "explode") columns.push(...(item.aliases ?? ["key", "value"]));
    else columns.push(outputName(item, i));
  });

  const project = (scope: Scope, group?: Scope[]): Row[] => {
    let outputs: Row[] = [{}];
    select.items.forEach((item, i) => {
      if (item.kind === "star") {
        outputs = outputs.map((o) => ({ ...o, ...scope.row }));
      } else if (item.kind === "expr") {
        const value = evaluate(item.expr, scope, group);
        outputs = outputs.map((o) => ({ ...o, [outputName(item, i)]: value }));
      } else {
        const value = evaluate(item.arg, scope);
        const entries: unknown[][] = Array.isArray(value) ? value.map((v) => [v]) : isObject(value) ? Object.entries(value) : [];
        const names = item.aliases ?? (Array.isArray(value) ? ["col"] : ["key", "value"]);
        if (entries.length > 0 && entries[0].length !== names.length) fail("42K0E", `explode gives ${entries[0].length} columns, the alias lists ${names.length}`);
        outputs = outputs.flatMap((o) => entries.map((e) => ({ ...o, ...Object.fromEntries(names.map((n, k) => [n, e[k]])) })));
      }
    });
    return outputs;
  };

  let output: Row[];
  if (grouped) {
    const keys = (select.groupBy ?? []).map(canonical);
    for (const item of select.items) {
      if (item.kind === "star") fail("42803", "SELECT * cannot be used with GROUP BY");
      if (item.kind === "expr") checkGrouped(item.expr, keys);
    }
    const groups = new Map<string, Scope[]>();
    for (const scope of rows) {
      const key = canonical((select.groupBy ?? []).map((g) => evaluate(g, scope)));
      groups.set(key, [...(groups.get(key) ?? []), scope]);
    }
    if (groups.size === 0 && select.groupBy === undefined) groups.set("", []);
    output = [...groups.values()].flatMap((g) => project(g[0] ?? { row: {}, columns: inputColumns }, g));
  } else {
    output = rows.flatMap((s) => project(s));
  }
  return { columns, rows: select.distinct ? distinctRows(output) : output };
}

function distinctRows(rows: Row[]): Row[] {
  return [...new Map(rows.map((r) => [canonical(r), r])).values()];
}

/** Runs a query (one SELECT or several joined by UNION) and returns its rows. */
export function runQuery(query: Query, tables: Tables): Result {
  const results = query.selects.map((s) => runSelect(s, tables));
  const [first, ...rest] = results;
  for (const r of rest) {
    if (r.columns.length !== first.columns.length) fail("42601", `each UNION query must have the same number of columns (${first.columns.length} and ${r.columns.length})`);
  }
  // UNION takes the first SELECT's column names, by position.
  const rows = [
    ...first.rows,
    ...rest.flatMap((r) => r.rows.map((row) => Object.fromEntries(first.columns.map((name, i) => [name, row[r.columns[i]] ?? null])))),
  ];
  return { columns: first.columns, rows: query.distinct ? distinctRows(rows) : rows };
}
