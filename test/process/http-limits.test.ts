import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config/env.ts';
import { createHttpServer } from '../../server/process/http-server.ts';

describe('HTTP server limits', () => {
  let close: (() => void) | undefined;
  afterEach(() => close?.());

  it('has bounded defaults', () => {
    expect(parseConfig({}).http).toEqual({
      headersTimeoutMs: 20_000,
      requestTimeoutMs: 60_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 1000,
    });
  });

  it('sets the server timeouts and the connection cap from the configuration', () => {
    const config = parseConfig({
      HTTP_HEADERS_TIMEOUT_MS: '7000',
      HTTP_REQUEST_TIMEOUT_MS: '9000',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '3000',
      HTTP_MAX_CONNECTIONS: '50',
    });
    const server = createHttpServer(config.http, (_req, res) => res.end());
    close = () => server.close();
    expect({
      headersTimeout: server.headersTimeout,
      requestTimeout: server.requestTimeout,
      keepAliveTimeout: server.keepAliveTimeout,
      maxConnections: server.maxConnections,
    }).toEqual({ headersTimeout: 7000, requestTimeout: 9000, keepAliveTimeout: 3000, maxConnections: 50 });
  });

  it('refuses a headers timeout longer than the request timeout', () => {
    expect(() => parseConfig({ HTTP_HEADERS_TIMEOUT_MS: '90000', HTTP_REQUEST_TIMEOUT_MS: '60000' })).toThrow(
      /HTTP_HEADERS_TIMEOUT_MS/,
    );
  });
});
