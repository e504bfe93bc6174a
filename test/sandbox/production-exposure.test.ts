import { Writable } from 'node:stream';
import { pino } from 'pino';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer } from '../support/scenarios.ts';

const PRODUCTION = { NODE_ENV: 'production', PUBLIC_URL: 'https://hub.example.com' };

/** The app as `npm start` builds it, with what it logs at build time captured. */
function appWithLogs(deps: Parameters<typeof createApp>[0]) {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const app = createApp({ ...deps, logger: pino({ level: 'info' }, sink) });
  return { app, warnings: () => lines.filter((l) => l.level === 40).map((l) => l.msg) };
}

describe('production with a Meta app', () => {
  const hub = useTestHub({
    ...PRODUCTION,
    META_APP_ID: '123',
    META_APP_SECRET: 'meta-app-secret',
    META_CONFIG_ID: '456',
  });

  it('serves neither /demo nor /sandbox, and warns about nothing', async () => {
    const { app, warnings } = appWithLogs(hub.deps);
    for (const path of ['/demo', '/demo/api/state', '/sandbox/embedded-signup', '/sandbox/fb-sdk.js']) {
      const res = await request(app).get(path).set('x-demo', '1');
      expect([path, res.status]).toEqual([path, 404]);
    }
    expect(warnings()).toEqual([]);
  });
});

describe('production with META_MODE=sandbox, set on purpose', () => {
  const hub = useTestHub({ ...PRODUCTION, META_MODE: 'sandbox' });

  it('serves the sandbox and the demo, and warns when the app is built', async () => {
    const { app, warnings } = appWithLogs(hub.deps);
    expect(warnings()).toEqual([expect.stringMatching(/^META_MODE=sandbox with NODE_ENV=production/)]);
    expect((await request(app).get('/demo')).status).toBe(200);
    expect((await request(app).get('/sandbox/fb-sdk.js')).status).toBe(200);
  });

  it('plays the partner it created itself, not one that renamed itself "Partner Hub demo"', async () => {
    const impostor = await partnerFactory(hub.em(), hub.deps, 'Impostor');
    const renamed = await request(hub.app)
      .patch(`/api/v2/partners/${impostor.partner.id}`)
      .set(bearer(impostor.token))
      .send({ name: 'Partner Hub demo' });
    expect([renamed.status, renamed.body.name]).toEqual([200, 'Partner Hub demo']);

    const page = await request(hub.app).get('/demo');
    const demoPartnerId = /partner <code>(ptn_[^<]+)<\/code>/.exec(page.text)?.[1];
    expect(demoPartnerId).toMatch(/^ptn_/);
    expect(demoPartnerId).not.toBe(impostor.partner.id);

    // A later process (a fresh router) finds the same demo partner by its flag, not the impostor.
    const again = await request(createApp(hub.deps)).get('/demo');
    expect(/partner <code>(ptn_[^<]+)<\/code>/.exec(again.text)?.[1]).toBe(demoPartnerId);
  });
});
