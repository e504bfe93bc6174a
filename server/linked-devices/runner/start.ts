import { PgNotifications } from '../../db/pg-notifications.ts';
import type { Hub } from '../../hub.ts';
import { LINKED_DEVICE_COMMANDS_CHANNEL } from '../commands.ts';
import { connectorFor } from '../connector-for.ts';
import { LinkedDeviceRunner } from './session-runner.ts';

/** The worker's linked-device runner, or nothing while linked devices are off (the default). */
export function startLinkedDeviceRunner(hub: Hub): LinkedDeviceRunner | undefined {
  const settings = hub.config.linkedDevices;
  if (!settings.enabled) return undefined;
  const commands = new PgNotifications(hub.databaseUrl, LINKED_DEVICE_COMMANDS_CHANNEL, hub.logger);
  const runner = new LinkedDeviceRunner(hub, connectorFor(hub), settings, commands);
  runner.start();
  hub.logger.info({ owner: runner.ownerId }, 'linked-device sessions run in this worker');
  return runner;
}
