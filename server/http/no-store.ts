import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * API answers are never cacheable, and many carry credentials (new tokens, API keys, webhook
 * secrets, onboarding URLs, revealed Meta secrets): no cache, shared or private, may keep any.
 * Set on every answer rather than on the sensitive ones, so a new operation cannot forget it.
 * On bare Node types, so the routes served before Express take its headers too.
 */
export function noStore(_req: IncomingMessage, res: ServerResponse, next: () => void): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
  next();
}
