/**
 * A formula that cannot be parsed or compiled. The message starts with `formula: ` and names the
 * position and what was expected; `position` is the same 0-based offset (a JavaScript string
 * index) into the formula text.
 */
export class FormulaError extends Error {
  override readonly name = "FormulaError";

  constructor(
    detail: string,
    readonly position: number,
  ) {
    super(`formula: ${detail}`);
  }
}

/**
 * A calculated-metric definition that has no formula text, because it uses a function other than
 * add, subtract, multiply, divide, metric and number (e.g. segment filters or `col-sum`), or is
 * malformed. `path` locates the node, e.g. `formula.col1.col2`.
 */
export class DefinitionFormatError extends Error {
  override readonly name = "DefinitionFormatError";

  constructor(
    detail: string,
    readonly path: string,
  ) {
    super(`calculated metric definition: ${detail} at ${path}`);
  }
}
