import { z } from 'zod';
import {
  OnboardingSessionCreateSchema,
  OnboardingSessionListQuerySchema,
  OnboardingSessionPageSchema,
  OnboardingSessionViewSchema,
} from '../../../../shared/schemas/onboarding.ts';
import { safeString } from '../../../../shared/schemas/safe-text.ts';
import {
  cancelOnboardingSession,
  createOnboardingSession,
  getOnboardingSession,
  listOnboardingSessions,
  onboardingDepsFrom,
  toOnboardingSessionView,
} from '../../../modules/onboarding/onboarding-sessions.service.ts';
import { idempotent } from '../../idempotency.ts';
import { partnerProcedure, router } from '../../trpc.ts';

const SessionId = z.strictObject({ session_id: safeString().max(64) });

/** The same services as REST `/onboarding_sessions`; `create` honours `Idempotency-Key`. */
export const onboardingRouter = router({
  create: partnerProcedure
    .input(OnboardingSessionCreateSchema)
    .output(OnboardingSessionViewSchema)
    .mutation(({ ctx, input, path }) =>
      idempotent(ctx, path, input, async () => {
        const deps = onboardingDepsFrom(ctx.deps);
        return toOnboardingSessionView(
          deps,
          await createOnboardingSession(ctx.em, deps, ctx.partner, input, ctx.actor),
        );
      }),
    ),
  get: partnerProcedure
    .input(SessionId)
    .output(OnboardingSessionViewSchema)
    .query(async ({ ctx, input }) =>
      toOnboardingSessionView(
        onboardingDepsFrom(ctx.deps),
        await getOnboardingSession(ctx.em, ctx.partner, input.session_id),
      ),
    ),
  list: partnerProcedure
    .input(OnboardingSessionListQuerySchema)
    .output(OnboardingSessionPageSchema)
    .query(async ({ ctx, input }) => {
      const page = await listOnboardingSessions(ctx.em, ctx.partner, input);
      const deps = onboardingDepsFrom(ctx.deps);
      return {
        onboarding_sessions: page.items.map((s) => toOnboardingSessionView(deps, s)),
        next_cursor: page.nextCursor,
      };
    }),
  cancel: partnerProcedure
    .input(SessionId)
    .output(OnboardingSessionViewSchema)
    .mutation(async ({ ctx, input }) => {
      const session = await getOnboardingSession(ctx.em, ctx.partner, input.session_id);
      return toOnboardingSessionView(
        onboardingDepsFrom(ctx.deps),
        await cancelOnboardingSession(ctx.em, ctx.deps.clock, session, ctx.actor),
      );
    }),
});
