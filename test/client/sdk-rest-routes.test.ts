import { describe, expect, it } from 'vitest';
import { createPartnerHubClient } from '../../client/src/sdk.ts';
import { acceptsIdempotencyKey } from '../../server/api/operation.ts';
import { partnerApiOperations } from '../../server/api/operations/index.ts';

interface Sent {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
}

/** An SDK whose requests are recorded instead of sent. */
function recordingClient() {
  const sent: Sent[] = [];
  const client = createPartnerHubClient({
    baseUrl: 'http://hub.invalid',
    token: 'hubp_test',
    partnerId: 'ptn_1',
    fetch: async (input, init) => {
      const url = new URL(String(input));
      const headers = (init?.headers ?? {}) as Record<string, string>;
      sent.push({
        method: init?.method ?? 'GET',
        path: url.pathname.replace(/^\/api\/v2/, ''),
        idempotencyKey: headers['idempotency-key'],
      });
      return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
    },
  });
  return { rest: client.rest, sent };
}

/** The declared operation a request reaches, by method and path pattern. */
function operationOf(request: Sent) {
  return partnerApiOperations.find(
    (op) =>
      op.method === request.method.toLowerCase() &&
      new RegExp(`^${op.path.replaceAll(/:\w+/g, '[^/]+')}$`).test(request.path),
  );
}

describe("the SDK's REST helpers call declared operations", () => {
  it('every helper reaches a declared operation, and sends Idempotency-Key only where it is honoured', async () => {
    const { rest, sent } = recordingClient();
    await rest.partner.get();
    await rest.partner.update({ name: 'x' });
    await rest.clients.list();
    await rest.clients.get('cli_1');
    await rest.channels.list();
    await rest.channels.get('chn_1');
    await rest.channels.revealSecrets('chn_1', ['access_token']);
    await rest.apiKeys.create('chn_1', {}, 'key-1');
    await rest.apiKeys.list('chn_1');
    await rest.apiKeys.revoke('chn_1', 'key_1');
    await rest.onboardingSessions.create({ tenant_id: 't' }, 'key-2');
    await rest.onboardingSessions.list();
    await rest.onboardingSessions.get('obs_1');
    await rest.onboardingSessions.cancel('obs_1');
    const helperCount = Object.values(rest).reduce(
      (n, group) => n + (typeof group === 'function' ? 0 : Object.keys(group).length),
      0,
    );
    expect(sent).toHaveLength(helperCount);
    for (const request of sent) {
      const op = operationOf(request);
      expect(op, `${request.method} ${request.path}`).toBeDefined();
      if (request.idempotencyKey) expect(acceptsIdempotencyKey(op!), op!.operationId).toBe(true);
    }
  });

  it('a helper on an undeclared route would be caught', () => {
    expect(operationOf({ method: 'PUT', path: '/partners/ptn_1/clients', idempotencyKey: undefined })).toBe(
      undefined,
    );
  });
});
