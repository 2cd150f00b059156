// Opens pages of the built site in headless Chromium and records what a person would call a fault.
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { findChromium } from './chromium-path.ts';

/** Flags measured to work with Debian's Chromium here (docs/testing.md). */
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
];

/** Launches Debian's Chromium (or $CHROMIUM_PATH). */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium: run scripts/ensure-chromium.mjs first.');
  return chromium.launch({ executablePath, args: chromiumArgs });
}

export interface PageFaults {
  consoleErrors: string[];
  pageErrors: string[];
  /** Requests to any host other than the preview server. */
  offsiteRequests: string[];
}

/** The built site at the root of a host that sends its _headers (COOP/COEP and the CSP). */
export function baseURL(): string {
  return inject('baseURL');
}

/** The same build on a host that sends no headers at all: no cross-origin isolation. */
export function bareURL(): string {
  return inject('bareURL');
}

/** The build for SITE_BASE=/course/, served under /course/ (as GitHub Pages serves a project). */
export function courseURL(): string {
  return inject('courseURL');
}

/**
 * A new page that records console errors (a refused Content-Security-Policy included), uncaught
 * exceptions and requests leaving the host of `site`.
 */
export async function watchedPage(
  browser: Browser,
  site = baseURL(),
): Promise<{ page: Page; faults: PageFaults }> {
  const page = await browser.newPage();
  const faults: PageFaults = { consoleErrors: [], pageErrors: [], offsiteRequests: [] };
  const origin = new URL(site).origin;
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`CSP violation: ${event.effectiveDirective} refused ${event.blockedURI}`),
    ),
  );
  page.on('console', (message) => {
    if (message.type() === 'error') faults.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => faults.pageErrors.push(error.message));
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) {
      faults.offsiteRequests.push(url);
    }
  });
  return { page, faults };
}

/** Goes to `path` of `site`, scrolls to the widget `testid` and waits until it has hydrated. */
export async function openWidget(
  page: Page,
  path: string,
  testid: string,
  site = baseURL(),
): Promise<Locator> {
  await page.goto(site + path);
  const widget = page.getByTestId(testid);
  await widget.scrollIntoViewIfNeeded();
  await page.locator(`[data-testid="${testid}"][data-ready="true"]`).waitFor();
  return widget;
}

/** One Chromium for the calling test file: launched before its tests, closed after them. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('useBrowser: the browser is launched in beforeAll.');
    return browser;
  };
}
