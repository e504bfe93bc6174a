/**
 * What the signup popup (`/embed/signup`) hands back to the portal frame that opened it, by
 * postMessage on the hub's own origin: what Embedded Signup returned, or that it was given up.
 */
export const SIGNUP_MESSAGE = 'partner-hub-portal:signup';

export interface SignupResultMessage {
  type: typeof SIGNUP_MESSAGE;
  result: {
    code: string;
    waba_id: string;
    phone_number_id?: string;
    business_id?: string;
    connection_type: 'cloud_api' | 'coexistence';
  } | null;
}

export function isSignupMessage(data: unknown): data is SignupResultMessage {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === SIGNUP_MESSAGE;
}
