/**
 * The shell commands a reader copies out of a Markdown file: every line of a fenced `sh`, `bash`
 * or `shell` block (indented blocks in lists included; trailing `# comments` dropped, comment-only
 * lines skipped), and every inline code span that is an npm command (`npm run example -- root`).
 */

export interface DocCommand {
  /** The command as written, without its trailing comment. */
  command: string;
  /** 1-based line of the Markdown file. */
  line: number;
}

const FENCE = /^\s*```\s*(\S*)/;
const SHELL = new Set(["sh", "bash", "shell"]);
const INLINE_NPM = /`(npm (?:ci|test|run)\b[^`]*)`/g;

/** `cmd   # why` → `cmd`; a `#` inside quotes or a word (`a#b`) is kept. */
function withoutComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === "#" && (i === 0 || /\s/.test(line[i - 1]))) {
      return line.slice(0, i).trim();
    }
  }
  return line.trim();
}

export function markdownCommands(markdown: string): DocCommand[] {
  const commands: DocCommand[] = [];
  let fence: { shell: boolean } | undefined;
  markdown.split("\n").forEach((text, index) => {
    const line = index + 1;
    const opening = FENCE.exec(text);
    if (opening) {
      fence = fence ? undefined : { shell: SHELL.has(opening[1]) };
      return;
    }
    if (fence) {
      const command = fence.shell ? withoutComment(text) : "";
      if (command) commands.push({ command, line });
      return;
    }
    for (const match of text.matchAll(INLINE_NPM)) commands.push({ command: match[1].trim(), line });
  });
  return commands;
}
