import { type Browser, chromium } from 'playwright-core';
import { describe } from 'vitest';
import { CHROMIUM_PATH } from './browser-path.ts';

export { CHROMIUM_PATH } from './browser-path.ts';

/** `describe` for a suite that drives a browser: skipped when there is none (see checkBrowser). */
export const describeInBrowser = describe.skipIf(CHROMIUM_PATH === undefined);

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-quic',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}
