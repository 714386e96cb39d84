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
 * @throws {FormulaError} with the 0-based `position` of the problem, for an empty formula, an
 * unclosed or empty `[...]`, a stray `]`, unbalanced parentheses, a missing operand (e.g. a
 * trailing operator) or a missing operator (two operands in a row).
 */
export function parseFormula(text: string): FormulaNode {
  return new Parser(tokenize(text)).parseFormula();
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

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
    if (minus) return { kind: "negate", operand: this.unary(), position: minus.position };
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
        const inner = this.additive();
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
