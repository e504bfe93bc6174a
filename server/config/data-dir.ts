import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Reads a generated value kept under the data directory, creating it on first use.
 * `wx` makes creation atomic, so two processes starting at once agree on one value.
 */
export async function readOrCreateSecretFile(file: string, generate: () => string): Promise<string> {
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    await fs.writeFile(file, `${generate()}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return (await fs.readFile(file, 'utf8')).trim();
}

/** HUB_SECRET from the environment, or (outside production) one generated once into `.data/hub-secret`. */
export async function resolveHubSecret(config: { hubSecret: string | undefined; dataDir: string }) {
  if (config.hubSecret) return { secret: config.hubSecret, generated: false };
  const secret = await readOrCreateSecretFile(path.join(config.dataDir, 'hub-secret'), () =>
    randomBytes(32).toString('base64url'),
  );
  return { secret, generated: true };
}
