import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../../errors.ts';
import type { SandboxState } from '../state.ts';

/**
 * The control API plays Meta itself, so it takes the sandbox app's own credential:
 * `Authorization: Bearer {app_id}|{app_secret}`.
 */
export function requireAppToken(state: SandboxState) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const { appId, appSecret } = state.deps.meta;
    const expected = Buffer.from(`${appId}|${appSecret}`);
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const given = Buffer.from(match?.[1] ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new AppError(
        'unauthorized',
        'The sandbox control API needs the sandbox app token: Authorization: Bearer {app_id}|{app_secret}',
      );
    }
    next();
  };
}
