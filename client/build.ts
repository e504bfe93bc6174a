import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { fileURLToPath } from 'node:url';
import { connectBundles, quietly } from './bundle.ts';

/**
 * `npm run build:client` (and `npm pack` in client/): client/dist with the SDK as ES modules,
 * their declarations, and the connect button builds. The sources import nothing outside
 * client/src (the server's types come through the generated contract.ts), so neither does dist.
 */
const dist = new URL('./dist/', import.meta.url);
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
const relativeTs = /from '(\.\/[^']+)\.ts'/g;
for (const file of readdirSync(new URL('./src/', import.meta.url))) {
  // The connect button ships as the self-contained connect.mjs below (its exports entry), not as a module of its own.
  if (!file.endsWith('.ts') || file === 'connect.ts') continue;
  const js = quietly(() =>
    stripTypeScriptTypes(readFileSync(new URL(`./src/${file}`, import.meta.url), 'utf8'), { mode: 'strip' }),
  )
    .replaceAll(relativeTs, "from '$1.js'")
    // Stripping leaves the types' space behind (contract.ts is all types).
    .replaceAll(/[ \t]+$/gm, '')
    .replaceAll(/\n{3,}/g, '\n\n');
  writeFileSync(new URL(file.replace(/\.ts$/, '.js'), dist), js);
}

// Declarations by TypeScript itself; it keeps the sources' `./x.ts` specifiers, which a
// package's users must see as the `./x.js` files they resolve to.
const tsc = spawnSync(
  fileURLToPath(new URL('../node_modules/.bin/tsc', import.meta.url)),
  ['-p', fileURLToPath(new URL('./tsconfig.build.json', import.meta.url))],
  { encoding: 'utf8' },
);
if (tsc.status !== 0) throw new Error(`tsc failed:\n${tsc.stdout}${tsc.stderr}`);
for (const file of readdirSync(dist)) {
  if (!file.endsWith('.d.ts')) continue;
  const path = new URL(file, dist);
  writeFileSync(path, readFileSync(path, 'utf8').replaceAll(relativeTs, "from '$1.js'"));
}

const { esm, iife } = connectBundles();
writeFileSync(new URL('connect.mjs', dist), esm);
writeFileSync(new URL('connect.global.js', dist), iife);
process.stdout.write(`client/dist: ${readdirSync(dist).join(', ')}\n`);
