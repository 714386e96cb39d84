/**
 * Writes a metric name in brackets, escaping `\`, `[` and `]` with a backslash, so that the
 * lexer reads back exactly `name`.
 */
export function bracketName(name: string): string {
  return `[${name.replace(/[\\[\]]/g, (ch) => `\\${ch}`)}]`;
}
