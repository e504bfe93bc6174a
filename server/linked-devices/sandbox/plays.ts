import { z } from 'zod';
import { safeString } from '../../../shared/schemas/safe-text.ts';
import { AppError } from '../../errors.ts';
import type { EmulatedPhones } from './emulated-phones.ts';

/**
 * The sandbox control API's plays, as the owning worker runs them on its emulated phones (a play
 * travels as a `play` command to the process that holds the session: runner/session-runner.ts).
 */
export const PlaySchema = z.discriminatedUnion('play', [
  z.object({
    play: z.literal('scan'),
    phone_number: safeString().max(32),
    name: safeString().max(200).nullish(),
  }),
  z.object({
    play: z.literal('pairing_code'),
    code: safeString().max(16),
    name: safeString().max(200).nullish(),
  }),
  z.object({ play: z.literal('phone_offline') }),
  z.object({ play: z.literal('phone_online') }),
  z.object({ play: z.literal('logged_out') }),
  z.object({
    play: z.literal('inbound'),
    from: safeString().max(32),
    text: safeString().max(4096).nullish(),
    push_name: safeString().max(200).nullish(),
    type: safeString().max(32).optional(),
    /** A reaction to `message_id`; without `emoji`, a removed one. */
    reaction: z
      .object({ message_id: safeString().min(1).max(256), emoji: safeString().max(32).nullish() })
      .optional(),
    location: z
      .object({
        latitude: z.number().min(-90).max(90),
        longitude: z.number().min(-180).max(180),
        name: safeString().max(1000).nullish(),
        address: safeString().max(1000).nullish(),
      })
      .optional(),
  }),
  z.object({ play: z.literal('sent') }),
]);
export type Play = z.infer<typeof PlaySchema>;

export async function runPlay(
  phones: EmulatedPhones,
  sessionId: string,
  input: unknown,
): Promise<Record<string, unknown>> {
  const parsed = PlaySchema.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', 'Not a sandbox play');
  const play = parsed.data;
  switch (play.play) {
    case 'scan':
      return phones.scan(sessionId, play.phone_number, play.name);
    case 'pairing_code':
      return phones.enterPairingCode(play.code, play.name);
    case 'phone_offline':
      phones.phoneOffline(sessionId);
      return { online: false };
    case 'phone_online':
      phones.phoneOnline(sessionId);
      return { online: true };
    case 'logged_out':
      await phones.loggedOut(sessionId);
      return { logged_out: true };
    case 'inbound':
      return phones.inbound(sessionId, {
        from: play.from,
        text: play.text,
        pushName: play.push_name,
        type: play.type,
        reaction: play.reaction && {
          messageId: play.reaction.message_id,
          emoji: play.reaction.emoji || null,
        },
        location: play.location && {
          latitude: play.location.latitude,
          longitude: play.location.longitude,
          name: play.location.name ?? null,
          address: play.location.address ?? null,
        },
      });
    case 'sent':
      return {
        messages: phones.sent(sessionId).map((m) => ({
          wa_message_id: m.waMessageId,
          to: m.to,
          text: m.text,
          at: m.at.toISOString(),
        })),
      };
  }
}
