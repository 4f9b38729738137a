/**
 * Where a Chromium or Chrome usually lives, for the browser tests (playwright-core never downloads one).
 * Order: `CHROME_PATH`, the executables on `PATH` (Debian `chromium`, Ubuntu `chromium-browser`, Google's
 * `google-chrome`), the usual absolute paths (macOS app bundles included), then Playwright's own cache.
 */
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];
const ABSOLUTE = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/snap/bin/chromium',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, name);
    if (existsSync(file)) return file;
  }
  return null;
}

/** Browsers Playwright installed into its cache (`npx playwright install chromium` on a connected machine). */
function inPlaywrightCache(): string | null {
  const cache = process.env.PLAYWRIGHT_BROWSERS_PATH ?? join(homedir(), '.cache', 'ms-playwright');
  if (!existsSync(cache)) return null;
  const builds = readdirSync(cache)
    .filter((d) => /^chromium(_headless_shell)?-\d+$/.test(d))
    .sort()
    .reverse();
  for (const build of builds) {
    for (const sub of [
      'chrome-linux64/chrome',
      'chrome-linux/chrome',
      'chrome-headless-shell-linux64/chrome-headless-shell',
      'chrome-mac/Chromium.app/Contents/MacOS/Chromium',
    ]) {
      const file = join(cache, build, sub);
      if (existsSync(file)) return file;
    }
  }
  return null;
}

/** The first browser found, or null. */
export function findBrowser(): string | null {
  const fromEnv = process.env.CHROME_PATH?.trim();
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  for (const name of NAMES) {
    const file = onPath(name);
    if (file) return file;
  }
  return ABSOLUTE.find((file) => existsSync(file)) ?? inPlaywrightCache();
}

/**
 * The `skip` option for a browser suite: false when a browser is there; under `CI=true` also false, so that
 * the suite fails at launch with `BROWSER_MISSING` naming the fix; otherwise one line saying how to enable it.
 */
export function browserSkip(browser: string | null): string | false {
  if (browser || process.env.CI === 'true') return false;
  return 'no Chromium or Chrome found: install one (Debian: apt-get install -y chromium) or set CHROME_PATH';
}

export const BROWSER_MISSING =
  'no Chromium or Chrome found (CI=true makes this a failure): .ci/run installs Debian chromium; elsewhere apt-get install -y chromium or set CHROME_PATH';
