import { SEALED } from '../secrets/sealed-columns.ts';

/**
 * The associated data of a sealed channel secret, from the registry (secrets/sealed-columns.ts):
 * for reading one with a bare SecretBox. The hub itself goes through `seal` and `unseal`.
 */
export const channelSecretContext = (channelId: string, which: 'meta_token' | 'registration_pin') =>
  (which === 'meta_token' ? SEALED.channelMetaToken : SEALED.channelRegistrationPin).context(channelId);
