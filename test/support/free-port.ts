import { readFileSync } from 'node:fs';
import net from 'node:net';

/** The lowest port the kernel hands out for `listen(0)` and outgoing connections (Linux: 32768). */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 11_000 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

const canListen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/**
 * A port that was free a moment ago, for a process that must know its port before it boots
 * (PUBLIC_URL). Taken below the kernel's ephemeral range: a port from `listen(0)` can be handed
 * to another test's server (every test hub listens on 0) before the process binds it, and then
 * the test talks to the wrong server (CI saw the container test read another server's /console).
 */
export async function freePort(): Promise<number> {
  const low = ephemeralLow();
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 10_000 + Math.floor(Math.random() * (low - 10_000));
    if (await canListen(port)) return port;
  }
  throw new Error('no free port below the ephemeral range');
}
