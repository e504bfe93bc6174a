import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

/** Where a Chromium usually is: Debian's (`.ci/run` installs it), Ubuntu's, Google Chrome's. */
const KNOWN_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
];

/** A browser Playwright installed (`npx playwright install chromium`), if any; no test downloads one. */
function playwrightInstalled(): string | undefined {
  try {
    return chromium.executablePath();
  } catch {
    return undefined;
  }
}

/**
 * The browser the suites drive: `CHROMIUM_PATH` when set (and only it), otherwise the first
 * Chromium or Chrome found. Undefined when there is none.
 */
export function findBrowser(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHROMIUM_PATH) return existsSync(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined;
  return [...KNOWN_PATHS, playwrightInstalled()].find((p) => p !== undefined && existsSync(p));
}

/** `CI` or `REQUIRE_BROWSER` (any value but empty, `0` or `false`) turns a missing browser into a failure. */
export function browserRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  const on = (v: string | undefined) => v !== undefined && !['', '0', 'false'].includes(v.toLowerCase());
  return on(env.CI) || on(env.REQUIRE_BROWSER);
}

export const CHROMIUM_PATH = findBrowser();

const HOW_TO =
  'set CHROMIUM_PATH, install Chromium (Debian: apt-get install chromium) or run `npx playwright install chromium`';

/**
 * Run once by the global setup: without a browser the browser suites are skipped, said in one
 * line, unless the run requires them.
 */
let checked = false;

export function checkBrowser(
  browser: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  say: (line: string) => void = (line) => process.stdout.write(line),
): void {
  if (browser || checked) return;
  if (browserRequired(env))
    throw new Error(`The browser suites need Chromium and CI/REQUIRE_BROWSER is set: ${HOW_TO}`);
  checked = true;
  say(`tests: no browser found, the browser suites are skipped (to run them, ${HOW_TO})\n`);
}
