import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { browserRequired, checkBrowser, findBrowser } from '../support/browser-path.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'browser-path-'));
const fakeChrome = path.join(dir, 'chrome');
writeFileSync(fakeChrome, '');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('finding a browser for the browser suites', () => {
  it('takes CHROMIUM_PATH when it exists, and nothing else when it does not', () => {
    expect(findBrowser({ CHROMIUM_PATH: fakeChrome })).toBe(fakeChrome);
    expect(findBrowser({ CHROMIUM_PATH: path.join(dir, 'nowhere') })).toBeUndefined();
  });

  it('CI or REQUIRE_BROWSER makes a browser required; empty, 0 and false do not', () => {
    expect(browserRequired({})).toBe(false);
    expect(browserRequired({ CI: 'true' })).toBe(true);
    expect(browserRequired({ REQUIRE_BROWSER: '1' })).toBe(true);
    expect(browserRequired({ CI: '', REQUIRE_BROWSER: 'false' })).toBe(false);
    expect(browserRequired({ CI: '0' })).toBe(false);
  });

  it('a missing browser fails a run that requires one, and is one line otherwise', () => {
    expect(() => checkBrowser(undefined, { REQUIRE_BROWSER: '1' }, () => {})).toThrow(/CHROMIUM_PATH/);
    const lines: string[] = [];
    checkBrowser(fakeChrome, {}, (line) => lines.push(line));
    expect(lines).toEqual([]);
    checkBrowser(undefined, {}, (line) => lines.push(line));
    checkBrowser(undefined, {}, (line) => lines.push(line));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/browser suites are skipped.*CHROMIUM_PATH/);
  });
});
