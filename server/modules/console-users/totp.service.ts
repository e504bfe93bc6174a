import type { EntityManager } from '@mikro-orm/postgresql';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import type { Clock } from '../../clock.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { SEALED, seal, unseal } from '../secrets/sealed-columns.ts';
import type { ConsoleUser } from './console-user.entity.ts';

const PERIOD_S = 30;

function totpOf(box: SecretBox, user: ConsoleUser): TOTP | undefined {
  if (!user.totpSecretSealed) return undefined;
  const base32 = unseal(box, SEALED.consoleUserTotp, user.id, user.totpSecretSealed);
  return new TOTP({
    issuer: 'Partner Hub',
    label: user.email,
    secret: Secret.fromBase32(base32),
    period: PERIOD_S,
  });
}

export interface TotpEnrolment {
  /** For typing into an authenticator app by hand. */
  secret: string;
  otpauthUri: string;
  /** The URI as an SVG QR code, for scanning. */
  qrSvg: string;
}

/** A new secret, kept sealed but not yet required: `confirmTotp` with a code from the app enables it. */
export async function startTotp(
  em: EntityManager,
  box: SecretBox,
  user: ConsoleUser,
): Promise<TotpEnrolment> {
  if (user.totpEnabledAt)
    throw new AppError('conflict', 'Two-factor sign-in is on already: turn it off first');
  const secret = new Secret({ size: 20 });
  user.totpSecretSealed = seal(box, SEALED.consoleUserTotp, user.id, secret.base32);
  user.totpLastStep = null;
  await em.flush();
  const otpauthUri = totpOf(box, user)!.toString();
  return {
    secret: secret.base32,
    otpauthUri,
    qrSvg: await QRCode.toString(otpauthUri, { type: 'svg', margin: 1 }),
  };
}

/**
 * Whether `code` is the user's current code (one step of drift either way). A code is accepted
 * once: the step it belongs to is remembered, and that step or an earlier one is refused.
 */
export async function checkTotp(
  em: EntityManager,
  box: SecretBox,
  clock: Clock,
  user: ConsoleUser,
  code: string,
): Promise<boolean> {
  const totp = totpOf(box, user);
  if (!totp || !/^\d{6}$/.test(code)) return false;
  const now = clock.now().getTime();
  const delta = totp.validate({ token: code, timestamp: now, window: 1 });
  if (delta === null) return false;
  const step = Math.floor(now / 1000 / PERIOD_S) + delta;
  if (user.totpLastStep !== null && user.totpLastStep !== undefined && step <= user.totpLastStep)
    return false;
  user.totpLastStep = step;
  await em.flush();
  return true;
}

const wrongCode = () =>
  new AppError('validation_failed', 'That code is not right: try the current one', { field: 'code' });

export async function confirmTotp(
  em: EntityManager,
  box: SecretBox,
  clock: Clock,
  user: ConsoleUser,
  code: string,
  actor: Actor,
): Promise<void> {
  if (user.totpEnabledAt) throw new AppError('conflict', 'Two-factor sign-in is on already');
  if (!(await checkTotp(em, box, clock, user, code))) throw wrongCode();
  user.totpEnabledAt = clock.now();
  recordAudit(em, actor, {
    partner: user.partner ?? null,
    action: 'console_user.totp_enabled',
    target: { type: 'console_user', id: user.id },
  });
  await em.flush();
}

export async function disableTotp(
  em: EntityManager,
  box: SecretBox,
  clock: Clock,
  user: ConsoleUser,
  code: string,
  actor: Actor,
): Promise<void> {
  if (!user.totpEnabledAt) throw new AppError('conflict', 'Two-factor sign-in is off already');
  if (!(await checkTotp(em, box, clock, user, code))) throw wrongCode();
  user.totpEnabledAt = null;
  user.totpSecretSealed = null;
  user.totpLastStep = null;
  recordAudit(em, actor, {
    partner: user.partner ?? null,
    action: 'console_user.totp_disabled',
    target: { type: 'console_user', id: user.id },
  });
  await em.flush();
}
