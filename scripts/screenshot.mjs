// Takes the README's screenshots of the built site: `node scripts/screenshot.mjs URL OUT.png [WIDTH]`.
import { chromium } from 'playwright-core';
import { findChromium } from '../tests/e2e/chromium-path.ts';

const [url, out, width = '1400'] = process.argv.slice(2);
if (!url || !out) {
  console.error('usage: node scripts/screenshot.mjs URL OUT.png [WIDTH]');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: findChromium(),
  args: ['--headless', '--no-sandbox', '--disable-background-networking', '--enable-unsafe-webgpu'],
});
const page = await browser.newPage({ viewport: { width: Number(width), height: 900 } });
await page.goto(url, { waitUntil: 'networkidle' });
await page.screenshot({ path: out });
await browser.close();
