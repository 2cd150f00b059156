// A remark plugin that fails the build on an MDX expression written inside TeX, and on TeX written
// inside an MDX expression.
//
// `$m = {sharp.fewSteps}$` is not evaluated: remark-math takes everything between the dollars as
// TeX, and KaTeX typesets the braces as a group, so the page prints the code "sharp.fewSteps".
// A TeX group never opens with a JavaScript member access (`{a.b}`), nor with one of the names
// the lesson imports or exports, so either inside a formula is taken for a misplaced expression.
// The other way round, `{x ? `… $\cos(\pi i)$ …` : ''}` prints the dollars: what an expression (or
// an attribute such as a question's `explain`) returns is text, which KaTeX never sees.
import { visit } from 'unist-util-visit';

/** Names bound by the lesson's `import` and `export` statements (MDX ESM nodes). */
function boundNames(tree) {
  const names = new Set();
  visit(tree, 'mdxjsEsm', (node) => {
    for (const statement of node.data?.estree?.body ?? []) {
      for (const specifier of statement.specifiers ?? []) names.add(specifier.local.name);
      const declaration = statement.declaration ?? statement;
      for (const declarator of declaration.declarations ?? []) {
        if (declarator.id?.type === 'Identifier') names.add(declarator.id.name);
      }
      if (declaration.id?.type === 'Identifier') names.add(declaration.id.name);
    }
  });
  return names;
}

const group = /\{\s*([A-Za-z_$][\w$]*)\s*(\.\s*[A-Za-z_$]|[[(}])/g;

/**
 * The JavaScript expressions found inside one formula: `{a.b…}`, or `{name}`, `{name[…`,
 * `{name(…` where `name` is bound by the lesson (`e^{f(x)}` with an unbound f is TeX). A TeX command's own argument (`\text{a.b}`) is TeX, not
 * code, and is left alone.
 * @param {string} tex
 * @param {Set<string>} names
 * @returns {string[]}
 */
export function expressionsInTex(tex, names) {
  const found = [];
  const plain = tex.replace(
    /\\(?:text|mathrm|textrm|textit|textbf|operatorname)\s*\{[^{}]*\}/g,
    '',
  );
  for (const match of plain.matchAll(group)) {
    if (!match[2].startsWith('.') && !names.has(match[1])) continue;
    const end = plain.indexOf('}', match.index);
    found.push(end < 0 ? plain.slice(match.index) : plain.slice(match.index, end + 1));
  }
  return found;
}

/**
 * The TeX formulas written inside one MDX expression's source: `$…$` holding a backslash, `^` or
 * `_`, and not a template literal's `${`.
 * @param {string} source
 * @returns {string[]}
 */
export function texInExpression(source) {
  return [...source.matchAll(/(?<![\\$])\$(?!\{)([^$`\n]*?[\\^_][^$`\n]*?)\$(?!\{)/g)].map(
    (m) => m[0],
  );
}

export default function remarkMathExpressions() {
  return (tree, file) => {
    const names = boundNames(tree);
    const refuse = (node, source) => {
      const found = texInExpression(source);
      if (found.length === 0) return;
      const start = node.position?.start;
      throw new Error(
        `${file.path ?? 'a lesson'}${start ? `:${start.line}:${start.column}` : ''}: the MDX ` +
          `expression holds ${found.join(', ')}, TeX that is printed as it stands: KaTeX typesets ` +
          'only the lesson text. Write it in Unicode (cos(πi) = (−1)ⁱ) or move it out of the expression.',
      );
    };
    visit(tree, ['mdxFlowExpression', 'mdxTextExpression'], (node) => refuse(node, node.value));
    visit(tree, ['mdxJsxFlowElement', 'mdxJsxTextElement'], (node) => {
      for (const attribute of node.attributes ?? []) {
        if (typeof attribute.value === 'object' && attribute.value?.value)
          refuse(node, attribute.value.value);
      }
    });
    visit(tree, ['inlineMath', 'math'], (node) => {
      const found = expressionsInTex(node.value, names);
      if (found.length === 0) return;
      const where = node.position?.start
        ? `${node.position.start.line}:${node.position.start.column}`
        : '';
      throw new Error(
        `${file.path ?? 'a lesson'}${where ? `:${where}` : ''}: the formula $${node.value}$ holds ` +
          `${found.join(', ')}, an MDX expression that is printed, not evaluated. ` +
          'Move the expression out of the dollars, e.g. $m$ = {value}.',
      );
    });
  };
}
