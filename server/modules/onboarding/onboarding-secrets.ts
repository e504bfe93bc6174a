/** Associated data for an onboarding session's sealed webhook verify token. */
export const onboardingSecretContext = (sessionId: string) =>
  `onboarding_session:${sessionId}:webhook_verify_token`;
