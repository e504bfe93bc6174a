import { createHash, createHmac } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ChannelStatus, ConnectionType } from '../../../shared/statuses.ts';
import type { Clock } from '../../clock.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import { AppError } from '../../errors.ts';
import type { GraphClient } from '../../meta/graph-client.ts';
import { GraphError, toAppError } from '../../meta/graph-error.ts';
import type { PhoneNumber } from '../../meta/graph-types.ts';
import type { MetaApp } from '../../meta/meta-app.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Client } from '../clients/client.entity.ts';
import { enqueueBusinessAppSync } from '../coexistence/business-app-sync.service.ts';
import { SEALED, seal, unseal } from '../secrets/sealed-columns.ts';
import { ClientWaba } from '../signup/client-waba.entity.ts';
import { Channel } from './channel.entity.ts';
import {
  moveChannel,
  recordChannelCreated,
  recordChannelUpdated,
  recordModeResolved,
} from './channel-lifecycle.ts';
import { assertOverrideFits, recordOverride } from './waba-override.ts';

export interface ProvisioningDeps {
  graph: GraphClient;
  secretBox: SecretBox;
  clock: Clock;
  meta: MetaApp;
  /** Derived from HUB_SECRET; keys the registration PIN of a number registered the first time. */
  sessionSecret: string;
}

/** What Embedded Signup hands back: the code from FB.login and the ids from the FINISH message. */
export interface ProvisionInput {
  client: Client;
  code: string;
  wabaId: string;
  phoneNumberId: string;
  businessId?: string | undefined;
  /** `coexistence` when the FINISH event was FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING. */
  connectionType?: ConnectionType | undefined;
  /** The tenant's own Meta webhook (onboarding sessions); the hub's relay otherwise. */
  webhookOverride?: { callbackUri: string; verifyToken: string } | undefined;
}

export interface Provisioned {
  channel: Channel;
  created: boolean;
  /** True when this exact callback was already handled: nothing was called or changed. */
  repeated: boolean;
}

const VIEW_FIELDS = [
  'status',
  'phoneNumber',
  'displayName',
  'verifiedName',
  'qualityRating',
  'wabaId',
  'businessId',
  'connectionType',
  'webhookOverrideUrl',
] as const;
const WIRE_NAMES: Record<(typeof VIEW_FIELDS)[number], string> = {
  status: 'status',
  phoneNumber: 'phone_number',
  displayName: 'display_name',
  verifiedName: 'verified_name',
  qualityRating: 'quality_rating',
  wabaId: 'waba_id',
  businessId: 'business_id',
  connectionType: 'connection_type',
  webhookOverrideUrl: 'webhook_override_url',
};

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Meta's phone `status` → our lifecycle, for a number that finished registration. */
function liveStatusFrom(phone: PhoneNumber): ChannelStatus {
  const status = phone.status?.toUpperCase();
  if (status === 'RESTRICTED' || status === 'RATE_LIMITED' || status === 'FLAGGED') return 'restricted';
  if (status === 'BANNED' || status === 'DELETED' || status === 'DISCONNECTED') return 'disconnected';
  return 'live';
}

/**
 * Calls with one signup code in this process, by code hash: a double submit waits for the first
 * instead of spending Meta's single-use code twice, then finds its channel as a repeat.
 */
const inFlight = new Map<string, Promise<unknown>>();

async function oneAtATime<T>(key: string, fn: () => Promise<T>): Promise<T> {
  for (let running = inFlight.get(key); running; running = inFlight.get(key)) {
    await running.catch(() => undefined);
  }
  const mine = fn();
  inFlight.set(key, mine);
  try {
    return await mine;
  } finally {
    if (inFlight.get(key) === mine) inFlight.delete(key);
  }
}

/** What Meta said during steps 3–5; a failure there still leaves a channel to record. */
interface MetaSteps {
  subscribedAt?: Date;
  /** The PIN the number is now registered with (cloud_api only). */
  pin?: string;
  phone?: PhoneNumber;
  failure?: AppError;
}

/**
 * Turns an Embedded Signup result into a channel: exchange the code, check the WABA is in the
 * token's granular scopes, subscribe the app (plainly, then with the callback pointing at the hub
 * or the session's override),
 * register the number (not for coexistence), read its details, then create or update the
 * Channel and record `channel.created` / `channel.updated`.
 *
 * Meta is called outside any transaction (up to six HTTP calls, seconds each; in sandbox mode
 * the emulator answers them from the same connection pool), and the outcome is written in one
 * short transaction keyed by the phone number id, so a retry or a concurrent signup of the same
 * number updates one channel. A repeated callback with the same code returns the channel it
 * made, without calling Meta (the code is single-use there). If Meta fails after the token was
 * obtained, the channel is kept as `failed` with the token, so support can see it and a new
 * signup resumes it; the error is then rethrown.
 */
export async function provisionChannel(
  em: EntityManager,
  deps: ProvisioningDeps,
  input: ProvisionInput,
  actor: Actor,
): Promise<Provisioned> {
  const codeHash = sha256(input.code);
  // Per WABA too: the override check reads committed siblings, so two signups into one WABA
  // with different overrides must not pass it together (across processes it stays a race).
  return oneAtATime(codeHash, () =>
    oneAtATime(`waba:${input.wabaId}`, () => provision(em, deps, input, actor, codeHash)),
  );
}

async function provision(
  em: EntityManager,
  deps: ProvisioningDeps,
  input: ProvisionInput,
  actor: Actor,
  codeHash: string,
): Promise<Provisioned> {
  const repeat = await em.findOne(Channel, { signupCodeHash: codeHash }, { populate: ['client'] });
  if (repeat) {
    if (repeat.client.id !== input.client.id)
      throw new AppError('conflict', 'This signup code was used already');
    return { channel: repeat, created: false, repeated: true };
  }
  const overrideUrl = input.webhookOverride?.callbackUri ?? null;
  await assertOverrideFits(em, input.wabaId, input.phoneNumberId, overrideUrl);

  const token = await call('exchange the signup code', () => deps.graph.exchangeCode(input.code));
  const debug = await call('inspect the business token', () => deps.graph.debugToken(token.access_token));
  assertWabaGranted(debug.granular_scopes ?? [], input.wabaId, debug.is_valid);
  const numbers = await call('list the WABA phone numbers', () =>
    deps.graph.listPhoneNumbers(input.wabaId, token.access_token),
  );
  const listed = numbers.find((n) => n.id === input.phoneNumberId);
  if (!listed) {
    throw new AppError(
      'validation_failed',
      `Phone number ${input.phoneNumberId} is not in WABA ${input.wabaId}`,
      { phone_number_id: input.phoneNumberId, waba_id: input.wabaId },
    );
  }
  const known = await em.findOne(Channel, { phoneNumberId: input.phoneNumberId }, { populate: ['client'] });
  assertSameClient(known, input);
  const connectionType: ConnectionType =
    input.connectionType ?? (listed.is_on_biz_app ? 'coexistence' : 'cloud_api');
  // A number registered before has two-step verification set to our PIN: Meta wants it again.
  const pin = known?.registrationPinSealed
    ? unseal(deps.secretBox, SEALED.channelRegistrationPin, known.id, known.registrationPinSealed)
    : firstPin(deps.sessionSecret, input.phoneNumberId);
  const steps = await connect(deps, input, connectionType, token.access_token, pin);

  const result = await em.transactional(async (tx) => {
    // Short: serialises writers of one number (a retry racing the original), never Meta calls.
    await tx.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [
      `channel:${input.phoneNumberId}`,
    ]);
    let channel = await tx.findOne(Channel, { phoneNumberId: input.phoneNumberId }, { populate: ['client'] });
    assertSameClient(channel, input);
    const created = !channel;
    const before = channel ? snapshot(channel) : undefined;
    if (!channel) {
      channel = tx.create(Channel, {
        client: input.client,
        phoneNumber: digitsOf(listed.display_phone_number) ?? '',
        wabaId: input.wabaId,
        phoneNumberId: input.phoneNumberId,
        status: 'pending',
        connectionType,
      });
    } else {
      moveChannel(channel, 'pending');
      channel.connectionType = connectionType;
    }
    channel.wabaId = input.wabaId;
    channel.businessId = input.businessId ?? channel.businessId ?? null;
    channel.signupCodeHash = codeHash;
    channel.metaTokenSealed = seal(deps.secretBox, SEALED.channelMetaToken, channel.id, token.access_token);
    channel.metaTokenExpiresAt = token.expires_in
      ? new Date(deps.clock.now().getTime() + token.expires_in * 1000)
      : null;
    channel.metaTokenInvalidAt = null;
    applySteps(deps, channel, steps);
    const siblingsChanged = steps.subscribedAt
      ? await recordOverride(tx, channel, overrideUrl, input.client.partner.id)
      : [];

    recordAudit(tx, actor, {
      partner: input.client.partner,
      action: created ? 'channel.provisioned' : 'channel.reprovisioned',
      target: { type: 'channel', id: channel.id },
      details: { waba_id: channel.wabaId, phone_number_id: channel.phoneNumberId, status: channel.status },
    });
    await tx.flush();
    // A WABA signed up earlier without a number (FINISH_ONLY_WABA) now has one.
    await tx.nativeUpdate(
      ClientWaba,
      { wabaId: input.wabaId, client: input.client, status: 'pending' },
      { status: 'connected', updatedAt: deps.clock.now() },
    );
    if (created) await recordChannelCreated(tx, deps.clock, channel);
    else {
      const changed = changedFields(before!, channel);
      await recordChannelUpdated(tx, deps.clock, channel, changed);
      if (changed.includes('connection_type')) await recordModeResolved(tx, deps.clock, channel);
    }
    for (const sibling of siblingsChanged) {
      await recordChannelUpdated(tx, deps.clock, sibling, ['webhook_override_url']);
    }
    if (connectionType === 'coexistence' && steps.subscribedAt && !steps.failure) {
      await enqueueBusinessAppSync(tx, deps.clock, channel.id);
    }
    await tx.flush();
    return { channel, created, repeated: false };
  });
  if (steps.failure) throw steps.failure;
  return result;
}

/**
 * The PIN a number is first registered with: derived from the number, not random, so concurrent
 * or retried signups of one new number all register it with the same PIN (a random one per
 * attempt makes all but the first fail with Meta's "PIN mismatch").
 */
function firstPin(secret: string, phoneNumberId: string): string {
  const mac = createHmac('sha256', secret).update(`registration-pin:${phoneNumberId}`).digest();
  return String(mac.readUInt32BE(0) % 1_000_000).padStart(6, '0');
}

function assertSameClient(channel: Channel | null, input: ProvisionInput): void {
  if (channel && channel.client.id !== input.client.id) {
    throw new AppError('conflict', 'This number is connected to another client', {
      phone_number_id: input.phoneNumberId,
    });
  }
}

/** Steps 3–5 against Meta: subscribe, register, read details. A Meta refusal ends the steps. */
async function connect(
  deps: ProvisioningDeps,
  input: ProvisionInput,
  connectionType: ConnectionType,
  token: string,
  pin: string,
): Promise<MetaSteps> {
  const steps: MetaSteps = {};
  const override = input.webhookOverride ?? {
    callbackUri: deps.meta.callbackUrl,
    verifyToken: deps.meta.verifyToken,
  };
  try {
    // Meta accepts an override only once the app receives `messages` for the WABA on its
    // default callback ("(#100) Before override the current callback uri…"): subscribe, then override.
    await call('subscribe the app to the WABA', () => deps.graph.subscribeApp(input.wabaId, token));
    await call('override the WABA callback', () => deps.graph.subscribeApp(input.wabaId, token, override));
    steps.subscribedAt = deps.clock.now();
    if (connectionType === 'cloud_api') {
      await call('register the phone number', () => deps.graph.register(input.phoneNumberId, token, pin));
      steps.pin = pin;
    }
    steps.phone = await call('read the phone number', () =>
      deps.graph.getPhoneNumber(input.phoneNumberId, token),
    );
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    steps.failure = err;
  }
  return steps;
}

/** Moves the channel pending → connected → live (or failed) as far as Meta's steps went. */
function applySteps(deps: ProvisioningDeps, channel: Channel, steps: MetaSteps): void {
  if (steps.subscribedAt) {
    channel.wabaSubscribedAt = steps.subscribedAt;
    moveChannel(channel, 'connected');
  }
  if (steps.pin) {
    channel.registrationPinSealed = seal(
      deps.secretBox,
      SEALED.channelRegistrationPin,
      channel.id,
      steps.pin,
    );
  }
  if (steps.phone) {
    const phone = steps.phone;
    channel.phoneNumber = digitsOf(phone.display_phone_number) ?? channel.phoneNumber;
    channel.verifiedName = phone.verified_name ?? channel.verifiedName ?? null;
    channel.displayName = phone.verified_name ?? channel.displayName ?? null;
    channel.qualityRating = phone.quality_rating ?? null;
    moveChannel(channel, liveStatusFrom(phone));
  }
  if (steps.failure) moveChannel(channel, 'failed', steps.failure.code);
}

export function assertWabaGranted(
  scopes: { scope: string; target_ids?: string[] | undefined }[],
  wabaId: string,
  valid: boolean,
): void {
  const granted = (scope: string) =>
    scopes.some((s) => s.scope === scope && (s.target_ids ?? []).includes(wabaId));
  if (!valid || !granted('whatsapp_business_management') || !granted('whatsapp_business_messaging')) {
    throw new AppError(
      'waba_not_in_scopes',
      `The business did not grant access to WABA ${wabaId} during Embedded Signup`,
      { waba_id: wabaId, granted: scopes.map((s) => ({ scope: s.scope, target_ids: s.target_ids ?? [] })) },
    );
  }
}

export async function call<T>(action: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof GraphError) throw toAppError(err, action);
    throw err;
  }
}

function digitsOf(display: string | undefined): string | undefined {
  const digits = display?.replace(/\D/g, '');
  return digits || undefined;
}

function snapshot(channel: Channel): Record<string, unknown> {
  return Object.fromEntries(VIEW_FIELDS.map((f) => [f, channel[f] ?? null]));
}

function changedFields(before: Record<string, unknown>, channel: Channel): string[] {
  return VIEW_FIELDS.filter((f) => before[f] !== (channel[f] ?? null)).map((f) => WIRE_NAMES[f]);
}
