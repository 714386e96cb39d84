/** The statements the emulator's Query Service engine parses: a subset of Spark SQL. */

export type Statement = { kind: "insert"; table: string; query: Query } | { kind: "query"; query: Query };

/** One or more SELECTs joined by `UNION ALL` (or `UNION`, which removes duplicate rows). */
export interface Query {
  selects: Select[];
  distinct: boolean;
}

export interface Select {
  distinct: boolean;
  items: SelectItem[];
  from?: Source;
  where?: Expr;
  groupBy?: Expr[];
}

export type SelectItem =
  | { kind: "star" }
  | { kind: "expr"; expr: Expr; alias?: string }
  /** `explode(map)` gives `key`, `value`; `explode(array)` gives `col`; `AS (a, b)` renames them. */
  | { kind: "explode"; arg: Expr; aliases?: string[] };

export type Source = { kind: "table"; name: string; alias?: string } | { kind: "subquery"; query: Query; alias?: string };

export type Expr =
  | { kind: "literal"; value: unknown }
  | { kind: "column"; name: string }
  | { kind: "field"; of: Expr; name: string }
  | { kind: "index"; of: Expr; index: Expr }
  | { kind: "call"; name: string; args: Expr[]; star?: boolean; distinct?: boolean }
  /** `struct(expr AS name, ...)`: the names are part of the call. */
  | { kind: "struct"; fields: Array<{ name: string; expr: Expr }> }
  | { kind: "case"; operand?: Expr; whens: Array<{ when: Expr; then: Expr }>; else?: Expr }
  | { kind: "binary"; op: "=" | "<>" | "<" | "<=" | ">" | ">=" | "AND" | "OR" | "+" | "-" | "||"; left: Expr; right: Expr }
  | { kind: "not"; expr: Expr }
  | { kind: "isNull"; expr: Expr; negated: boolean }
  | { kind: "in"; expr: Expr; list: Expr[]; negated: boolean }
  | { kind: "cast"; expr: Expr; type: string };

/** A Query Service error entry (`errors[]` of a failed query). */
export interface SqlError {
  code: string;
  message: string;
}

export class SqlFailure extends Error {
  constructor(readonly error: SqlError) {
    super(error.message);
  }
}

export const syntaxError = (near: string): SqlFailure => new SqlFailure({ code: "42601", message: `ErrorCode: 42601 syntax error at or near "${near}"` });
