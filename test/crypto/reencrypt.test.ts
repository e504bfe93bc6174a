import { describe, expect, it } from 'vitest';
import { SecretBox } from '../../server/crypto/secret-box.ts';
import { Channel } from '../../server/modules/channels/channel.entity.ts';
import { channelSecretContext } from '../../server/modules/channels/channel-secrets.ts';
import { reencryptAll } from '../../server/modules/secrets/reencrypt.service.ts';
import {
  partnerWebhookSecret,
  primaryDestinationOf,
} from '../../server/modules/webhooks/destinations.service.ts';
import { TEST_HUB_SECRET, useTestHub } from '../support/hub.ts';
import { partnerWithChannel } from '../support/scenarios.ts';

const NEW_SECRET = 'rotated-hub-secret-rotated-hub-secret-0001';

describe('re-encryption after a HUB_SECRET rotation', () => {
  const hub = useTestHub();

  it('re-seals every secret under the new key, so the old one can be retired', async () => {
    const { partner, channel } = await partnerWithChannel(hub);
    const oldBox = hub.deps.secretBox;
    const em = hub.em();
    const stored = await em.findOneOrFail(Channel, channel.id);
    stored.metaTokenSealed = oldBox.encrypt('EAAGbusiness', channelSecretContext(channel.id, 'meta_token'));
    await em.flush();
    const webhookSecret = partnerWebhookSecret(oldBox, await primaryDestinationOf(hub.em(), partner.id));

    const rotated = new SecretBox([NEW_SECRET, TEST_HUB_SECRET]);
    const dry = await reencryptAll(hub.em(), rotated, { dryRun: true });
    expect(dry.total).toBeGreaterThanOrEqual(2);
    const report = await reencryptAll(hub.em(), rotated);
    expect(report.total).toBe(dry.total);
    expect(report.columns).toContainEqual({ table: 'channels', column: 'meta_token_sealed', reencrypted: 1 });

    // Only the new key is needed now.
    const newOnly = new SecretBox([NEW_SECRET]);
    const after = await hub.em().findOneOrFail(Channel, channel.id);
    expect(newOnly.decrypt(after.metaTokenSealed!, channelSecretContext(channel.id, 'meta_token'))).toBe(
      'EAAGbusiness',
    );
    expect(partnerWebhookSecret(newOnly, await primaryDestinationOf(hub.em(), partner.id))).toBe(
      webhookSecret,
    );
    // Running it again finds nothing left to do.
    expect((await reencryptAll(hub.em(), rotated)).total).toBe(0);
  });
});
