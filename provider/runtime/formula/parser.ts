import { FormulaError } from "./errors";
import { tokenize, type Token } from "./lexer";
import { arity, CALLABLE, FILTER_CALL, type CallableFunction } from "./functions";
import type { FilterName, FormulaNode, Operator } from "./types";

const OPERAND = `a metric name like [Sends], a number, a function call or "("`;
const COMPARISONS: readonly Operator[] = [">", "<", ">=", "<=", "==", "!="];
const MOST_FUNCTIONS_LISTED = 12;

/**
 * Parses a calculated-metric formula as Adobe's guides write them, e.g.
 * `[Sends] + [Bounces] - [Bounces After Delivery]`, with Adobe's functions written as calls.
 *
 * Grammar, loosest first: one comparison `> < >= <= == !=` (they do not chain); `+ -`; `* /`
 * (all left associative); unary minus (binds tighter than `*`); then operands: metric names in
 * brackets, numbers (`12`, `0.5`, `.5`, `1e3`), parentheses, calls of Adobe's functions by id
 * (`abs([Sends])`, `if([Sends] > 0, 1, 0)`, `mean([Visits], true)`, arguments in the order of
 * the function's parameters, trailing optional ones left out), `true`/`false` (only as a flag
 * argument such as `include-zeros`), and `filter(<formula>, "Filter", ...)`, the formula on
 * the hits the named filters keep.
 *
 * A name is any text up to the next `]`, with surrounding whitespace trimmed; inside a name
 * `\]`, `\[` and `\\` stand for `]`, `[` and `\` (an unescaped `[` inside a name is reported
 * as an unclosed bracket). A filter name is double-quoted, `\"` and `\\` escaped. Whitespace
 * between tokens is ignored.
 *
 * Bounded, so no formula can exhaust the stack of the parser or of what walks its tree: at most
 * {@link FORMULA_LIMITS}`.characters` characters, `.terms` metrics and numbers, and `.depth`
 * parentheses, calls and unary minuses inside each other.
 *
 * @throws {FormulaError} with the 0-based `position` of the problem, for an empty formula, an
 * unclosed or empty `[...]`, a stray `]`, unbalanced parentheses, a missing operand (e.g. a
 * trailing operator), a missing operator (two operands in a row), an unknown function, a call
 * with the wrong number or kind of arguments, or a formula over the limits.
 */
export function parseFormula(text: string): FormulaNode {
  if (text.length > FORMULA_LIMITS.characters) {
    throw new FormulaError(`is ${text.length} characters long; a formula may have at most ${FORMULA_LIMITS.characters}`, FORMULA_LIMITS.characters);
  }
  const tokens = tokenize(text);
  const terms = tokens.filter((t) => t.kind === "metric" || t.kind === "number");
  if (terms.length > FORMULA_LIMITS.terms) {
    throw new FormulaError(`has ${terms.length} metrics and numbers; a formula may have at most ${FORMULA_LIMITS.terms}`, terms[FORMULA_LIMITS.terms].position);
  }
  return new Parser(tokens).parseFormula();
}

/** The largest formula {@link parseFormula} reads (far beyond what the Adobe UI's builder makes). */
export const FORMULA_LIMITS = { characters: 20_000, terms: 1_000, depth: 100 } as const;

class Parser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  /** Runs `parse` one level deeper (a parenthesis, a call or a unary minus opened at `position`). */
  private nested<T>(position: number, parse: () => T): T {
    if (++this.depth > FORMULA_LIMITS.depth) {
      throw new FormulaError(`nests parentheses, calls and minus signs more than ${FORMULA_LIMITS.depth} deep at position ${position}`, position);
    }
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  parseFormula(): FormulaNode {
    if (this.peek().kind === "end") throw new FormulaError("empty formula", 0);
    const node = operand(this.comparison());
    const next = this.peek();
    if (next.kind === "close") {
      throw new FormulaError(
        `unexpected ")" at position ${next.position} with no "(" before it to close; ` +
          `expected an operator (+ - * / > < >= <= == !=) or the end of the formula`,
        next.position,
      );
    }
    if (next.kind !== "end") throw expected("an operator (+ - * / > < >= <= == !=) or the end of the formula", next);
    return node;
  }

  private comparison(): FormulaNode {
    const left = this.additive();
    const op = this.operator(...COMPARISONS);
    if (!op) return left;
    const node: FormulaNode = { kind: "binary", operator: op.operator, left: operand(left), right: operand(this.additive()), position: op.position };
    const again = this.operator(...COMPARISONS);
    if (again) throw new FormulaError(`comparisons do not chain: a second "${again.operator}" at position ${again.position}; put one comparison in parentheses`, again.position);
    return node;
  }

  private additive(): FormulaNode {
    let left = this.multiplicative();
    for (let op = this.operator("+", "-"); op; op = this.operator("+", "-")) {
      left = { kind: "binary", operator: op.operator, left: operand(left), right: operand(this.multiplicative()), position: op.position };
    }
    return left;
  }

  private multiplicative(): FormulaNode {
    let left = this.unary();
    for (let op = this.operator("*", "/"); op; op = this.operator("*", "/")) {
      left = { kind: "binary", operator: op.operator, left: operand(left), right: operand(this.unary()), position: op.position };
    }
    return left;
  }

  private unary(): FormulaNode {
    const minus = this.operator("-");
    if (minus) return { kind: "negate", operand: operand(this.nested(minus.position, () => this.unary())), position: minus.position };
    return this.primary();
  }

  private primary(): FormulaNode {
    const token = this.advance();
    switch (token.kind) {
      case "metric":
        return { kind: "metric", name: token.name, position: token.position };
      case "number":
        return { kind: "number", value: token.value, position: token.position };
      case "name":
        if (token.name === "true" || token.name === "false") return { kind: "boolean", value: token.name === "true", position: token.position };
        return this.nested(token.position, () => (token.name === FILTER_CALL ? this.filter(token) : this.call(token)));
      case "open": {
        const inner = operand(this.nested(token.position, () => this.comparison()));
        this.close(token, `an operator (+ - * / > < >= <= == !=) or ")"`);
        return inner;
      }
      default:
        throw expected(OPERAND, token);
    }
  }

  private call(name: Token & { kind: "name" }): FormulaNode {
    const fn = CALLABLE.get(name.name);
    if (!fn) throw unknownFunction(name);
    const open = this.expectOpen(name);
    const args: FormulaNode[] = [];
    if (this.peek().kind !== "close") {
      do args.push(this.comparison());
      while (this.comma());
    }
    this.close(open, `"," or ")"`);
    checkArguments(fn, args, name.position);
    return { kind: "call", name: fn.id, args, position: name.position };
  }

  private filter(name: Token & { kind: "name" }): FormulaNode {
    const open = this.expectOpen(name);
    const inner = operand(this.comparison());
    const filters: FilterName[] = [];
    while (this.comma()) {
      const token = this.advance();
      if (token.kind !== "string") throw expected(`a filter name in double quotes, like "Email sends"`, token);
      if (token.value.trim() === "") throw new FormulaError(`empty filter name at position ${token.position}`, token.position);
      filters.push({ name: token.value.trim(), position: token.position });
    }
    if (filters.length === 0) throw expected(`"," and a filter name: filter(<formula>, "Filter name")`, this.peek());
    this.close(open, `"," or ")"`);
    return { kind: "filter", operand: inner, filters, position: name.position };
  }

  private expectOpen(name: Token): Token {
    const open = this.advance();
    if (open.kind !== "open") throw expected(`"(" after the function name ${name.raw}`, open);
    return open;
  }

  private close(open: Token, what: string): void {
    const next = this.peek();
    if (next.kind === "close") {
      this.advance();
      return;
    }
    if (next.kind === "end") {
      throw new FormulaError(`unbalanced parenthesis: "(" opened at position ${open.position} is never closed; expected ")" at position ${next.position}`, open.position);
    }
    throw expected(what, next);
  }

  private comma(): boolean {
    if (this.peek().kind !== "comma") return false;
    this.advance();
    return true;
  }

  /** Consumes the next token if it is one of `operators`. */
  private operator(...operators: Operator[]): { operator: Operator; position: number } | undefined {
    const token = this.peek();
    if (token.kind !== "operator" || !operators.includes(token.operator)) return undefined;
    this.advance();
    return { operator: token.operator, position: token.position };
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private advance(): Token {
    const token = this.tokens[this.index];
    if (token.kind !== "end") this.index++;
    return token;
  }
}

/** `node`, which is not `true`/`false`: flags are only arguments. */
function operand(node: FormulaNode): FormulaNode {
  if (node.kind === "boolean") {
    throw new FormulaError(`${node.value} at position ${node.position} is a flag; it is only an argument of a function that takes one, like mean([Visits], true)`, node.position);
  }
  return node;
}

function checkArguments(fn: CallableFunction, args: FormulaNode[], position: number): void {
  const { least, most } = arity(fn);
  if (args.length < least || args.length > most) {
    const wanted = least === most ? `${most}` : `${least} to ${most}`;
    const names = fn.parameters.map((p) => (p.optional ? `${p.key}?` : p.key)).join(", ");
    throw new FormulaError(`${fn.id} takes ${wanted} argument${most === 1 ? "" : "s"} (${names}), found ${args.length} at position ${position}`, position);
  }
  args.forEach((arg, i) => {
    const parameter = fn.parameters[i];
    const where = `argument ${i + 1} of ${fn.id} (${parameter.key}) at position ${arg.position}`;
    if (parameter.type === "boolean" && arg.kind !== "boolean") throw new FormulaError(`${where} is a flag: write true or false`, arg.position);
    if (parameter.type !== "boolean") operand(arg);
    if (parameter.type === "number" && !isNumberLiteral(arg)) throw new FormulaError(`${where} must be a number, like 0`, arg.position);
  });
}

function isNumberLiteral(node: FormulaNode): boolean {
  return node.kind === "number" || (node.kind === "negate" && node.operand.kind === "number");
}

function unknownFunction(name: Token & { kind: "name" }): FormulaError {
  const hyphen = name.name.includes("-") ? ` (to subtract, put spaces around "-")` : "";
  const close = [...CALLABLE.keys()].filter((id) => id.startsWith(name.name.slice(0, 2).toLowerCase())).slice(0, MOST_FUNCTIONS_LISTED);
  const hint = close.length > 0 ? `; did you mean ${close.join(", ")}?` : "; the functions are Adobe's ids (docs/FORMULAS.md lists them)";
  return new FormulaError(`unknown function "${name.name}" at position ${name.position}${hyphen}${hint}`, name.position);
}

function expected(what: string, found: Token): FormulaError {
  return new FormulaError(`expected ${what} at position ${found.position}, found ${describe(found)}`, found.position);
}

function describe(token: Token): string {
  switch (token.kind) {
    case "end":
      return "the end of the formula";
    case "metric":
    case "number":
    case "name":
    case "string":
      return token.raw;
    default:
      return JSON.stringify(token.raw);
  }
}
