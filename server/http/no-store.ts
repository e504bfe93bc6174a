import type { NextFunction, Request, Response } from 'express';

/**
 * API answers are never cacheable, and many carry credentials (new tokens, API keys, webhook
 * secrets, onboarding URLs, revealed Meta secrets): no cache, shared or private, may keep any.
 * Set on every answer rather than on the sensitive ones, so a new operation cannot forget it.
 */
export function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
  next();
}
