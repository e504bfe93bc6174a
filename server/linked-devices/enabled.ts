import type { HubConfig } from '../config/env.ts';
import { AppError } from '../errors.ts';

/**
 * Linked devices are opt-in (LINKED_DEVICES_ENABLED): switched off, every way in answers as if it
 * did not exist, so a hub that never enabled them shows nothing of them.
 */
export function assertLinkedDevicesEnabled(config: Pick<HubConfig, 'linkedDevices'>): void {
  if (!config.linkedDevices.enabled)
    throw new AppError('linked_devices_disabled', 'Linked devices are not enabled on this hub');
}
