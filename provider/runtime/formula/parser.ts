import { FormulaError } from "./errors";
import { tokenize, type Token } from "./lexer";
import type { FormulaNode, Operator } from "./types";

const OPERAND = `a metric name like [Sends], a number or "("`;

/**
 * Parses a calculated-metric formula as Adobe's guides write them, e.g.
 * `[Sends] + [Bounces] - [Bounces After Delivery]`.
 *
 * Grammar: `+ - * /` with the usual precedence (`*` and `/` before `+` and `-`), all left
 * associative; unary minus (binds tighter than `*`); parentheses; numbers (`12`, `0.5`, `.5`,
 * `1e3`); metric names in brackets. A name is any text up to the next `]`, with surrounding
 * whitespace trimmed; inside a name `\]`, `\[` and `\\` stand for `]`, `[` and `\` (an unescaped
 * `[` inside a name is reported as an unclosed bracket). Whitespace between tokens is ignored.
 *
 * Bounded, so no formula can exhaust the stack of the parser or of what walks its tree: at most
 * {@link FORMULA_LIMITS}`.characters` characters, `.terms` metrics and numbers, and `.depth`
 * parentheses and unary minuses inside each other.
 *
 * @throws {FormulaError} with the 0-based `position` of the problem, for an empty formula, an
 * unclosed or empty `[...]`, a stray `]`, unbalanced parentheses, a missing operand (e.g. a
 * trailing operator), a missing operator (two operands in a row), or a formula over the limits.
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

  /** Runs `parse` one level deeper (a parenthesis or a unary minus opened at `position`). */
  private nested<T>(position: number, parse: () => T): T {
    if (++this.depth > FORMULA_LIMITS.depth) {
      throw new FormulaError(`nests parentheses and minus signs more than ${FORMULA_LIMITS.depth} deep at position ${position}`, position);
    }
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  parseFormula(): FormulaNode {
    if (this.peek().kind === "end") throw new FormulaError("empty formula", 0);
    const node = this.additive();
    const next = this.peek();
    if (next.kind === "close") {
      throw new FormulaError(
        `unexpected ")" at position ${next.position} with no "(" before it to close; ` +
          `expected an operator (+ - * /) or the end of the formula`,
        next.position,
      );
    }
    if (next.kind !== "end") throw expected("an operator (+ - * /) or the end of the formula", next);
    return node;
  }

  private additive(): FormulaNode {
    let left = this.multiplicative();
    for (let op = this.operator("+", "-"); op; op = this.operator("+", "-")) {
      left = { kind: "binary", operator: op.operator, left, right: this.multiplicative(), position: op.position };
    }
    return left;
  }

  private multiplicative(): FormulaNode {
    let left = this.unary();
    for (let op = this.operator("*", "/"); op; op = this.operator("*", "/")) {
      left = { kind: "binary", operator: op.operator, left, right: this.unary(), position: op.position };
    }
    return left;
  }

  private unary(): FormulaNode {
    const minus = this.operator("-");
    if (minus) return { kind: "negate", operand: this.nested(minus.position, () => this.unary()), position: minus.position };
    return this.primary();
  }

  private primary(): FormulaNode {
    const token = this.advance();
    switch (token.kind) {
      case "metric":
        return { kind: "metric", name: token.name, position: token.position };
      case "number":
        return { kind: "number", value: token.value, position: token.position };
      case "open": {
        const inner = this.nested(token.position, () => this.additive());
        const next = this.peek();
        if (next.kind === "close") {
          this.advance();
          return inner;
        }
        if (next.kind === "end") {
          throw new FormulaError(
            `unbalanced parenthesis: "(" opened at position ${token.position} is never closed; ` +
              `expected ")" at position ${next.position}`,
            token.position,
          );
        }
        throw expected(`an operator (+ - * /) or ")"`, next);
      }
      default:
        throw expected(OPERAND, token);
    }
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

function expected(what: string, found: Token): FormulaError {
  return new FormulaError(`expected ${what} at position ${found.position}, found ${describe(found)}`, found.position);
}

function describe(token: Token): string {
  switch (token.kind) {
    case "end":
      return "the end of the formula";
    case "metric":
    case "number":
      return token.raw;
    default:
      return JSON.stringify(token.raw);
  }
}
