import { z } from 'zod';
import { safeString } from '../../shared/schemas/safe-text.ts';

/**
 * The login form's fields, checked before they reach the throttle key or a query: text that
 * PostgreSQL cannot store is a 400 `validation_failed`, not a 500.
 */
export const LoginFormSchema = z.object({
  email: safeString().optional(),
  password: safeString().optional(),
});
