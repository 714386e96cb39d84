/**
 * A recursive-descent parser for the Spark SQL subset Query Service batch queries use here:
 * `INSERT INTO t <query>` or a bare query; `SELECT [DISTINCT] ... FROM table | (query) [WHERE]
 * [GROUP BY]`, joined by `UNION [ALL]`; expressions with nested field paths (`a.b['k'][0]`),
 * `CASE`, `IN`, `IS [NOT] NULL`, `AND`/`OR`/`NOT`, comparisons, `CAST`, `struct(x AS n, ...)`
 * and function calls. Keywords and identifiers are case-insensitive; strings take `''` or `\'`
 * for a quote; backticks quote identifiers.
 */
import { SqlFailure, syntaxError, type Expr, type Query, type Select, type SelectItem, type Source, type Statement } from "./ast";

type Token = { type: "ident" | "quoted" | "string" | "number" | "op" | "end"; text: string; value?: unknown };

const KEYWORDS = new Set([
  "SELECT", "FROM", "WHERE", "GROUP", "BY", "UNION", "ALL", "DISTINCT", "AS", "AND", "OR", "NOT", "IN", "IS", "NULL", "TRUE", "FALSE",
  "CASE", "WHEN", "THEN", "ELSE", "END", "INSERT", "INTO", "CAST", "ORDER", "HAVING", "LIMIT", "JOIN", "ON",
]);

/** Statements Query Service knows but the emulator does not run (batch queries update no row: troubleshooting guide). */
const UNSUPPORTED = new Set(["UPDATE", "DELETE", "MERGE", "TRUNCATE", "CREATE", "DROP", "ALTER", "WITH", "EXPLAIN", "SHOW", "SET", "BEGIN", "COMMIT", "ROLLBACK"]);

const notSupported = (what: string) => new SqlFailure({ code: "0A000", message: `ErrorCode: 0A000 feature not supported: ${what} (the emulator runs SELECT and INSERT INTO ... SELECT)` });

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (/\s/.test(c)) { i++; continue; }
    if (sql.startsWith("--", i)) { while (i < sql.length && sql[i] !== "\n") i++; continue; }
    if (sql.startsWith("/*", i)) { const end = sql.indexOf("*/", i + 2); i = end < 0 ? sql.length : end + 2; continue; }
    if (c === "'" || c === '"') {
      let value = "";
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) throw syntaxError(sql.slice(i, i + 20));
        if (sql[j] === "\\" && j + 1 < sql.length) { value += sql[j + 1]; j += 2; continue; }
        if (sql[j] === c) { if (sql[j + 1] === c) { value += c; j += 2; continue; } break; }
        value += sql[j++];
      }
      tokens.push({ type: "string", text: sql.slice(i, j + 1), value });
      i = j + 1;
      continue;
    }
    if (c === "`") {
      const end = sql.indexOf("`", i + 1);
      if (end < 0) throw syntaxError(sql.slice(i, i + 20));
      tokens.push({ type: "quoted", text: sql.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const number = /^\d+(\.\d+)?/.exec(sql.slice(i));
    if (number) { tokens.push({ type: "number", text: number[0], value: Number(number[0]) }); i += number[0].length; continue; }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i));
    if (ident) { tokens.push({ type: "ident", text: ident[0] }); i += ident[0].length; continue; }
    const op = /^(<>|!=|<=|>=|==|\|\||[=<>(),.*;\[\]+-])/.exec(sql.slice(i));
    if (!op) throw syntaxError(c);
    tokens.push({ type: "op", text: op[0] });
    i += op[0].length;
  }
  tokens.push({ type: "end", text: "end of input" });
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }
  private isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === "ident" && t.text.toUpperCase() === word;
  }
  private isOp(op: string): boolean {
    const t = this.peek();
    return t.type === "op" && t.text === op;
  }
  private next(): Token {
    return this.tokens[this.pos++];
  }
  private fail(): never {
    throw syntaxError(this.peek().text);
  }
  private keyword(word: string): void {
    if (!this.isKeyword(word)) this.fail();
    this.pos++;
  }
  private acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.pos++;
    return true;
  }
  private op(op: string): void {
    if (!this.isOp(op)) this.fail();
    this.pos++;
  }
  private acceptOp(op: string): boolean {
    if (!this.isOp(op)) return false;
    this.pos++;
    return true;
  }
  private identifier(): string {
    const t = this.peek();
    if (t.type === "quoted" || (t.type === "ident" && !KEYWORDS.has(t.text.toUpperCase()))) {
      this.pos++;
      return t.text;
    }
    return this.fail();
  }
  private alias(): string | undefined {
    if (this.acceptKeyword("AS")) return this.identifier();
    const t = this.peek();
    if (t.type === "quoted" || (t.type === "ident" && !KEYWORDS.has(t.text.toUpperCase()))) return this.identifier();
    return undefined;
  }

  statement(): Statement {
    let result: Statement;
    const first = this.peek();
    if (first.type === "ident" && UNSUPPORTED.has(first.text.toUpperCase())) throw notSupported(first.text.toUpperCase());
    if (this.acceptKeyword("INSERT")) {
      // "Query Service does not support the INSERT OVERWRITE INTO command" (troubleshooting guide).
      if (this.isKeyword("OVERWRITE")) throw notSupported("INSERT OVERWRITE");
      this.keyword("INTO");
      const table = this.identifier();
      result = { kind: "insert", table, query: this.query() };
    } else {
      result = { kind: "query", query: this.query() };
    }
    this.acceptOp(";");
    if (this.peek().type !== "end") this.fail();
    return result;
  }

  private query(): Query {
    const selects = [this.select()];
    let distinct = false;
    while (this.acceptKeyword("UNION")) {
      if (!this.acceptKeyword("ALL")) distinct = true;
      selects.push(this.select());
    }
    return { selects, distinct };
  }

  private select(): Select {
    if (this.acceptOp("(")) {
      const inner = this.query();
      this.op(")");
      if (inner.selects.length !== 1) this.fail();
      return inner.selects[0];
    }
    this.keyword("SELECT");
    const distinct = this.acceptKeyword("DISTINCT");
    if (!distinct) this.acceptKeyword("ALL");
    const items = [this.selectItem()];
    while (this.acceptOp(",")) items.push(this.selectItem());
    const select: Select = { distinct, items };
    if (this.acceptKeyword("FROM")) select.from = this.source();
    if (this.acceptKeyword("WHERE")) select.where = this.expr();
    if (this.acceptKeyword("GROUP")) {
      this.keyword("BY");
      select.groupBy = [this.expr()];
      while (this.acceptOp(",")) select.groupBy.push(this.expr());
    }
    return select;
  }

  private selectItem(): SelectItem {
    if (this.acceptOp("*")) return { kind: "star" };
    if (this.isKeyword("EXPLODE") && this.peek(1).type === "op" && this.peek(1).text === "(") {
      this.pos += 2;
      const arg = this.expr();
      this.op(")");
      if (this.acceptKeyword("AS")) {
        if (this.acceptOp("(")) {
          const aliases = [this.identifier()];
          while (this.acceptOp(",")) aliases.push(this.identifier());
          this.op(")");
          return { kind: "explode", arg, aliases };
        }
        return { kind: "explode", arg, aliases: [this.identifier()] };
      }
      return { kind: "explode", arg };
    }
    const expr = this.expr();
    return { kind: "expr", expr, alias: this.alias() };
  }

  private source(): Source {
    if (this.acceptOp("(")) {
      const query = this.query();
      this.op(")");
      return { kind: "subquery", query, alias: this.alias() };
    }
    const name = this.identifier();
    return { kind: "table", name, alias: this.alias() };
  }

  expr(): Expr {
    let left = this.andExpr();
    while (this.acceptKeyword("OR")) left = { kind: "binary", op: "OR", left, right: this.andExpr() };
    return left;
  }
  private andExpr(): Expr {
    let left = this.notExpr();
    while (this.acceptKeyword("AND")) left = { kind: "binary", op: "AND", left, right: this.notExpr() };
    return left;
  }
  private notExpr(): Expr {
    if (this.acceptKeyword("NOT")) return { kind: "not", expr: this.notExpr() };
    return this.comparison();
  }
  private comparison(): Expr {
    const left = this.additive();
    const t = this.peek();
    if (t.type === "op" && ["=", "==", "<>", "!=", "<", "<=", ">", ">="].includes(t.text)) {
      this.pos++;
      const op = t.text === "==" ? "=" : t.text === "!=" ? "<>" : (t.text as "=" | "<>" | "<" | "<=" | ">" | ">=");
      return { kind: "binary", op, left, right: this.additive() };
    }
    if (this.acceptKeyword("IS")) {
      const negated = this.acceptKeyword("NOT");
      this.keyword("NULL");
      return { kind: "isNull", expr: left, negated };
    }
    const negated = this.isKeyword("NOT") && this.isKeyword("IN", 1);
    if (negated) this.pos++;
    if (this.acceptKeyword("IN")) {
      this.op("(");
      const list = [this.expr()];
      while (this.acceptOp(",")) list.push(this.expr());
      this.op(")");
      return { kind: "in", expr: left, list, negated };
    }
    return left;
  }
  private additive(): Expr {
    let left = this.postfix();
    for (;;) {
      const t = this.peek();
      if (t.type !== "op" || !["+", "-", "||"].includes(t.text)) return left;
      this.pos++;
      left = { kind: "binary", op: t.text as "+" | "-" | "||", left, right: this.postfix() };
    }
  }
  private postfix(): Expr {
    let expr = this.primary();
    for (;;) {
      if (this.acceptOp(".")) expr = { kind: "field", of: expr, name: this.identifier() };
      else if (this.acceptOp("[")) {
        const index = this.expr();
        this.op("]");
        expr = { kind: "index", of: expr, index };
      } else return expr;
    }
  }
  private primary(): Expr {
    const t = this.peek();
    if (t.type === "string" || t.type === "number") {
      this.pos++;
      return { kind: "literal", value: t.value };
    }
    if (this.acceptOp("(")) {
      const inner = this.expr();
      this.op(")");
      return inner;
    }
    if (this.acceptOp("-")) {
      const n = this.next();
      if (n.type !== "number") this.fail();
      return { kind: "literal", value: -(n.value as number) };
    }
    if (this.acceptKeyword("NULL")) return { kind: "literal", value: null };
    if (this.acceptKeyword("TRUE")) return { kind: "literal", value: true };
    if (this.acceptKeyword("FALSE")) return { kind: "literal", value: false };
    if (this.acceptKeyword("CASE")) return this.caseExpr();
    if (this.acceptKeyword("CAST")) {
      this.op("(");
      const expr = this.expr();
      this.keyword("AS");
      const type = this.identifier().toUpperCase();
      this.op(")");
      return { kind: "cast", expr, type };
    }
    if (t.type === "quoted") {
      this.pos++;
      return { kind: "column", name: t.text };
    }
    if (t.type === "ident" && !KEYWORDS.has(t.text.toUpperCase())) {
      this.pos++;
      if (!this.acceptOp("(")) return { kind: "column", name: t.text };
      const name = t.text.toLowerCase();
      if (name === "struct") return this.structCall();
      if (this.acceptOp(")")) return { kind: "call", name, args: [] };
      if (this.acceptOp("*")) {
        this.op(")");
        return { kind: "call", name, args: [], star: true };
      }
      const distinct = this.acceptKeyword("DISTINCT");
      const args = [this.expr()];
      while (this.acceptOp(",")) args.push(this.expr());
      this.op(")");
      return { kind: "call", name, args, distinct };
    }
    return this.fail();
  }
  private structCall(): Expr {
    const fields: Array<{ name: string; expr: Expr }> = [];
    if (this.acceptOp(")")) return { kind: "struct", fields };
    do {
      const expr = this.expr();
      const name = this.alias() ?? implicitName(expr, fields.length);
      fields.push({ name, expr });
    } while (this.acceptOp(","));
    this.op(")");
    return { kind: "struct", fields };
  }
  private caseExpr(): Expr {
    const operand = this.isKeyword("WHEN") ? undefined : this.expr();
    const whens: Array<{ when: Expr; then: Expr }> = [];
    while (this.acceptKeyword("WHEN")) {
      const when = this.expr();
      this.keyword("THEN");
      whens.push({ when, then: this.expr() });
    }
    if (whens.length === 0) this.fail();
    const otherwise = this.acceptKeyword("ELSE") ? this.expr() : undefined;
    this.keyword("END");
    return { kind: "case", operand, whens, else: otherwise };
  }
}

/** The name Spark gives a struct field or output column written without `AS`. */
export function implicitName(expr: Expr, position: number): string {
  if (expr.kind === "column") return expr.name;
  if (expr.kind === "field") return expr.name;
  return `col${position + 1}`;
}

/** Parses one statement, or throws a `SqlFailure` with Query Service's syntax error. */
export function parseStatement(sql: string): Statement {
  return new Parser(tokenize(sql)).statement();
}
