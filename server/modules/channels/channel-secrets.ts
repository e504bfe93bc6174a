/** Associated data binding each sealed channel secret to its row and column. */
export const channelSecretContext = (channelId: string, which: 'meta_token' | 'registration_pin') =>
  `channel:${channelId}:${which}`;
