import { Router } from 'express';
import type { PartnerHubClient } from '../../client/src/sdk.ts';
import { AppError } from '../errors.ts';
import type { Hub } from '../hub.ts';
import type { DemoContext } from './demo-channel-routes.ts';
import { sandboxPlay } from './sandbox-play.ts';

/** The sandbox phone that "scans" the QR code: the linked number. */
const SANDBOX_PHONE = '4915100000099';

/**
 * The demo's linked-device number (only with LINKED_DEVICES_ENABLED): the partner creates a
 * session for its client through the partner API, shows the QR code it gets, and the sandbox
 * plays the phone scanning it (the sandbox control API). The number then appears beside the Cloud
 * API ones and sends and receives through the same channel-key API (demo-channel-routes.ts).
 */
export function demoLinkedDeviceRoutes(deps: Hub, ctx: DemoContext): Router {
  const router = Router({ caseSensitive: true });

  router.post('/demo/api/linked-devices', async (_req, res) => {
    const sdk = await ctx.sdk();
    const { clients } = await sdk.rest.api.clients.list({ limit: 1 });
    const client = clients[0];
    if (!client)
      throw new AppError('conflict', 'Connect a client first (step 1 or 2): the session is for a client');
    const session = await sdk.rest.api.linkedDevices.create({
      client_id: client.id,
      name: 'Front desk phone',
    });
    ctx.log('step', 'Created a linked-device session (partner API)', {
      id: session.id,
      status: session.status,
    });
    res.json(session);
  });

  router.post('/demo/api/linked-devices/:session_id/scan', async (req, res) => {
    const id = String(req.params.session_id);
    const scanned = await sandboxPlay(deps, `/sessions/${encodeURIComponent(id)}/scan`, {
      phone_number: SANDBOX_PHONE,
      name: 'Front desk',
    });
    ctx.log(scanned.ok ? 'step' : 'error', 'The sandbox phone scanned the QR code', scanned.body);
    res.status(scanned.status).json(scanned.body);
  });

  return router;
}

/** The linked-device sessions to show, with the QR image of those showing one. */
export async function demoLinkedDevices(deps: Hub, sdk: PartnerHubClient): Promise<unknown[] | null> {
  if (!deps.config.linkedDevices.enabled) return null;
  const { linked_device_sessions } = await sdk.rest.api.linkedDevices.list({ limit: 5 });
  return Promise.all(
    linked_device_sessions.map(async (s) => ({
      ...s,
      qr_image: s.status === 'QR' && s.qr ? await qrImage(sdk, s.id) : null,
    })),
  );
}

async function qrImage(sdk: PartnerHubClient, sessionId: string): Promise<string | null> {
  return sdk.rest.api.linkedDevices
    .qr({ session_id: sessionId })
    .then((qr) => qr.png_data_url)
    .catch(() => null);
}
