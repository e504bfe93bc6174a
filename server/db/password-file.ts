import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Gives initdb the superuser password in a file only its owner can read, created exclusively
 * (never following a planted file) in `dir`, the hub's private data dir rather than the shared
 * temp dir, and removed as soon as `use` settles. `owner` is the OS user initdb runs as.
 */
export async function withPasswordFile<T>(
  dir: string,
  password: string,
  owner: { uid: number; gid: number } | undefined,
  use: (file: string) => Promise<T>,
): Promise<T> {
  const file = path.join(dir, `initdb-pwfile-${randomBytes(6).toString('hex')}`);
  await fs.writeFile(file, `${password}\n`, { mode: 0o600, flag: 'wx' });
  try {
    // writeFile's mode is filtered by the umask; 0600 is what must hold, whatever the umask.
    await fs.chmod(file, 0o600);
    if (owner) await fs.chown(file, owner.uid, owner.gid);
    return await use(file);
  } finally {
    await fs.rm(file, { force: true });
  }
}
