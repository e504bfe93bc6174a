import { Writable } from 'node:stream';
import { pino } from 'pino';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp, redactUrl } from '../../server/app.ts';
import { onboardingSessionFactory, partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';

describe('request URLs in logs', () => {
  it('keeps the path and drops query strings and onboarding tokens', () => {
    expect(redactUrl('/api/v2/partners/ptn_1/clients')).toBe('/api/v2/partners/ptn_1/clients');
    expect(redactUrl('/permissions/ptn_1?email=ana%40x.example&io_signature=abc')).toBe(
      '/permissions/ptn_1?[redacted]',
    );
    expect(redactUrl('/meta/webhook?hub.verify_token=secret&hub.challenge=1')).toBe(
      '/meta/webhook?[redacted]',
    );
    expect(redactUrl('/onboard/Zm9vYmFyYmF6/complete')).toBe('/onboard/[redacted]/complete');
    // A console invite link is a credential until it is used.
    expect(redactUrl('/console/invite/hubi_abc123')).toBe('/console/invite/[redacted]');
    expect(redactUrl('//Console/Invite/hubi_abc123')).not.toContain('hubi_abc123');
  });

  it('redacts onboarding tokens whatever the case or repeated slashes', () => {
    for (const url of ['/Onboard/Zm9vYmFy', '/ONBOARD/Zm9vYmFy/complete', '//onboard//Zm9vYmFy']) {
      expect(redactUrl(url), url).not.toContain('Zm9vYmFy');
    }
  });
});

describe('routing is case-sensitive', () => {
  const hub = useTestHub();

  it('answers 404 to /Onboard/{token}, and its log line has no token', async () => {
    const { partner } = await partnerFactory(hub.em(), hub.deps);
    const { urlToken } = await onboardingSessionFactory(hub.em(), partner);
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = createApp({ ...hub.deps, logger: pino({ level: 'info' }, sink) });
    expect((await request(app).get(`/onboard/${urlToken}`)).status).toBe(200);
    for (const path of [`/Onboard/${urlToken}`, `/ONBOARD/${urlToken}`]) {
      expect((await request(app).get(path)).status, path).toBe(404);
    }
    expect((await request(app).get('/API/v2/openapi.json')).status).toBe(404);
    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(lines.join('\n')).not.toContain(urlToken);
  });
});
