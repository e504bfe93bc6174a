import {
  LinkedDeviceQrSchema,
  LinkedDeviceRestartSchema,
  LinkedDeviceSessionCreateSchema,
  LinkedDeviceSessionListQuerySchema,
  LinkedDeviceSessionPageSchema,
  LinkedDeviceSessionViewSchema,
} from '../../../shared/schemas/linked-devices.ts';
import { safeString } from '../../../shared/schemas/safe-text.ts';
import { AppError } from '../../errors.ts';
import type { Hub } from '../../hub.ts';
import { assertLinkedDevicesEnabled } from '../../linked-devices/enabled.ts';
import { logoutLinkedDevice } from '../../linked-devices/linked-device-actions.service.ts';
import type { LinkedDeviceSession } from '../../linked-devices/linked-device-session.entity.ts';
import { qrPngDataUrl, qrSvg } from '../../linked-devices/sandbox/qr-image.ts';
import { toSessionView } from '../../linked-devices/session-view.ts';
import {
  createLinkedDeviceSession,
  getLinkedDeviceSession,
  listLinkedDeviceSessions,
  restartPairing,
} from '../../linked-devices/sessions.service.ts';
import { getClientOfPartner } from '../../modules/clients/clients.service.ts';
import { defineOperation, type Method, type Operation, type OperationContext } from '../operation.ts';
import { ClientPath, PartnerPath } from './params.ts';

const SessionPath = PartnerPath.extend({
  session_id: safeString().max(64).meta({ description: 'Linked-device session id (`sess_…`)' }),
});

const view = (deps: Hub, s: LinkedDeviceSession) =>
  toSessionView(s, deps.clock.now(), deps.config.linkedDevices.probeIntervalMs);

/**
 * The off switch, applied to the whole group here and nowhere else: with LINKED_DEVICES_ENABLED
 * off every operation answers 404 `linked_devices_disabled`, before its input is read and before
 * any `Idempotency-Key` replay.
 */
// biome-ignore lint/suspicious/noExplicitAny: the constraint every declared operation satisfies
function behindOffSwitch<T extends Record<string, Operation<any, any, any, any, Method>>>(ops: T): T {
  const guard = async ({ deps }: OperationContext) => assertLinkedDevicesEnabled(deps.config);
  return Object.fromEntries(
    Object.entries(ops).map(([name, op]) => [
      name,
      { ...op, guard, errors: ['linked_devices_disabled', ...op.errors] },
    ]),
  ) as T;
}

const UNOFFICIAL =
  'Linked devices are an unofficial WhatsApp Web connection that can get numbers banned (docs/linked-devices.md); ' +
  'they answer 404 `linked_devices_disabled` unless the operator set LINKED_DEVICES_ENABLED.';

export const linkedDeviceOperations = behindOffSwitch({
  create: defineOperation({
    operationId: 'createLinkedDeviceSession',
    method: 'post',
    path: '/partners/:partner_id/clients/:client_id/linked_device_sessions',
    tag: 'Linked devices',
    summary: 'Link a WhatsApp number as a device of one of your clients (QR code or pairing code)',
    description:
      'Creates the session and its `linked_device` channel (granted to you; keys and webhooks work as for any ' +
      'channel once it is `live`). The session starts `PENDING`; a worker then shows a QR code (`QR`, ' +
      '`session.qr` events, or `GET …/qr`), or a pairing code when `pairing_phone_number` is given. ' +
      `${UNOFFICIAL} Send an \`Idempotency-Key\` to retry safely.`,
    params: ClientPath,
    body: LinkedDeviceSessionCreateSchema,
    response: LinkedDeviceSessionViewSchema,
    status: 201,
    errors: ['not_found', 'too_many_pairings', 'idempotency_key_in_progress', 'idempotency_key_reused'],
    handle: async ({ params, body }, { em, deps, partner, actor }) => {
      const client = await getClientOfPartner(em, partner, params.client_id);
      const session = await createLinkedDeviceSession(
        em,
        deps,
        { partner, client, name: body.name, pairingPhoneNumber: body.pairing_phone_number },
        actor,
      );
      return view(deps, session);
    },
  }),
  list: defineOperation({
    operationId: 'listLinkedDeviceSessions',
    method: 'get',
    path: '/partners/:partner_id/linked_device_sessions',
    tag: 'Linked devices',
    summary: 'List your linked-device sessions, newest first, by client and status',
    description: 'Keyset-paginated: pass `next_cursor` back as `cursor` until it is null.',
    params: PartnerPath,
    query: LinkedDeviceSessionListQuerySchema,
    response: LinkedDeviceSessionPageSchema,
    status: 200,
    errors: [],
    handle: async ({ query }, { em, deps, partner }) => {
      const page = await listLinkedDeviceSessions(em, partner, {
        limit: query.limit,
        cursor: query.cursor,
        clientId: query.client_id,
        status: query.status,
      });
      return {
        linked_device_sessions: page.items.map((s) => view(deps, s)),
        next_cursor: page.nextCursor,
      };
    },
  }),
  get: defineOperation({
    operationId: 'getLinkedDeviceSession',
    method: 'get',
    path: '/partners/:partner_id/linked_device_sessions/:session_id',
    tag: 'Linked devices',
    summary: 'Get one linked-device session: status, pairing and health',
    params: SessionPath,
    response: LinkedDeviceSessionViewSchema,
    status: 200,
    errors: ['not_found'],
    handle: async ({ params }, { em, deps, partner }) =>
      view(deps, await getLinkedDeviceSession(em, partner, params.session_id)),
  }),
  qr: defineOperation({
    operationId: 'getLinkedDeviceQr',
    method: 'get',
    path: '/partners/:partner_id/linked_device_sessions/:session_id/qr',
    tag: 'Linked devices',
    summary: 'The QR code (or pairing code) on show, as an image to scan',
    description:
      'While the session is `QR`: the payload, a PNG data URL and an SVG (null when pairing by code), ' +
      'and `expires_at`, when a new code replaces it (watch `session.qr`, or ask again). Otherwise 409 `conflict` ' +
      'with the session `status` in the details.',
    params: SessionPath,
    response: LinkedDeviceQrSchema,
    status: 200,
    errors: ['not_found', 'conflict'],
    handle: async ({ params }, { em, partner }) => {
      const s = await getLinkedDeviceSession(em, partner, params.session_id);
      if (s.status !== 'QR' || (!s.qr && !s.pairingCode))
        throw new AppError('conflict', `The session is ${s.status}: no QR code is on show`, {
          status: s.status,
        });
      return {
        qr: s.qr ?? null,
        pairing_code: s.pairingCode ?? null,
        expires_at: s.pairingExpiresAt?.toISOString() ?? null,
        png_data_url: s.qr ? await qrPngDataUrl(s.qr) : null,
        svg: s.qr ? await qrSvg(s.qr) : null,
      };
    },
  }),
  logout: defineOperation({
    operationId: 'logoutLinkedDeviceSession',
    method: 'post',
    path: '/partners/:partner_id/linked_device_sessions/:session_id/logout',
    tag: 'Linked devices',
    summary: 'Unlink the device from the phone and stop the session (LOGGED_OUT)',
    description:
      'The worker holding the session unlinks it from the phone (waiting up to 15 s for it); its credentials ' +
      'are deleted and the channel is `disconnected` (its keys stay, and work again once the number is paired ' +
      'again with `…/restart`). Logging out a LOGGED_OUT session changes nothing.',
    params: SessionPath,
    response: LinkedDeviceSessionViewSchema,
    status: 200,
    errors: ['not_found', 'idempotency_key_in_progress', 'idempotency_key_reused'],
    handle: async ({ params }, { em, deps, partner, actor }) => {
      await logoutLinkedDevice(deps, em, await getLinkedDeviceSession(em, partner, params.session_id), actor);
      return view(deps, await getLinkedDeviceSession(em, partner, params.session_id));
    },
  }),
  restart: defineOperation({
    operationId: 'restartLinkedDeviceSession',
    method: 'post',
    path: '/partners/:partner_id/linked_device_sessions/:session_id/restart',
    tag: 'Linked devices',
    summary: 'Pair again: a new QR code for a LOGGED_OUT session or one whose codes timed out',
    description:
      'The session goes back to `PENDING` and a worker shows a new QR code (or a pairing code for ' +
      '`pairing_phone_number`). A session that is running (pairing or connected) answers 409 `conflict`.',
    params: SessionPath,
    body: LinkedDeviceRestartSchema,
    response: LinkedDeviceSessionViewSchema,
    status: 200,
    errors: [
      'not_found',
      'conflict',
      'too_many_pairings',
      'idempotency_key_in_progress',
      'idempotency_key_reused',
    ],
    handle: async ({ params, body }, { em, deps, partner, actor }) => {
      const session = await getLinkedDeviceSession(em, partner, params.session_id);
      return view(deps, await restartPairing(em, deps, session, body.pairing_phone_number, actor));
    },
  }),
});
