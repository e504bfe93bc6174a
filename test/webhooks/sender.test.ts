import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookSender } from '../../server/modules/webhooks/delivery/sender.ts';
import { assertAllowedAddress, assertAllowedUrl } from '../../server/security/ssrf-guard.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const strict = { requireHttps: false, allowLoopback: false };
const loopbackOk = { requireHttps: false, allowLoopback: true };

describe('SSRF guard', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    'fe80::1',
    'fc00::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '::',
  ])('refuses %s', (address) => {
    expect(() => assertAllowedAddress(address, strict)).toThrow('private_address');
  });

  it('allows public unicast, and loopback only with the setting', () => {
    expect(() => assertAllowedAddress('93.184.216.34', strict)).not.toThrow();
    expect(() => assertAllowedAddress('2606:4700::6810:84e5', strict)).not.toThrow();
    expect(() => assertAllowedAddress('127.0.0.1', loopbackOk)).not.toThrow();
    expect(() => assertAllowedAddress('::ffff:127.0.0.1', loopbackOk)).not.toThrow();
    expect(() => assertAllowedAddress('10.0.0.1', loopbackOk)).toThrow();
  });

  it('judges URLs: scheme, credentials and literal IP hosts (v4, v6, mapped)', () => {
    expect(() => assertAllowedUrl('http://partner.example/hook', { ...strict, requireHttps: true })).toThrow(
      'scheme_not_allowed',
    );
    // Production with ALLOW_LOCALHOST_URLS: http stays refused except to a loopback host.
    const productionLoopback = { ...loopbackOk, requireHttps: true };
    expect(() => assertAllowedUrl('http://partner.example/hook', productionLoopback)).toThrow(
      'scheme_not_allowed',
    );
    expect(assertAllowedUrl('http://127.0.0.1:9/hook', productionLoopback).port).toBe('9');
    expect(() => assertAllowedUrl('http://127.0.0.1:9/hook', { ...strict, requireHttps: true })).toThrow(
      'scheme_not_allowed',
    );
    expect(() => assertAllowedUrl('https://u:p@partner.example/', strict)).toThrow('credentials_in_url');
    expect(() => assertAllowedUrl('https://10.0.0.5/hook', strict)).toThrow('private_address');
    expect(() => assertAllowedUrl('https://[::1]/hook', strict)).toThrow('private_address');
    expect(() => assertAllowedUrl('https://[::ffff:a00:1]/hook', strict)).toThrow('private_address');
    expect(assertAllowedUrl('https://partner.example/hook', strict).hostname).toBe('partner.example');
  });
});

describe('WebhookSender', () => {
  let receiver: WebhookReceiver;
  let redirector: http.Server;
  let redirectUrl: string;
  const sender = new WebhookSender({ ...loopbackOk, timeoutMs: 500 });
  const strictSender = new WebhookSender({ ...strict, timeoutMs: 500 });

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    redirector = http.createServer((_req, res) =>
      res.writeHead(302, { location: `${receiver.url}/final` }).end(),
    );
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    redirectUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/start`;
  });
  afterAll(async () => {
    await receiver.close();
    redirector.close();
    await sender.close();
    await strictSender.close();
  });

  it('posts the body with the headers and keeps at most 4 KiB of the answer', async () => {
    receiver.respondWith({ status: 200, body: 'x'.repeat(10_000) });
    const result = await sender.send(
      `${receiver.url}/hook`,
      { 'content-type': 'application/json', 'x-test': '1' },
      '{"a":1}',
    );
    expect(result).toMatchObject({ status: 200, error: null, timedOut: false });
    expect(result.body).toHaveLength(4096);
    const [req] = receiver.requests.slice(-1);
    expect(req).toMatchObject({ method: 'POST', path: '/hook', rawBody: '{"a":1}' });
    expect(req!.headers['x-test']).toBe('1');
  });

  it('reports Retry-After and does not follow redirects', async () => {
    receiver.respondWith({ status: 429, headers: { 'retry-after': '120' } });
    expect(await sender.send(`${receiver.url}/hook`, {}, '{}')).toMatchObject({
      status: 429,
      retryAfterSeconds: 120,
    });
    const before = receiver.requests.length;
    expect(await sender.send(redirectUrl, {}, '{}')).toMatchObject({ status: 302 });
    expect(receiver.requests.length).toBe(before);
  });

  it('times out a slow receiver', async () => {
    receiver.respondWith({ status: 200, delayMs: 2000 });
    const result = await sender.send(`${receiver.url}/slow`, {}, '{}');
    expect(result).toMatchObject({ status: null, timedOut: true, error: 'timed out' });
  });

  it('refuses a hostname that resolves to loopback, and literal private IPs, without connecting', async () => {
    const before = receiver.requests.length;
    const port = new URL(receiver.url).port;
    for (const url of [
      `http://localhost:${port}/x`,
      `http://127.0.0.1:${port}/x`,
      `http://[::1]:${port}/x`,
      `http://[::ffff:127.0.0.1]:${port}/x`,
    ]) {
      const result = await strictSender.send(url, {}, '{}');
      expect(result.status, url).toBeNull();
      expect(result.error, url).toMatch(/^blocked: /);
    }
    expect(receiver.requests.length).toBe(before);
  });
});
