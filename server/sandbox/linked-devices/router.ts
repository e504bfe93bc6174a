import express, { type Request, type Response, Router } from 'express';
import type { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { Hub } from '../../hub.ts';
import { playOnDevice } from '../../linked-devices/linked-device-actions.service.ts';
import { LinkedDeviceSession } from '../../linked-devices/linked-device-session.entity.ts';
import { type Play, PlaySchema } from '../../linked-devices/sandbox/plays.ts';
import { qrPngDataUrl, qrSvg } from '../../linked-devices/sandbox/qr-image.ts';
import { parseOrFail } from '../../rest/validation.ts';
import { requireAppToken } from '../control/auth.ts';
import type { SandboxState } from '../state.ts';
import { EmptySchema, InboundSchema, PairingCodeSchema, ScanSchema, SessionIdSchema } from './schemas.ts';

/**
 * `/sandbox/linked-devices`: what a person does with the phone of a linked-device session in sandbox
 * mode (scan the QR, type the pairing code, lose signal, unlink, receive a message). Each play is a
 * command run by the worker holding the session, so it reaches the session from any process.
 * Behind the sandbox app token, like `/sandbox/control`; absent while LINKED_DEVICES_ENABLED is off.
 */
export function linkedDevicePlaysRouter(hub: Hub, state: SandboxState): Router {
  const plays = Router({ caseSensitive: true });
  if (!hub.config.linkedDevices.enabled) {
    plays.use(() => {
      throw new AppError('linked_devices_disabled', 'Linked-device channels are off on this hub');
    });
    return plays;
  }
  plays.use(requireAppToken(state));
  plays.use(express.json({ limit: '64kb' }));

  const sessionOf = async (req: Request): Promise<LinkedDeviceSession> => {
    const id = SessionIdSchema.safeParse(req.params.session_id);
    const session = id.success ? await hub.orm.em.fork().findOne(LinkedDeviceSession, { id: id.data }) : null;
    if (!session)
      throw new AppError('not_found', `No linked-device session ${String(req.params.session_id)}`);
    return session;
  };

  /** Parses the body, checks the session, and has its owner run the play. */
  const play = <S extends z.ZodType>(path: string, schema: S, toPlay: (body: z.output<S>) => Play) => {
    plays.post(`/sessions/:session_id/${path}`, async (req: Request, res: Response) => {
      const body = parseOrFail(schema, req.body ?? {}, 'body');
      const session = await sessionOf(req);
      const command = parseOrFail(PlaySchema, toPlay(body), 'body');
      res.json({ session_id: session.id, ...snakeKeys(await playOnDevice(hub, session, command)) });
    });
  };

  play('scan', ScanSchema, (b) => ({ play: 'scan', phone_number: b.phone_number, name: b.name }));
  play('pairing-code', PairingCodeSchema, (b) => ({ play: 'pairing_code', code: b.code, name: b.name }));
  play('phone-offline', EmptySchema, () => ({ play: 'phone_offline' }));
  play('phone-online', EmptySchema, () => ({ play: 'phone_online' }));
  play('logged-out', EmptySchema, () => ({ play: 'logged_out' }));
  play('inbound', InboundSchema, (b) => ({
    play: 'inbound',
    from: b.from,
    text: b.text,
    push_name: b.push_name,
    type: b.type,
  }));

  plays.get('/sessions/:session_id/sent', async (req: Request, res: Response) => {
    const session = await sessionOf(req);
    res.json({ session_id: session.id, ...(await playOnDevice(hub, session, { play: 'sent' })) });
  });

  // The session's current QR as an image (from the database: any process can show it).
  plays.get('/sessions/:session_id/qr.:format', async (req: Request, res: Response) => {
    const format = String(req.params.format);
    if (format !== 'png' && format !== 'svg')
      throw new AppError('not_found', 'A QR image is qr.png or qr.svg');
    const session = await sessionOf(req);
    if (!session.qr) {
      throw new AppError(
        'conflict',
        session.pairingCode
          ? 'The session pairs with a code, not a QR code'
          : `The session is ${session.status}: it shows no QR code`,
        { status: session.status },
      );
    }
    res.set('Cache-Control', 'no-store');
    if (format === 'svg') {
      res.type('image/svg+xml').send(await qrSvg(session.qr));
    } else {
      const dataUrl = await qrPngDataUrl(session.qr);
      res.type('image/png').send(Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'));
    }
  });

  return plays;
}

/** The emulator answers in camelCase (`waMessageId`); the wire speaks snake_case. */
function snakeKeys(result: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(result).map(([key, value]) => [
      key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
      value,
    ]),
  );
}
