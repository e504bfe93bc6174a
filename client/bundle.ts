import { readFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';

const source = (name: string) => readFileSync(new URL(`./src/${name}`, import.meta.url), 'utf8');

/** Node flags type stripping as experimental on every call; a server building this at boot need not say so. */
export function quietly<T>(fn: () => T): T {
  const emit = process.emitWarning;
  process.emitWarning = () => {};
  try {
    return fn();
  } finally {
    process.emitWarning = emit;
  }
}

/** TypeScript → JavaScript with Node's own type stripping: no bundler, no build dependency. */
function strip(name: string): string {
  return quietly(() => stripTypeScriptTypes(source(name), { mode: 'strip' }))
    .split('\n')
    .filter((line) => !/^\s*import\s.*from\s+'\.\/.*';\s*$/.test(line))
    .join('\n');
}

/**
 * The connect button for browsers, in two forms: an ES module, and a script-tag build that sets
 * `window.PartnerHubConnect` and defines `<partner-hub-connect>`. Self-contained (no imports).
 */
export function connectBundles(): { esm: string; iife: string } {
  const body = `${strip('permissions-redirect.ts')}\n${strip('connect.ts')}`;
  const names = [
    'parsePermissionsRedirect',
    'openPermissions',
    'handlePermissionsCallback',
    'permissionsUrl',
    'defineConnectElement',
    'PermissionsPopupError',
  ];
  const header = '/* Partner Hub connect button — generated from client/src by client/bundle.ts */\n';
  const iife = `${header}(() => {\n${body.replace(/^export /gm, '')}\nwindow.PartnerHubConnect = { ${names.join(', ')} };\ndefineConnectElement();\n})();\n`;
  return { esm: `${header}${body}`, iife };
}
