import type { MikroORM } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import type { Logger } from '../../logger.ts';
import type { DeviceAuthStore, DeviceConnector } from '../connector.ts';

export interface RunnerDeps {
  orm: MikroORM;
  clock: Clock;
  logger: Logger;
  secretBox: SecretBox;
}

/** What a LiveSession needs from the runner that holds it. */
export interface RunnerContext {
  orm: MikroORM;
  clock: Clock;
  logger: Logger;
  secretBox: SecretBox;
  ownerId: string;
  connector: DeviceConnector;
  authStore(sessionId: string): DeviceAuthStore;
  /** The lease is gone (fenced write refused): close the socket, write nothing more. */
  lost(sessionId: string): void;
  /** The session is done here for now (idle): close and release the lease. */
  release(sessionId: string): Promise<void>;
  /** Close and connect again (a replaced or failed connection). */
  restart(sessionId: string): Promise<void>;
  /** The device was unlinked: pair again if the session should still run, else let it go. */
  loggedOut(sessionId: string): Promise<void>;
}
