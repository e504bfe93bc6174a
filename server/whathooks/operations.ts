import { z } from 'zod';
import {
  WhathooksMessageListQuerySchema,
  WhathooksMessagePageSchema,
  WhathooksMessageSendSchema,
  WhathooksMessageSentSchema,
  WhathooksSessionCreateSchema,
  WhathooksSessionIdParamsSchema,
  WhathooksSessionListQuerySchema,
  WhathooksSessionPageSchema,
  WhathooksSessionSchema,
} from '../../shared/schemas/whathooks.ts';
import type { DocumentedOperation } from '../rest/openapi.ts';

const noParams = z.object({});
const tag = 'whathooks-compatible';

/**
 * The `/v1` operations as `/v1/openapi.json` documents them. The router validates with these
 * schemas, and the /v1 tests check every answer against `response` and every mounted route
 * against this list, so the document cannot drift from what is served.
 */
export const whathooksOperations = [
  {
    operationId: 'whathooksListSessions',
    method: 'get',
    path: '/sessions',
    tag,
    summary: 'List sessions, newest first',
    description: 'A partner token sees every session the partner created; a channel API key only its own.',
    params: noParams,
    query: WhathooksSessionListQuerySchema,
    response: WhathooksSessionPageSchema,
    status: 200,
    errors: [],
  },
  {
    operationId: 'whathooksCreateSession',
    method: 'post',
    path: '/sessions',
    tag,
    summary: 'Create a session (PENDING; a worker shows the QR within seconds)',
    description:
      'Partner tokens only (a channel API key is `403 forbidden`). Without `clientId`, a new client named after the session is created for it.',
    params: noParams,
    body: WhathooksSessionCreateSchema,
    response: WhathooksSessionSchema,
    status: 201,
    errors: ['not_found', 'too_many_pairings'],
  },
  {
    operationId: 'whathooksGetSession',
    method: 'get',
    path: '/sessions/:id',
    tag,
    summary: 'Get a session',
    params: WhathooksSessionIdParamsSchema,
    response: WhathooksSessionSchema,
    status: 200,
    errors: ['not_found'],
  },
  {
    operationId: 'whathooksLogoutSession',
    method: 'post',
    path: '/sessions/:id/logout',
    tag,
    summary: 'Unlink the device (LOGGED_OUT)',
    description: "To pair again, use the partner API's restart.",
    params: WhathooksSessionIdParamsSchema,
    response: WhathooksSessionSchema,
    status: 200,
    errors: ['not_found'],
  },
  {
    operationId: 'whathooksSendMessage',
    method: 'post',
    path: '/messages',
    tag,
    summary: 'Send a text through a CONNECTED session',
    description: 'Answers once the device sent it; `id` is the message-log id `GET /v1/messages` shows.',
    params: noParams,
    body: WhathooksMessageSendSchema,
    response: WhathooksMessageSentSchema,
    status: 201,
    errors: ['not_found', 'session_not_connected', 'linked_device_unavailable', 'linked_device_send_failed'],
  },
  {
    operationId: 'whathooksListMessages',
    method: 'get',
    path: '/messages',
    tag,
    summary: "The message log of the caller's sessions, newest first",
    params: noParams,
    query: WhathooksMessageListQuerySchema,
    response: WhathooksMessagePageSchema,
    status: 200,
    errors: ['not_found'],
  },
] as const satisfies DocumentedOperation[];
