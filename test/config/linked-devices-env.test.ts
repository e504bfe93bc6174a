import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../server/config/env.ts';

describe('linked-device settings', () => {
  it('are off by default, with safe limits', () => {
    expect(parseConfig({}, '/srv/hub').linkedDevices).toEqual({
      enabled: false,
      leaseMs: 30_000,
      sessionsPerWorker: 200,
      probeIntervalMs: 60_000,
      sendPerMinute: 20,
      pairingPerClient: 3,
    });
  });

  it('are read from the environment', () => {
    const config = parseConfig(
      {
        LINKED_DEVICES_ENABLED: 'true',
        LINKED_DEVICE_LEASE_SECONDS: '12',
        LINKED_DEVICE_SESSIONS_PER_WORKER: '5',
        LINKED_DEVICE_PROBE_SECONDS: '30',
        LINKED_DEVICE_SEND_PER_MINUTE: '6',
        LINKED_DEVICE_PAIRING_PER_CLIENT: '10',
      },
      '/srv/hub',
    );
    expect(config.linkedDevices).toEqual({
      enabled: true,
      leaseMs: 12_000,
      sessionsPerWorker: 5,
      probeIntervalMs: 30_000,
      sendPerMinute: 6,
      pairingPerClient: 10,
    });
  });

  it.each([
    ['LINKED_DEVICES_ENABLED', 'sometimes', 'must be true or false'],
    ['LINKED_DEVICE_LEASE_SECONDS', '2', 'must be seconds from 5 to 600'],
    ['LINKED_DEVICE_SEND_PER_MINUTE', '0', 'from 1 to 600'],
    ['LINKED_DEVICE_SESSIONS_PER_WORKER', 'many', 'from 1 to 10000'],
    ['LINKED_DEVICE_PAIRING_PER_CLIENT', '0', 'from 1 to 1000'],
  ])('refuse %s=%s', (name, value, message) => {
    expect(() => parseConfig({ [name]: value }, '/srv/hub')).toThrow(ConfigError);
    expect(() => parseConfig({ [name]: value }, '/srv/hub')).toThrow(message);
  });
});
