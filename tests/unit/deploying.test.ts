// The recipes of docs/deploying.md that need no host to check: each Node version the doc tells a
// host to build with is one that package.json's `engines` accepts. The nginx recipe runs for real
// in tests/e2e/deploy-nginx.e2e.test.ts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { onlyBlock } from '../doc-blocks.ts';

const doc = 'docs/deploying.md';
const engines = (JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } })
  .engines.node;

/**
 * Whether the newest Node that `version` names ("22" is the newest 22.x, "22.12" the newest
 * 22.12.x) meets `range`, an engines range of the form ">=MAJOR.MINOR".
 */
function meetsEngines(version: string, range: string): boolean {
  const lowest = /^>=(\d+)\.(\d+)$/.exec(range);
  if (!lowest) throw new Error(`engines.node is ${range}: this test reads only ">=MAJOR.MINOR".`);
  const named = /^(\d+)(?:\.(\d+))?(?:\.\d+)?$/.exec(version);
  if (!named) throw new Error(`"${version}" is not a Node version this test can read.`);
  const [major, minor] = [Number(named[1]), named[2] === undefined ? Infinity : Number(named[2])];
  const [needMajor, needMinor] = [Number(lowest[1]), Number(lowest[2])];
  return major > needMajor || (major === needMajor && minor >= needMinor);
}

describe('the Node versions of docs/deploying.md', () => {
  it('reads versions as setup-node and the hosts do', () => {
    expect(meetsEngines('22', '>=22.12')).toBe(true);
    expect(meetsEngines('22.12', '>=22.12')).toBe(true);
    expect(meetsEngines('22.11.9', '>=22.12')).toBe(false);
    expect(meetsEngines('20', '>=22.12')).toBe(false);
    expect(meetsEngines('24', '>=22.12')).toBe(true);
  });

  it("the GitHub Pages workflow's node-version meets engines", () => {
    const workflow = onlyBlock(doc, 'yaml');
    const versions = [...workflow.matchAll(/node-version:\s*['"]?([\d.]+)/g)].map((m) => m[1]!);
    expect(versions).toHaveLength(1);
    expect(meetsEngines(versions[0]!, engines), `node-version ${versions[0]}`).toBe(true);
  });

  it('the NODE_VERSION given to Netlify and Cloudflare Pages meets engines', () => {
    const versions = [...readFileSync(doc, 'utf8').matchAll(/`NODE_VERSION=([\d.]+)`/g)];
    expect(versions).toHaveLength(1);
    expect(meetsEngines(versions[0]![1]!, engines)).toBe(true);
  });
});
