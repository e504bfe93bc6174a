import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The console and the embeddable portal (React, built by Vite into client/console/dist). Built
 * by `npm install` (the `prepare` script) and, when a source is newer than the build, by the
 * server at start and by the test setup: no command to remember, nothing fetched at run time.
 */
const root = fileURLToPath(new URL('./', import.meta.url));
export const CONSOLE_DIST = fileURLToPath(new URL('./dist/', import.meta.url));
const ENTRIES = ['index.html', 'portal.html'];

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const path = `${dir}/${entry.name}`;
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function consoleBuildIsCurrent(): boolean {
  const built = `${CONSOLE_DIST}index.html`;
  return existsSync(built) && statSync(built).mtimeMs >= newestSource(root);
}

export async function buildConsole(): Promise<void> {
  const [{ build }, { default: react }] = await Promise.all([import('vite'), import('@vitejs/plugin-react')]);
  const input = Object.fromEntries(
    ENTRIES.filter((e) => existsSync(`${root}${e}`)).map((e) => [e.replace('.html', ''), `${root}${e}`]),
  );
  await build({
    configFile: false,
    root,
    base: '/console/',
    logLevel: 'warn',
    plugins: [react()],
    build: { outDir: CONSOLE_DIST, emptyOutDir: true, sourcemap: false, rollupOptions: { input } },
  });
}

/**
 * Builds when there is no build, or (unless `rebuildStale` is false) when a source is newer than
 * it; resolves whether it built. Concurrent callers in one process share one build.
 */
const shared = globalThis as { __partnerHubConsoleBuild?: Promise<boolean> | undefined };
export function ensureConsoleBuilt(options: { rebuildStale?: boolean } = {}): Promise<boolean> {
  // On the global object: test setups may load their own copies of this module.
  if (shared.__partnerHubConsoleBuild) return shared.__partnerHubConsoleBuild;
  const exists = existsSync(`${CONSOLE_DIST}index.html`);
  if (exists && (options.rebuildStale === false || consoleBuildIsCurrent())) return Promise.resolve(false);
  shared.__partnerHubConsoleBuild = buildConsole()
    .then(() => true)
    .finally(() => {
      shared.__partnerHubConsoleBuild = undefined;
    });
  return shared.__partnerHubConsoleBuild;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const force = process.argv.includes('--force');
  await (force ? buildConsole() : ensureConsoleBuilt());
  process.stdout.write(`console built in ${CONSOLE_DIST}\n`);
}
