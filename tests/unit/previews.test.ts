// The model views' previews: the committed files are what `npm run previews` makes from the
// shipped model, and the PNG writer's output decodes back to its pixels.
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodePng } from '../../scripts/png.ts';
import { makePreviews } from '../../scripts/previews/make.ts';

/** Width, height and RGBA pixels of a PNG written without filtering, as encodePng writes. */
function decodePng(png: Buffer): { width: number; height: number; rgba: Uint8Array } {
  expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  let at = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') [width, height] = [data.readUInt32BE(0), data.readUInt32BE(4)];
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const rows = inflateSync(Buffer.concat(idat));
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(rows[y * (1 + 4 * width)]).toBe(0);
    rgba.set(rows.subarray(y * (1 + 4 * width) + 1, (y + 1) * (1 + 4 * width)), y * 4 * width);
  }
  return { width, height, rgba };
}

describe('model view previews', () => {
  it('PNGs decode back to the pixels written', () => {
    const rgba = Uint8ClampedArray.from({ length: 5 * 3 * 4 }, (_, i) => (i * 37) % 256);
    const image = decodePng(encodePng(rgba, 5, 3));
    expect([image.width, image.height]).toEqual([5, 3]);
    expect([...image.rgba]).toEqual([...rgba]);
  });

  it('the committed previews are the ones the shipped model makes', () => {
    for (const [name, content] of Object.entries(makePreviews())) {
      expect(readFileSync(`public/previews/${name}`).equals(Buffer.from(content)), name).toBe(true);
    }
    const attention = decodePng(readFileSync('public/previews/attention.png'));
    expect([attention.width, attention.height]).toEqual([4 * 113 + 3 * 6, 113]);
  }, 60_000);
});
