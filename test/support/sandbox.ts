import { randomInt } from 'node:crypto';
import type { Channel } from '../../server/modules/channels/channel.entity.ts';
import { provisionChannel } from '../../server/modules/channels/provisioning.service.ts';
import { Client } from '../../server/modules/clients/client.entity.ts';
import { createClient } from '../../server/modules/clients/clients.service.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { grantPermission } from '../../server/modules/permissions/permissions.service.ts';
import type { TestHub } from './hub.ts';

export const TEST_ACTOR = { type: 'operator', id: 'test' } as const;

export interface SandboxSignup {
  code: string;
  business_id: string;
  waba_id: string;
  phone_number_id: string;
}

export const randomPhone = () => `1555${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;

/** Presses Finish in the simulated Embedded Signup dialog (over HTTP, as the dialog does). */
export async function sandboxSignup(
  hub: TestHub,
  form: {
    phone_number?: string;
    connection_type?: 'cloud_api' | 'coexistence';
    business_name?: string;
    waba_id?: string;
  } = {},
): Promise<SandboxSignup> {
  const res = await fetch(`${hub.url}/sandbox/embedded-signup/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      business_name: 'Sunrise Bakery',
      display_name: 'Sunrise Bakery',
      phone_number: randomPhone(),
      ...form,
    }),
  });
  if (res.status !== 201) throw new Error(`sandbox signup failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as SandboxSignup;
}

export const provisioningDeps = (hub: TestHub) => hub.deps;

/** A client of the partner with a live sandbox channel it granted to the partner. */
export async function onboardSandboxChannel(
  hub: TestHub,
  partner: Partner,
  form: Parameters<typeof sandboxSignup>[1] = {},
): Promise<{ client: Client; channel: Channel; signup: SandboxSignup }> {
  const em = hub.em();
  const signup = await sandboxSignup(hub, form);
  const owner = await em.findOneOrFail(Partner, partner.id);
  const client = await createClient(em, hub.clock, owner, { name: 'Sunrise Bakery' }, TEST_ACTOR);
  const { channel } = await provisionChannel(
    em,
    provisioningDeps(hub),
    {
      client: await em.findOneOrFail(Client, client.id, { populate: ['partner'] }),
      code: signup.code,
      wabaId: signup.waba_id,
      phoneNumberId: signup.phone_number_id,
      businessId: signup.business_id,
    },
    TEST_ACTOR,
  );
  await grantPermission(em, hub.clock, owner, channel, TEST_ACTOR);
  return { client, channel, signup };
}

/** A call of the sandbox control API (the sandbox playing Meta), with the app's credentials. */
export function sandboxControl(hub: TestHub, path: string, body: object): Promise<Response> {
  return fetch(`${hub.url}/sandbox/control/${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${hub.deps.meta.appId}|${hub.deps.meta.appSecret}`,
    },
    body: JSON.stringify(body),
  });
}
