// Reads the fenced code blocks of a doc, so that tests run a recipe exactly as the doc gives it.
import { readFileSync } from 'node:fs';

/** The text of each block fenced as ````lang` in the Markdown file `path`, in order. */
export function fencedBlocks(path: string, lang: string): string[] {
  const text = readFileSync(path, 'utf8');
  const fence = new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```$', 'gm');
  return [...text.matchAll(fence)].map((match) => match[1] ?? '');
}

/** The one block fenced as ````lang` in `path`; throws when there is none or more than one. */
export function onlyBlock(path: string, lang: string): string {
  const blocks = fencedBlocks(path, lang);
  if (blocks.length !== 1) {
    throw new Error(
      `${path} should have one \`\`\`${lang} block, the recipe; it has ${blocks.length}.`,
    );
  }
  return blocks[0]!;
}
