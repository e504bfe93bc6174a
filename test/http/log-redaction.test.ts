import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../server/app.ts';

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
  });
});
