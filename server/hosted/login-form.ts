import { z } from 'zod';
import { safeString } from '../../shared/schemas/safe-text.ts';
import { EmailField } from '../modules/clients/email.ts';

/**
 * The login form's fields, checked before they reach the throttle key or a query: the email
 * normalised and valid (so no spelling of it escapes its throttle, and text PostgreSQL cannot
 * store never reaches it), the password present and no longer than any we accept at signup.
 */
export const LoginFormSchema = z.object({
  email: EmailField,
  password: safeString().min(1, 'Enter your password').max(200, 'Wrong email or password.'),
});
