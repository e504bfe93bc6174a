import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordServerUrl, runningServerUrl } from '../../server/config/server-url.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'server-url-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the serving process's recorded URL", () => {
  it('is found while its process lives, and removed by it', () => {
    const forget = recordServerUrl(dir, 'http://localhost:40123');
    expect(runningServerUrl(dir)).toBe('http://localhost:40123');
    forget();
    expect(runningServerUrl(dir)).toBeUndefined();
  });

  it('is ignored when its process is gone, or when the file is not a record', () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const pid = Number(gone.stdout.toString());
    writeFileSync(path.join(dir, 'server.json'), JSON.stringify({ url: 'http://localhost:1', pid }));
    expect(runningServerUrl(dir)).toBeUndefined();
    writeFileSync(path.join(dir, 'server.json'), '{not json');
    expect(runningServerUrl(dir)).toBeUndefined();
  });

  it("a process leaves another one's record alone", () => {
    const forget = recordServerUrl(dir, 'http://localhost:40123');
    writeFileSync(
      path.join(dir, 'server.json'),
      JSON.stringify({ url: 'http://localhost:2', pid: process.ppid }),
    );
    forget();
    expect(JSON.parse(readFileSync(path.join(dir, 'server.json'), 'utf8')).url).toBe('http://localhost:2');
  });
});
