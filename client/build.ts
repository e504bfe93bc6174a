import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { connectBundles } from './bundle.ts';

/** `npm run build:client`: client/dist with the SDK as ES modules and the connect button builds. */
const dist = new URL('./dist/', import.meta.url);
mkdirSync(dist, { recursive: true });
for (const file of readdirSync(new URL('./src/', import.meta.url))) {
  if (!file.endsWith('.ts')) continue;
  const js = stripTypeScriptTypes(readFileSync(new URL(`./src/${file}`, import.meta.url), 'utf8'), {
    mode: 'strip',
  }).replaceAll(/from '(\.\/[^']+)\.ts'/g, "from '$1.js'");
  writeFileSync(new URL(file.replace(/\.ts$/, '.js'), dist), js);
}
const { esm, iife } = connectBundles();
writeFileSync(new URL('connect.mjs', dist), esm);
writeFileSync(new URL('connect.global.js', dist), iife);
process.stdout.write(`client/dist: ${readdirSync(dist).join(', ')}\n`);
