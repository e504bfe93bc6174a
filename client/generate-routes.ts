import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { acceptsIdempotencyKey, type Operation } from '../server/api/operation.ts';
import { partnerApi } from '../server/api/operations/index.ts';

/**
 * `npm run generate:sdk`: writes client/src/rest-routes.ts, the method and path of every
 * operation the partner API declares, named as tRPC names them. The SDK builds its REST
 * helpers (`rest.api`) from it; its types come from the same declarations. A test regenerates
 * it and fails when the committed file differs.
 */
export const ROUTES_FILE = fileURLToPath(new URL('./src/rest-routes.ts', import.meta.url));

function routeOf(op: Operation): string {
  const fields = [
    `method: '${op.method.toUpperCase()}'`,
    `path: '${op.path}'`,
    `body: ${op.body !== undefined}`,
    `idempotent: ${acceptsIdempotencyKey(op)}`,
  ];
  return `{ ${fields.join(', ')} }`;
}

function treeOf(tree: object, indent: string): string {
  const lines = Object.entries(tree).map(([key, value]) =>
    'operationId' in value
      ? `${indent}  ${key}: ${routeOf(value as Operation)},`
      : `${indent}  ${key}: ${treeOf(value, `${indent}  `)},`,
  );
  return `{\n${lines.join('\n')}\n${indent}}`;
}

export function generateRoutes(): string {
  const source = `// Generated from server/api/operations by \`npm run generate:sdk\`: do not edit.

/** How one declared operation travels over REST (paths relative to /api/v2). */
export interface RestRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  /** Sends its fields as a JSON body; otherwise, for GET, as the query string. */
  body: boolean;
  /** Honours \`Idempotency-Key\`. */
  idempotent: boolean;
}

export const restRoutes = ${treeOf(partnerApi, '')} as const;
`;
  // Formatted as the repository formats code, so regenerating a current file changes nothing.
  const formatted = spawnSync(
    fileURLToPath(new URL('../node_modules/.bin/biome', import.meta.url)),
    ['format', `--stdin-file-path=${ROUTES_FILE}`],
    { input: source, encoding: 'utf8' },
  );
  if (formatted.status !== 0) throw new Error(`biome format failed: ${formatted.stderr}`);
  return formatted.stdout;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(ROUTES_FILE, generateRoutes());
  process.stdout.write(`wrote ${ROUTES_FILE}\n`);
}
