import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The folder names the README's Architecture tree gives under `server/`, in its order. */
function documentedServerFolders(): string[] {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Architecture'));
  const tree = section.slice(section.indexOf('```'), section.indexOf('```', section.indexOf('```') + 3));
  const lines = tree.split('\n');
  const start = lines.findIndex((l) => l.startsWith('server/'));
  const folders: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith(' ')) break;
    const name = /^ {2}([\w-]+)\/(?:<\w+>\/)?\s/.exec(line)?.[1];
    if (name) folders.push(name);
  }
  return folders;
}

describe("the README's layout", () => {
  it('names every folder under server/ and no folder that is gone', () => {
    const actual = readdirSync(path.join(ROOT, 'server'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect([...new Set(documentedServerFolders())].sort()).toEqual(actual.sort());
  });
});
