/** Headless Chromium for the web-page tests, and the page errors they assert are absent. */
import { type Browser, chromium, type Page } from 'playwright-core';
import { BROWSER_MISSING } from './find-browser.js';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
];

/** Launches `executable` (from `findBrowser()`); throws `BROWSER_MISSING` when there is none. */
export async function launchHeadless(
  executable: string | null,
  extraArgs: readonly string[] = [],
): Promise<Browser> {
  if (!executable) throw new Error(BROWSER_MISSING);
  return chromium.launch({ executablePath: executable, args: [...ARGS, ...extraArgs] });
}

/** Console errors and uncaught exceptions (a CSP violation shows up as a console error). */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}
