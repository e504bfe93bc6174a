import { defineEntity, p } from '@mikro-orm/core';

/**
 * A linked device's credentials and Signal keys (`DeviceAuthStore`), one row per key: the
 * connection reads and writes a handful at a time, never the whole set. The value is opaque to
 * the hub and sealed (`SEALED.linkedDeviceAuthValue`), bound to its session, category and id.
 */
export const LinkedDeviceAuthSchema = defineEntity({
  name: 'LinkedDeviceAuth',
  tableName: 'linked_device_auth',
  properties: {
    sessionId: p.text().primary(),
    /** Baileys' key type (`pre-key`, `session`, `app-state-sync-key`, …) or `creds`. */
    category: p.text().primary(),
    keyId: p.text().primary(),
    valueSealed: p.text(),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export class LinkedDeviceAuth extends LinkedDeviceAuthSchema.class {}
LinkedDeviceAuthSchema.setClass(LinkedDeviceAuth);
