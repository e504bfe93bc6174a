import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { listen } from '../../server/process/http-server.ts';

/** Serves an app on a real loopback port, for browsers and other real clients. */
export async function serveOnLoopback(app: Express): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = await listen(app, 0);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
