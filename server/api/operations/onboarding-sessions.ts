import {
  OnboardingSessionCreateSchema,
  OnboardingSessionListQuerySchema,
  OnboardingSessionPageSchema,
  OnboardingSessionViewSchema,
} from '../../../shared/schemas/onboarding.ts';
import { safeString } from '../../../shared/schemas/safe-text.ts';
import {
  cancelOnboardingSession,
  createOnboardingSession,
  deleteOnboardingSession,
  getOnboardingSession,
  listOnboardingSessions,
  toOnboardingSessionView,
} from '../../modules/onboarding/onboarding-sessions.service.ts';
import { defineOperation } from '../operation.ts';
import { PartnerPath } from './params.ts';

const SessionPath = PartnerPath.extend({
  session_id: safeString().max(64).meta({ description: 'Onboarding session id' }),
});

export const onboardingSessionOperations = {
  create: defineOperation({
    operationId: 'createOnboardingSession',
    method: 'post',
    path: '/partners/:partner_id/onboarding_sessions',
    tag: 'Onboarding sessions',
    summary: 'Create a one-time onboarding URL for one of your tenants',
    description:
      'Redirect URLs must match one of your `allowed_redirect_urls` on scheme, host, port and path; the query ' +
      'string may differ (422 `invalid_redirect_url`). With ' +
      '`webhook_override_url`, the hub first checks it as Meta would (GET with `hub.challenge`; 422 ' +
      '`webhook_preflight_failed` with `category` and `status`) unless `skip_webhook_preflight`. ' +
      'Send an `Idempotency-Key` to retry safely.',
    params: PartnerPath,
    body: OnboardingSessionCreateSchema,
    response: OnboardingSessionViewSchema,
    status: 201,
    errors: [
      'conflict',
      'invalid_redirect_url',
      'webhook_preflight_failed',
      'webhook_url_not_allowed',
      'idempotency_key_in_progress',
      'idempotency_key_reused',
    ],
    handle: async ({ body }, { em, deps, partner, actor }) => {
      return toOnboardingSessionView(deps, await createOnboardingSession(em, deps, partner, body, actor));
    },
  }),
  list: defineOperation({
    operationId: 'listOnboardingSessions',
    method: 'get',
    path: '/partners/:partner_id/onboarding_sessions',
    tag: 'Onboarding sessions',
    summary: 'List onboarding sessions, newest first, by tenant and status',
    params: PartnerPath,
    query: OnboardingSessionListQuerySchema,
    response: OnboardingSessionPageSchema,
    status: 200,
    errors: [],
    handle: async ({ query }, { em, deps, partner }) => {
      const page = await listOnboardingSessions(em, partner, query);
      return {
        onboarding_sessions: page.items.map((s) => toOnboardingSessionView(deps, s)),
        next_cursor: page.nextCursor,
      };
    },
  }),
  get: defineOperation({
    operationId: 'getOnboardingSession',
    method: 'get',
    path: '/partners/:partner_id/onboarding_sessions/:session_id',
    tag: 'Onboarding sessions',
    summary: 'Get one onboarding session',
    params: SessionPath,
    response: OnboardingSessionViewSchema,
    status: 200,
    errors: ['not_found'],
    handle: async ({ params }, { em, deps, partner }) =>
      toOnboardingSessionView(deps, await getOnboardingSession(em, partner, params.session_id)),
  }),
  cancel: defineOperation({
    operationId: 'cancelOnboardingSession',
    method: 'post',
    path: '/partners/:partner_id/onboarding_sessions/:session_id/cancel',
    tag: 'Onboarding sessions',
    summary: 'Cancel an onboarding session that has not finished',
    params: SessionPath,
    response: OnboardingSessionViewSchema,
    status: 200,
    errors: ['not_found', 'onboarding_session_closed'],
    handle: async ({ params }, { em, deps, partner, actor }) => {
      const session = await getOnboardingSession(em, partner, params.session_id);
      return toOnboardingSessionView(deps, await cancelOnboardingSession(em, deps.clock, session, actor));
    },
  }),
  delete: defineOperation({
    operationId: 'deleteOnboardingSession',
    method: 'delete',
    path: '/partners/:partner_id/onboarding_sessions/:session_id',
    tag: 'Onboarding sessions',
    summary: 'Delete an onboarding session that has not finished (its link stops working)',
    description:
      'Only a `pending` or `opened` session can be deleted; a finished one keeps its record and answers ' +
      '409 `onboarding_session_closed` (cancel an open session instead to keep it, with its event).',
    params: SessionPath,
    status: 204,
    errors: ['not_found', 'onboarding_session_closed'],
    handle: async ({ params }, { em, partner, actor }) => {
      await deleteOnboardingSession(em, await getOnboardingSession(em, partner, params.session_id), actor);
      return undefined;
    },
  }),
};
