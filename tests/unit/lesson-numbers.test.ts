// Numbers about the course's own models in the lessons: lesson 5 writes the architecture into its
// math (KaTeX cannot render values), so each number there is checked against the shipped model's
// configuration; every other lesson renders its numbers from the artifacts (src/site-model.ts),
// so their typed forms must not appear in the MDX at all.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { paramShapes } from '../../lib/modarith/params.ts';
import { epochs, siteFacts, siteModel, siteRun } from '../../src/site-model.ts';

const lesson = (start: string) => {
  const file = readdirSync('content/lessons').find((f) => f.startsWith(start))!;
  return readFileSync(`content/lessons/${file}`, 'utf8');
};
const { p, dModel, heads, dMlp } = siteFacts;
const dHead = dModel / heads;
const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight'];
const grouped = (n: number) => n.toLocaleString('en');

describe("lesson 5's architecture", () => {
  const text = lesson('05-');
  it('names the shipped model’s sizes wherever its math writes them', () => {
    expect(text).toContain(`\\{0, \\dots, ${p - 1}\\}`);
    expect(text).toContain(`\\bmod ${p}$`);
    expect(text).toContain(`d_\\text{model} = ${dModel}$, ${words[heads]} attention heads`);
    expect(text).toContain(`d_\\text{head} = ${dHead}$`);
    expect(text).toContain(`d_\\text{mlp} = ${dMlp}$`);
    expect(text).toContain(`\\in \\mathbb{R}^{${dModel}}`);
    expect(text).toContain(`\\in \\mathbb{R}^{${dMlp}}`);
    expect(text).toContain(`\\in \\mathbb{R}^{${p}}`);
    expect(text).toContain(`$W_E$ has ${p + 1} rows (${p} numbers and $=$)`);
    expect(text).toContain(`\\sqrt{${dHead}}`);
    expect(text).toContain(`a linear map up to ${dMlp} neurons`);
    expect(text).toContain(`The logits over the ${p} possible answers`);
  });

  it('counts the parameters of the shipped model in its table and its total', () => {
    const shapes = paramShapes({ p, d_model: dModel, n_heads: heads, d_head: dHead, d_mlp: dMlp });
    const size = (name: keyof typeof shapes) => shapes[name].reduce((n, d) => n * d, 1);
    const rows: [string, number][] = [
      ['$W_E$, $W_\\text{pos}$', size('embed.W_E') + size('pos_embed.W_pos')],
      ['$W_Q, W_K, W_V$', 3 * size('blocks.0.attn.W_Q')],
      ['$W_O$', size('blocks.0.attn.W_O')],
      ['$W_\\text{in}$, $W_\\text{out}$', size('blocks.0.mlp.W_in') + size('blocks.0.mlp.W_out')],
      ['$W_U$', size('unembed.W_U')],
    ];
    for (const [name, count] of rows) {
      const line = text.split('\n').find((l) => l.startsWith(`| ${name} |`));
      expect(line, name).toBeDefined();
      expect(line!.trim().split('|').at(-2)!.trim(), name).toBe(grouped(count));
      // The shape column multiplies out to the same count.
      const shape = line!.split('|')[2]!;
      const products = [...shape.matchAll(/\$([^$]+)\$/g)].map((m) =>
        m[1]!.split('\\times').reduce((n, d) => n * Number(d.trim()), 1),
      );
      expect(
        products.reduce((s, x) => s + x, 0),
        name,
      ).toBe(count);
    }
    const total = rows.reduce((s, [, n]) => s + n, 0);
    expect(text).toContain(`About ${grouped(Math.round(total / 1000) * 1000)} weights`);
  });
});

describe("lesson 3's example neuron", () => {
  it('has one frequency in the model it is rendered from', () => {
    expect(lesson('03-')).toContain('neuron {exampleNeuron} listens to one frequency');
    expect(siteFacts.neuronCensus().neuronFreq[17]).toBeGreaterThan(0);
  });
});

describe('the lessons that render their numbers', () => {
  // What src/site-model.ts renders, as it would look typed: none of it may be typed instead.
  const typed = [
    siteModel.keyFreqs.join(', '),
    epochs(siteRun.finalEpoch),
    epochs(siteRun.phases.cleanedUp),
    String(siteFacts.neuronCensus().singleFrequency),
    grouped(siteFacts.inputs),
    `every ${siteRun.measuredEvery} epochs`,
  ];
  it.each(['03-', '06-', '08-', '09-'])('lesson %s types none of them', (start) => {
    const prose = lesson(start)
      .split('\n')
      .filter((line) => !/^(import|export) /.test(line))
      .join('\n');
    for (const value of typed) expect(prose, value).not.toContain(value);
  });
});
