import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Part of `npm run generate:sdk`: writes client/src/contract.ts, the partner API's tRPC router
 * and the webhook event catalogue as self-contained types, so the published package needs
 * nothing from the server's source (no Express, MikroORM or hub context types) and its users
 * type-check it with a default tsconfig. TypeScript's own declaration emit spells the types
 * out (see contract-source.ts); this copies them. `npm run lint` fails when the committed file is
 * stale.
 */
export const CONTRACT_FILE = fileURLToPath(new URL('./src/contract.ts', import.meta.url));

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** What the router type names from the server, and what stands in for it on the client. */
const SERVER_REFERENCES: [RegExp, string][] = [
  // The server's per-request context: procedures' inputs and outputs do not depend on it.
  [/import\("\.\.\/server\/trpc\/context\.ts"\)\.Context/g, 'object'],
  [/import\("\.\.\/server\/trpc\/trpc\.ts"\)\.ProcedureMeta/g, 'ProcedureMeta'],
];

function declarations(): string {
  const out = mkdtempSync(path.join(os.tmpdir(), 'hub-contract-'));
  try {
    const tsc = spawnSync(
      here('../node_modules/.bin/tsc'),
      ['-p', here('./tsconfig.contract.json'), '--outDir', out],
      { encoding: 'utf8' },
    );
    if (tsc.status !== 0) throw new Error(`tsc failed:\n${tsc.stdout}${tsc.stderr}`);
    return readFileSync(path.join(out, 'client', 'contract-source.d.ts'), 'utf8');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function between(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end, from + start.length);
  if (from < 0 || to < 0) throw new Error(`contract-source.d.ts: "${start}" not found`);
  return text.slice(from + start.length, to);
}

export function generateContract(): string {
  const dts = declarations();
  const routerDecl = between(
    dts,
    'export declare const router: import("@trpc/client").TRPCClient<',
    '\nexport declare const events',
  );
  const router = routerDecl.trimEnd().replace(/>;$/, '');
  const events = dts
    .slice(dts.indexOf('export declare const events: ') + 29)
    .trimEnd()
    .replace(/;$/, '');
  let body = `export type AppRouter = ${router};\n\nexport type EventDataByType = ${events};\n`;
  for (const [pattern, replacement] of SERVER_REFERENCES) body = body.replace(pattern, replacement);
  const leftover = body.match(/import\("\.[^"]*"\)/);
  if (leftover) throw new Error(`contract: a type still refers to the server's source: ${leftover[0]}`);
  const source = `// Generated from the server's router and event catalogue by \`npm run generate:sdk\`: do not edit.
// biome-ignore-all lint/complexity/noBannedTypes: TypeScript spells an input with no fields \`{}\`

/** Procedure metadata as the hub declares it. */
export interface ProcedureMeta {
  operationId?: string;
}

/** The partner API's tRPC router as a client sees it: every procedure's input and output. */
${body.replace('export type EventDataByType', '/** Every webhook event type and the shape of its `data`. */\nexport type EventDataByType')}`;
  const formatted = spawnSync(
    here('../node_modules/.bin/biome'),
    ['format', `--stdin-file-path=${CONTRACT_FILE}`],
    {
      input: source,
      encoding: 'utf8',
    },
  );
  if (formatted.status !== 0) throw new Error(`biome format failed: ${formatted.stderr}`);
  return formatted.stdout;
}

/**
 * `--check` (part of `npm run lint`, so CI runs it): fails when the committed file is not what
 * the server declares today. Not a vitest test: the declaration emit takes ~25 s of CPU.
 */
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const generated = generateContract();
  if (process.argv.includes('--check')) {
    if (readFileSync(CONTRACT_FILE, 'utf8') !== generated) {
      process.stderr.write(`${CONTRACT_FILE} is stale: run \`npm run generate:sdk\` and commit it\n`);
      process.exit(1);
    }
  } else {
    writeFileSync(CONTRACT_FILE, generated);
    process.stdout.write(`wrote ${CONTRACT_FILE}\n`);
  }
}
