import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../server/errors.ts';
import { GraphClient } from '../../server/meta/graph-client.ts';
import { GraphError, toAppError } from '../../server/meta/graph-error.ts';
import type { MetaApp } from '../../server/meta/meta-app.ts';

/** A scripted Graph: answers each path from a queue, recording every request. */
describe('Graph adapter: retries and error mapping', () => {
  const seen: string[] = [];
  const script = new Map<string, { status: number; body: unknown }[]>();
  let server: http.Server;
  let graph: GraphClient;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const path = new URL(req.url!, 'http://x').pathname;
      seen.push(`${req.method} ${path}`);
      const next = script.get(path)?.shift() ?? {
        status: 404,
        body: { error: { message: 'unscripted', code: 100 } },
      };
      res.writeHead(next.status, { 'content-type': 'application/json' }).end(JSON.stringify(next.body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const meta: MetaApp = {
      mode: 'production',
      appId: '1',
      appSecret: 's',
      configId: 'c',
      graphUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      graphVersion: 'v23.0',
      verifyToken: 'v',
      callbackUrl: 'http://127.0.0.1/meta/webhook',
    };
    graph = new GraphClient(meta, { retryDelaysMs: [1, 1] });
  });
  afterAll(async () => {
    await graph.close();
    server.closeAllConnections();
    server.close();
  });

  const transient = {
    status: 500,
    body: { error: { message: 'An unexpected error has occurred', code: 2, is_transient: true } },
  };

  it('retries a read on a transient failure, with the configured version in the path', async () => {
    script.set('/v23.0/111', [transient, { status: 200, body: { id: '111', status: 'CONNECTED' } }]);
    seen.length = 0;
    expect(await graph.getPhoneNumber('111', 'EAAG')).toMatchObject({ id: '111', status: 'CONNECTED' });
    expect(seen).toEqual(['GET /v23.0/111', 'GET /v23.0/111']);
  });

  it('never retries a registration, a code exchange or a message send', async () => {
    seen.length = 0;
    script.set('/v23.0/222/register', [transient, { status: 200, body: { success: true } }]);
    await expect(graph.register('222', 'EAAG', '123456')).rejects.toBeInstanceOf(GraphError);
    script.set('/v23.0/oauth/access_token', [transient, { status: 200, body: { access_token: 'EAAG' } }]);
    await expect(graph.exchangeCode('code')).rejects.toBeInstanceOf(GraphError);
    script.set('/v23.0/222/messages', [transient]);
    expect((await graph.sendMessageRaw('222', 'EAAG', '{}')).status).toBe(500);
    expect(seen).toEqual([
      'POST /v23.0/222/register',
      'GET /v23.0/oauth/access_token',
      'POST /v23.0/222/messages',
    ]);
  });

  it('maps code 190 to meta_token_expired and keeps Meta’s code and subcode otherwise', async () => {
    script.set('/v23.0/333', [
      {
        status: 401,
        body: {
          error: {
            message: 'Session has expired',
            type: 'OAuthException',
            code: 190,
            error_subcode: 463,
            fbtrace_id: 'Ab',
          },
        },
      },
    ]);
    const expired = await graph.getPhoneNumber('333', 'EAAG').catch((e: GraphError) => toAppError(e, 'read'));
    expect(expired).toMatchObject({
      code: 'meta_token_expired',
      details: { meta_code: 190, meta_subcode: 463, fbtrace_id: 'Ab' },
    });
    script.set('/v23.0/444', [
      { status: 400, body: { error: { message: 'Unsupported get request', code: 100, error_subcode: 33 } } },
    ]);
    const unknown = await graph.getPhoneNumber('444', 'EAAG').catch((e: GraphError) => toAppError(e, 'read'));
    expect(unknown).toBeInstanceOf(AppError);
    expect(unknown).toMatchObject({ code: 'meta_error', details: { meta_code: 100, meta_subcode: 33 } });
  });

  it('reports an unreachable Graph as meta_unavailable after the retries', async () => {
    const meta = {
      graphUrl: 'http://127.0.0.1:9',
      graphVersion: 'v23.0',
      appId: '1',
      appSecret: 's',
    } as MetaApp;
    const offline = new GraphClient(meta, { retryDelaysMs: [1] });
    const err = await offline.getPhoneNumber('1', 'EAAG').catch((e: GraphError) => toAppError(e, 'read'));
    expect(err).toMatchObject({ code: 'meta_unavailable' });
    await offline.close();
  });
});
