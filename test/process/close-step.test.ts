import { describe, expect, it } from 'vitest';
import type { Logger } from '../../server/logger.ts';
import { closeStep } from '../../server/process/close-step.ts';

/** A logger that keeps what closeStep reports. */
function recordingLogger() {
  const errors: { fields: Record<string, unknown>; message: string }[] = [];
  const logger = {
    error: (fields: Record<string, unknown>, message: string) => errors.push({ fields, message }),
  };
  return { logger: logger as unknown as Logger, errors };
}

describe('closing the hub, one bounded step at a time', () => {
  it('goes on after a step that never settles, naming it', async () => {
    const { logger, errors } = recordingLogger();
    const started = performance.now();
    await closeStep(logger, 'database pool', () => new Promise(() => {}), 200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(errors).toEqual([
      {
        fields: { step: 'database pool', deadlineMs: 200 },
        message: 'closing: database pool did not finish in time; going on',
      },
    ]);
  });

  it('logs a step that fails and goes on; a step that closes logs nothing', async () => {
    const { logger, errors } = recordingLogger();
    await closeStep(logger, 'ORM', () => Promise.reject(new Error('connection terminated')));
    let closed = false;
    await closeStep(logger, 'Graph client', async () => {
      closed = true;
    });
    expect(closed).toBe(true);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe('closing: ORM failed; going on');
    expect((errors[0]!.fields.err as Error).message).toBe('connection terminated');
  });
});
