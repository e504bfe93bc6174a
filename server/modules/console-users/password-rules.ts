import { safeString } from '../../../shared/schemas/safe-text.ts';

/** A console password being chosen (invite, change): the CLI's `create-user` asks the same 12. */
export const NewPasswordField = safeString()
  .min(12, 'Use a password of at least 12 characters')
  .max(200, 'Use a password of at most 200 characters');
