import type { IncomingHttpHeaders } from 'node:http';

/** A partner token from `Authorization: Bearer <token>` or `X-API-Key: <token>`. */
export function partnerCredentialFrom(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match ? match[1] : '';
  }
  const apiKey = headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey.trim() : undefined;
}
