import { useState } from 'react';
import { api, type Outputs, useApiMutation, useApiQuery } from '../api.ts';
import { useCan } from '../session.tsx';
import { CopyButton, ShownOnce } from '../ui/copy.tsx';
import { CredentialTable } from '../ui/credential-table.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { Button, FormError, SelectField } from '../ui/form.tsx';
import { Page, Section } from '../ui/page.tsx';
import { EmptyState, QueryView } from '../ui/states.tsx';

type Channel = Outputs['channels']['list']['channels'][number];

const GRACE = [
  ['0', 'Revoke the old keys now'],
  ['3600', 'Keep old keys working for 1 hour'],
  ['86400', 'Keep old keys working for 1 day'],
  ['604800', 'Keep old keys working for 7 days'],
] as const;

/** Channel API keys: pick a number, see its keys, create (or rotate with a grace window) and revoke. */
export function ApiKeysPage() {
  const channels = useApiQuery(['channels.list', { limit: 100 }], () =>
    api.channels.list.query({ limit: 100 }),
  );
  const [chosen, setChosen] = useState<string>('');
  return (
    <Page title="API keys">
      <p className="lead">
        A key unlocks the messaging API (<code>/waba/…</code>) for one number. Creating a key replaces the
        existing ones, at once or after a grace window.
      </p>
      <QueryView query={channels}>
        {(page) => {
          if (page.channels.length === 0)
            return (
              <EmptyState title="No numbers yet">
                <p>Keys belong to numbers: connect one first.</p>
              </EmptyState>
            );
          const channelId = chosen || page.channels[0]!.id;
          const channel = page.channels.find((c) => c.id === channelId) ?? page.channels[0]!;
          return (
            <>
              <SelectField
                label="Number"
                value={channel.id}
                onChange={setChosen}
                options={page.channels.map((c) => [
                  c.id,
                  `+${c.phone_number} ${c.verified_name ?? ''} (${c.status})`,
                ])}
              />
              <ChannelKeys channel={channel} />
            </>
          );
        }}
      </QueryView>
    </Page>
  );
}

function ChannelKeys({ channel }: { channel: Channel }) {
  const can = useCan();
  const keysKey = ['apiKeys.list', channel.id];
  const keys = useApiQuery(keysKey, () => api.apiKeys.list.query({ channel_id: channel.id, limit: 100 }));
  const [open, setOpen] = useState(false);
  const [grace, setGrace] = useState('0');
  const create = useApiMutation(
    (input: { grace_period_seconds: number }) =>
      api.apiKeys.create.mutate({ channel_id: channel.id, ...input }),
    [keysKey],
  );
  const revoke = useApiMutation(
    (keyId: string) => api.apiKeys.revoke.mutate({ channel_id: channel.id, key_id: keyId }),
    [keysKey],
  );
  return (
    <Section
      title={`Keys for +${channel.phone_number}`}
      actions={
        can.write ? (
          <Button
            onClick={() => {
              create.reset();
              setOpen(true);
            }}
          >
            Create key
          </Button>
        ) : null
      }
    >
      <QueryView query={keys}>
        {(page) =>
          page.api_keys.length === 0 ? (
            <EmptyState title="No working keys">
              <p>Create one to send messages from this number.</p>
            </EmptyState>
          ) : (
            <CredentialTable
              rows={page.api_keys.map((k) => ({ ...k, shown: `${k.prefix}…${k.last4}` }))}
              caption={`Working API keys for +${channel.phone_number}`}
              noun="key"
              revoke={
                can.write
                  ? {
                      run: (id) => revoke.mutate(id),
                      pendingId: revoke.isPending ? revoke.variables : undefined,
                    }
                  : undefined
              }
            />
          )
        }
      </QueryView>
      <FormError error={revoke.error} />
      <Dialog open={open} title="Create an API key" onClose={() => setOpen(false)}>
        {create.data ? (
          <>
            <ShownOnce label="The new API key" value={create.data.api_key} />
            <p>
              Messaging API address: <code>{create.data.address}</code>{' '}
              <CopyButton value={create.data.address} />
            </p>
            <Button onClick={() => setOpen(false)}>Done</Button>
          </>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate({ grace_period_seconds: Number(grace) });
            }}
          >
            <SelectField label="Existing keys" value={grace} onChange={setGrace} options={GRACE} />
            <FormError error={create.error} />
            <Button type="submit" busy={create.isPending}>
              Create key
            </Button>
          </form>
        )}
      </Dialog>
    </Section>
  );
}
