import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface CodeBlock {
  file: string;
  /** The nearest `#`/`##`/`###` heading above the block. */
  heading: string;
  lang: string;
  code: string;
}

/** Fenced code blocks of a Markdown file (path relative to the repository root). */
export function codeBlocks(file: string): CodeBlock[] {
  const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
  const blocks: CodeBlock[] = [];
  let heading = '';
  let open: { lang: string; lines: string[] } | undefined;
  for (const line of text.split('\n')) {
    if (open) {
      if (line.startsWith('```')) {
        blocks.push({ file, heading, lang: open.lang, code: open.lines.join('\n') });
        open = undefined;
      } else open.lines.push(line);
    } else if (line.startsWith('```')) open = { lang: line.slice(3).trim(), lines: [] };
    else if (/^#{1,3} /.test(line)) heading = line.replace(/^#+ /, '');
  }
  return blocks;
}

/** Shell commands of a block: continuation lines joined, comments and blank lines dropped. */
export function shellCommands(code: string): string[] {
  return code
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}
