import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { consoleContextFactory } from '../../server/console/context.ts';
import type { ConsoleSessions } from '../../server/console/session.ts';
import { AppError } from '../../server/errors.ts';
import type { Hub } from '../../server/hub.ts';

/** The session store is PostgreSQL: when it cannot be reached, the console hears the hub's code, not a crash. */
describe('console context when the session store fails', () => {
  const request = { method: 'GET', get: () => undefined, id: 'r1', ip: '127.0.0.1' } as unknown as Request;
  const failing = (err: unknown): ConsoleSessions => ({
    load: () => Promise.reject(err),
    assertCsrf: () => {},
    csrfToken: () => '',
  });
  const deps = {} as Hub;

  it('an unreachable database becomes database_unavailable (503, retried by the client)', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const make = consoleContextFactory(deps, failing(refused));
    const error = await make({ req: request, res: {} as Response, info: {} as never }).catch(
      (e: unknown) => e,
    );
    expect((error as { cause?: unknown }).cause).toBeInstanceOf(AppError);
    expect((error as { cause: AppError }).cause.code).toBe('database_unavailable');
    expect((error as { code: string }).code).toBe('SERVICE_UNAVAILABLE');
  });

  it('a bug stays a bug: it is rethrown for the logs and answered as internal_error', async () => {
    const bug = new TypeError('x is not a function');
    const make = consoleContextFactory(deps, failing(bug));
    await expect(make({ req: request, res: {} as Response, info: {} as never })).rejects.toBe(bug);
  });
});
