import { FormulaError } from "./errors";
import type { Operator } from "./types";

interface TokenBase {
  /** Offset of the token's first character. */
  position: number;
  /** The token exactly as written (empty for the end token). */
  raw: string;
}

export type Token = TokenBase &
  (
    | { kind: "metric"; name: string }
    | { kind: "number"; value: number }
    | { kind: "operator"; operator: Operator }
    | { kind: "name"; name: string }
    | { kind: "string"; value: string }
    | { kind: "open" }
    | { kind: "close" }
    | { kind: "comma" }
    | { kind: "end" }
  );

/** Longest first, so `>=` is not read as `>` then `=`. */
const OPERATORS: readonly Operator[] = [">=", "<=", "==", "!=", "+", "-", "*", "/", ">", "<"];
/** A function id or `true`/`false`: letters, digits and `_`, words joined by `-` (`ls-pred-linear`). */
const NAME = /[A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*/y;
const ESCAPABLE = new Set<string>(["\\", "[", "]"]);
const LONGEST_EXCERPT = 40;

/**
 * Splits formula text into tokens; the last token is always `end`. Throws {@link FormulaError}
 * for an unclosed or empty `[...]`, an unclosed `"...`, a stray `]`, a malformed number or a
 * character that no token starts with.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    let token: Token;
    if (ch === "[") {
      token = readMetric(text, i);
    } else if (ch === "]") {
      throw new FormulaError(
        `unexpected "]" at position ${i} with no "[" before it; metric names are written like [Sends]`,
        i,
      );
    } else if (isDigit(ch) || (ch === "." && isDigit(text[i + 1]))) {
      token = readNumber(text, i);
    } else if (ch === '"') {
      token = readString(text, i);
    } else if (/[A-Za-z]/.test(ch)) {
      NAME.lastIndex = i;
      const raw = NAME.exec(text)![0];
      if (raw !== "true" && raw !== "false" && text.slice(i + raw.length).trimStart()[0] !== "(") {
        throw new FormulaError(
          `unexpected word ${JSON.stringify(raw)} at position ${i}; metric names are written in brackets like [Sends], functions are called like abs([Sends])`,
          i,
        );
      }
      token = { kind: "name", name: raw, position: i, raw };
    } else if (OPERATORS.some((op) => text.startsWith(op, i))) {
      const operator = OPERATORS.find((op) => text.startsWith(op, i))!;
      token = { kind: "operator", operator, position: i, raw: operator };
    } else if (ch === "(") {
      token = { kind: "open", position: i, raw: ch };
    } else if (ch === ")") {
      token = { kind: "close", position: i, raw: ch };
    } else if (ch === ",") {
      token = { kind: "comma", position: i, raw: ch };
    } else {
      const char = String.fromCodePoint(text.codePointAt(i) ?? 0);
      const hint = ch === "=" ? '; compare with == (or != >= <=)' : "";
      throw new FormulaError(
        `unexpected character ${JSON.stringify(char)} at position ${i}${hint}; ` +
          `a formula is made of [metric names], numbers, + - * /, comparisons (> < >= <= == !=), function calls like abs([Sends]), filter([Sends], "Filter name") and parentheses`,
        i,
      );
    }
    tokens.push(token);
    i += token.raw.length;
  }
  tokens.push({ kind: "end", position: text.length, raw: "" });
  return tokens;
}

function readMetric(text: string, start: number): Token {
  let name = "";
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "\\" && ESCAPABLE.has(text[i + 1])) {
      name += text[i + 1];
      i += 2;
    } else if (ch === "]") {
      const raw = text.slice(start, i + 1);
      const trimmed = name.trim();
      if (trimmed === "") {
        throw new FormulaError(
          `empty metric name ${JSON.stringify(raw)} at position ${start}; ` +
            `write the metric's name between the brackets, like [Sends]`,
          start,
        );
      }
      return { kind: "metric", name: trimmed, position: start, raw };
    } else if (ch === "[") {
      throw unclosedBracket(text, start, i);
    } else {
      name += ch;
      i++;
    }
  }
  throw unclosedBracket(text, start, text.length);
}

/** A double-quoted filter name; `\"` and `\\` stand for `"` and `\`. */
function readString(text: string, start: number): Token {
  let value = "";
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\" && (text[i + 1] === '"' || text[i + 1] === "\\")) {
      value += text[++i];
    } else if (ch === '"') {
      return { kind: "string", value, position: start, raw: text.slice(start, i + 1) };
    } else {
      value += ch;
    }
  }
  throw new FormulaError(`unclosed quote: the name opened with " at position ${start} is never closed`, start);
}

function unclosedBracket(text: string, start: number, stop: number): FormulaError {
  const opened = text.slice(start, stop).trimEnd();
  const excerpt = opened.length > LONGEST_EXCERPT ? `${opened.slice(0, LONGEST_EXCERPT)}…` : opened;
  const where = stop < text.length ? ` before the next "[" at position ${stop}` : "";
  return new FormulaError(
    `unbalanced bracket: ${JSON.stringify(excerpt)} opened at position ${start} is never closed${where}` +
      ` (a "]" or "[" inside a name is written \\] or \\[)`,
    start,
  );
}

function readNumber(text: string, start: number): Token {
  let i = skipDigits(text, start);
  if (text[i] === ".") {
    const afterFraction = skipDigits(text, i + 1);
    if (afterFraction === i + 1) {
      throw new FormulaError(`expected a digit after "${text.slice(start, i + 1)}" at position ${i + 1}`, i + 1);
    }
    i = afterFraction;
  }
  if (text[i] === "e" || text[i] === "E") {
    let digitsStart = i + 1;
    if (text[digitsStart] === "+" || text[digitsStart] === "-") digitsStart++;
    const afterExponent = skipDigits(text, digitsStart);
    if (afterExponent === digitsStart) {
      throw new FormulaError(
        `expected the digits of an exponent after "${text.slice(start, digitsStart)}" at position ${digitsStart}`,
        digitsStart,
      );
    }
    i = afterExponent;
  }
  const raw = text.slice(start, i);
  const value = Number(raw);
  if (!Number.isFinite(value)) {
    throw new FormulaError(`number ${raw} at position ${start} is too large`, start);
  }
  return { kind: "number", value, position: start, raw };
}

function skipDigits(text: string, from: number): number {
  let i = from;
  while (isDigit(text[i])) i++;
  return i;
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= "0" && ch <= "9";
}
