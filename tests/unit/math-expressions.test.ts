// An MDX expression inside $…$ is printed, not evaluated (lesson 2 once showed "m = sharp.fewSteps"):
// the build's remark plugin (scripts/remark-math-expressions.mjs) must refuse one, let real TeX
// groups through, and find none in the lessons as they are.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { compile } from '@mdx-js/mdx';
import remarkMath from 'remark-math';
import { describe, expect, it } from 'vitest';
import remarkMathExpressions, {
  expressionsInTex,
  texInExpression,
} from '../../scripts/remark-math-expressions.mjs';

const build = (source: string) =>
  compile(source, { remarkPlugins: [remarkMath, remarkMathExpressions] });

describe('MDX expressions inside formulas', () => {
  it('fails the compile on a member access inside inline or display math, naming it', async () => {
    const lesson = "import { sharp } from './facts';\n\nwith $m = {sharp.fewSteps}$ steps\n";
    await expect(build(lesson)).rejects.toThrow(/\{sharp\.fewSteps.*printed, not evaluated/);
    await expect(build('$$\nx = {facts.value}\n$$\n')).rejects.toThrow(/\{facts\.value/);
  });

  it('fails on a name the lesson imports or exports, bare, indexed or called', async () => {
    const header = "import { steps } from './facts';\nexport const gap = 3;\n\n";
    await expect(build(header + 'take $m = {steps}$\n')).rejects.toThrow(/\{steps\}/);
    await expect(build(header + 'take $m = {gap[0]}$\n')).rejects.toThrow(/\{gap\[/);
    await expect(build(header + 'take $m = { steps(2) }$\n')).rejects.toThrow(/\{ steps\(/);
  });

  it('lets TeX groups through: subscripts, arguments, calls of unbound names, \\text', async () => {
    const tex = ['W_{xh}', '\\frac{a}{b}', 'e^{f(x)}', '\\text{e.g.}', '{1.5}', '\\mathbb{R}^{p}'];
    for (const t of tex) expect(expressionsInTex(t, new Set(['steps'])), t).toEqual([]);
    await expect(build('$W_{xh} + \\text{i.e.}$ and {1 + 1}\n')).resolves.toBeTruthy();
  });

  it('fails on TeX inside an expression or an attribute, which is printed as it stands', async () => {
    const header = 'export const k = 48;\n\n';
    await expect(build(header + 'so {k > 1 ? `$\\cos(\\pi i) = (-1)^i$` : ""}.\n')).rejects.toThrow(
      /\$\\cos\(\\pi i\) = \(-1\)\^i\$, TeX that is printed/,
    );
    await expect(
      build(header + '<Q explain={`the gradient $q_y - 1$ is ${k}`} />\n'),
    ).rejects.toThrow(/\$q_y - 1\$/);
    // Template literals' ${…}, prices and plain dollars are not TeX.
    for (const source of ['`${a}_${b}`', '`cost $5, then $6`', '"a $ sign"', '`${x}^2 and ${y}`'])
      expect(texInExpression(source), source).toEqual([]);
    expect(texInExpression('`is $\\sqrt{2}$`')).toEqual(['$\\sqrt{2}$']);
  });

  it('finds none in any lesson', async () => {
    const dir = 'content/lessons';
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.mdx'))) {
      await expect(build(readFileSync(`${dir}/${file}`, 'utf8')), file).resolves.toBeTruthy();
    }
  });
});

describe('one KaTeX', () => {
  it('renders the HTML (rehype-katex) with the KaTeX whose stylesheet the pages load', () => {
    const version = (from: string) => {
      const require = createRequire(from);
      return (require('katex/package.json') as { version: string }).version;
    };
    const rendering = version(createRequire(import.meta.url).resolve('rehype-katex'));
    const styling = version(new URL('../../src/layouts/Lesson.astro', import.meta.url).pathname);
    const css = readFileSync(
      createRequire(import.meta.url).resolve('katex/dist/katex.min.css'),
      'utf8',
    );
    expect(rendering).toBe(styling);
    expect(css).toContain(`katex-version:after{content:"${rendering}"}`);
    expect(readFileSync('src/layouts/Lesson.astro', 'utf8')).toContain(
      "import 'katex/dist/katex.min.css'",
    );
  });
});
