import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { logFormatFor } from '../../server/logger.ts';
import { ROOT } from '../support/processes.ts';

/** One log line written by a fresh process in `format`, as it reaches stdout. */
function logLine(format: 'json' | 'pretty'): string {
  const script = `import { createLogger } from './server/logger.ts';
    createLogger('info', { format: '${format}' }).info({ partnerId: 'ptn_1' }, 'hello from the hub');`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
  });
}

describe('log format', () => {
  it('JSON lines for machines, pino-pretty lines for people', () => {
    expect(JSON.parse(logLine('json'))).toMatchObject({
      msg: 'hello from the hub',
      partnerId: 'ptn_1',
      level: 30,
    });
    const pretty = logLine('pretty');
    expect(pretty).toMatch(/INFO.*hello from the hub/);
    expect(pretty).toContain('partnerId: "ptn_1"');
    expect(() => JSON.parse(pretty)).toThrow();
  });

  it('LOG_FORMAT decides; unset, production and pipes get JSON', () => {
    expect(logFormatFor({ logFormat: 'pretty', nodeEnv: 'production' })).toBe('pretty');
    expect(logFormatFor({ logFormat: 'json', nodeEnv: 'development' })).toBe('json');
    expect(logFormatFor({ logFormat: undefined, nodeEnv: 'production' })).toBe('json');
    // Under the test runner stdout is a pipe, not a terminal.
    expect(logFormatFor({ logFormat: undefined, nodeEnv: 'development' })).toBe('json');
  });
});
