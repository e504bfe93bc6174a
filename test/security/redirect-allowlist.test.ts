import { describe, expect, it } from 'vitest';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { allowedRedirect } from '../../server/modules/partners/redirect-allowlist.ts';

const partner = {
  allowedRedirectUrls: ['https://app.example.com/done', 'http://localhost:3000/cb?fixed=1'],
  partnerRedirectUrl: 'https://app.example.com/home',
} as unknown as Partner;

describe('redirect allowlist: scheme, host, port and path exactly, any query', () => {
  it('lets the query string vary, and answers the normalised URL the browser will follow', () => {
    expect(allowedRedirect(partner, 'https://app.example.com/done')).toBe('https://app.example.com/done');
    expect(allowedRedirect(partner, 'https://app.example.com/done?cust=42')).toBe(
      'https://app.example.com/done?cust=42',
    );
    expect(allowedRedirect(partner, 'HTTPS://APP.EXAMPLE.COM:443/done?a=1&b=2')).toBe(
      'https://app.example.com/done?a=1&b=2',
    );
    expect(allowedRedirect(partner, 'http://localhost:3000/cb')).toBe('http://localhost:3000/cb');
    expect(allowedRedirect(partner, 'https://app.example.com/home?from=hub')).toBe(
      'https://app.example.com/home?from=hub',
    );
  });

  it('refuses every known bypass', () => {
    const bypasses = [
      'https://evil.example/done',
      'https://app.example.com.evil.example/done',
      'https://app.example.com@evil.example/done',
      'https://user:pass@app.example.com/done',
      'https://user@app.example.com/done',
      'http://app.example.com/done',
      'https://app.example.com:8443/done',
      'https://app.example.com/done/',
      'https://app.example.com/done/../evil',
      'https://app.example.com/evil/../done/x',
      'https://app.example.com/done%2F..%2Fevil',
      'https://app.example.com/Done',
      'https://app.example.com/done#frag',
      'https://app.example.com\\@evil.example/done',
      'https:\\\\evil.example/done',
      '//evil.example/done',
      '/done',
      'javascript:alert(1)//app.example.com/done',
      'data:text/html,https://app.example.com/done',
      'https://app.example.com%2F@evil.example/done',
      'https://app.example.com%09.evil.example/done',
      'http://localhost:3001/cb',
      'https://xn--pple-43d.com/done',
      '',
      'not a url',
    ];
    for (const url of bypasses) expect(allowedRedirect(partner, url), url).toBeNull();
  });

  it('matches nothing for a partner without an allowlist', () => {
    const bare = { allowedRedirectUrls: [], partnerRedirectUrl: null } as unknown as Partner;
    expect(allowedRedirect(bare, 'https://app.example.com/done')).toBeNull();
  });
});
