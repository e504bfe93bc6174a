import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { AuditLog } from '../../server/modules/audit/audit-log.entity.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';

const OPERATOR_TOKEN = 'operator-token-for-tests-0123456789abcdef';

/** The operator API: the billing CLI's operations over HTTP, behind OPERATOR_TOKEN. */
describe('/api/operator/v1', () => {
  const hub = useTestHub({ OPERATOR_TOKEN, RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '5' });
  const op = () => ({ authorization: `Bearer ${OPERATOR_TOKEN}` });

  it('does not exist without OPERATOR_TOKEN', async () => {
    const app = createApp({ ...hub.deps, config: { ...hub.deps.config, operatorToken: undefined } });
    const res = await request(app).get('/api/operator/v1/billing').set(op());
    expect([res.status, res.body.error.code]).toEqual([404, 'not_found']);
  });

  it('sets a payment model, publishes terms and a price list, and issues statements', async () => {
    const app = createApp(hub.deps);
    const { partner } = await partnerFactory(hub.em(), hub.deps, 'Operated SaaS');
    const set = await request(app)
      .put(`/api/operator/v1/partners/${partner.id}/payment_model`)
      .set(op())
      .send({ payment_model: 'direct' });
    expect(set.body).toEqual({ partner_id: partner.id, payment_model: 'direct', changed: true });
    expect((await hub.em().findOneOrFail(Partner, partner.id)).paymentModel).toBe('direct');
    const audit = await hub
      .em()
      .findOneOrFail(AuditLog, { action: 'partner.payment_model_set', targetId: partner.id });
    expect([audit.actorType, audit.actorId]).toEqual(['operator', 'api:operator-token']);
    const again = await request(app)
      .put(`/api/operator/v1/partners/${partner.id}/payment_model`)
      .set(op())
      .send({ payment_model: 'direct' });
    expect(again.body.changed).toBe(false);
    const unknown = await request(app)
      .put('/api/operator/v1/partners/ptn_nope/payment_model')
      .set(op())
      .send({ payment_model: 'direct' });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'not_found']);
    const bad = await request(app)
      .put(`/api/operator/v1/partners/${partner.id}/payment_model`)
      .set(op())
      .send({ payment_model: 'prepaid' });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'validation_failed']);

    const terms = await request(app)
      .post('/api/operator/v1/terms')
      .set(op())
      .send({ url: 'https://provider.example/terms' });
    expect([terms.status, terms.body.version]).toEqual([201, 1]);
    const badTerms = await request(app)
      .post('/api/operator/v1/terms')
      .set(op())
      .send({ url: 'javascript:alert(1)' });
    expect([badTerms.status, badTerms.body.error.code]).toEqual([400, 'validation_failed']);

    const list = await request(app)
      .post('/api/operator/v1/price_lists')
      .set(op())
      .send({
        currency: 'eur',
        markup_percent: 10,
        rates: [{ category: 'marketing', country: '*', meta_rate: 0.0625 }],
      });
    expect(list.status).toBe(201);
    expect(list.body.rates).toEqual([
      { category: 'marketing', country: '*', meta_rate: '0.0625', markup_percent: 10, price: '0.06875' },
    ]);
    const twice = await request(app)
      .post('/api/operator/v1/price_lists')
      .set(op())
      .send({
        currency: 'eur',
        rates: [
          { category: 'marketing', country: '*', meta_rate: '1' },
          { category: 'marketing', country: '*', meta_rate: '2' },
        ],
      });
    expect([twice.status, twice.body.error.code]).toEqual([400, 'validation_failed']);
    const broken = await request(app)
      .post('/api/operator/v1/price_lists')
      .set(op())
      .set('content-type', 'application/json')
      .send('{"currency":');
    expect([broken.status, broken.body.error.code]).toEqual([400, 'invalid_json']);

    const shown = await request(app).get('/api/operator/v1/billing').set(op());
    expect(shown.body).toMatchObject({ terms: { version: 1 }, price_list: { version: 1, currency: 'eur' } });
    const issued = await request(app)
      .post('/api/operator/v1/statements/issue')
      .set(op())
      .send({ period: '2026-11' });
    expect(issued.body).toEqual({ issued: 0, skipped: [] });
    const badPeriod = await request(app)
      .post('/api/operator/v1/statements/issue')
      .set(op())
      .send({ period: 'November' });
    expect([badPeriod.status, badPeriod.body.error.code]).toEqual([400, 'validation_failed']);
    const nowhere = await request(app).get('/api/operator/v1/nothing').set(op());
    expect([nowhere.status, nowhere.body.error.code]).toEqual([404, 'not_found']);
  });
  // Last: it spends the test address's budget of failed authentications.
  it('refuses a missing or wrong token, and an address that keeps guessing', async () => {
    const none = await request(hub.app).get('/api/operator/v1/billing');
    expect([none.status, none.body.error.code]).toEqual([401, 'unauthorized']);
    expect(none.headers['cache-control']).toBe('no-store');
    for (let i = 0; i < 4; i++) {
      const wrong = await request(hub.app)
        .get('/api/operator/v1/billing')
        .set({ authorization: 'Bearer nope' });
      expect(wrong.status).toBe(401);
    }
    const blocked = await request(hub.app).get('/api/operator/v1/billing').set(op());
    expect([blocked.status, blocked.body.error.code]).toEqual([429, 'rate_limited']);
  });
});
