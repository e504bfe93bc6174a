import { useState } from 'react';
import { api, useApiMutation, useApiQuery } from '../api.ts';
import { useCan } from '../session.tsx';
import { ShownOnce } from '../ui/copy.tsx';
import { CredentialTable } from '../ui/credential-table.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { Button, FormError, SelectField } from '../ui/form.tsx';
import { Time } from '../ui/format.tsx';
import { Section } from '../ui/page.tsx';
import { EmptyState, QueryView } from '../ui/states.tsx';

const TOKENS_KEY = ['tokens.list'] as const;

const GRACE = [
  ['86400', 'Keep the current tokens working for 1 day'],
  ['3600', 'Keep the current tokens working for 1 hour'],
  ['604800', 'Keep the current tokens working for 7 days'],
  ['0', 'End the current tokens now'],
] as const;

/** Partner tokens (`hubp_…`): what your backend calls the API with. Owners rotate and revoke them. */
export function PartnerTokens() {
  const can = useCan();
  const tokens = useApiQuery(TOKENS_KEY, () => api.tokens.list.query({ limit: 100 }));
  const [open, setOpen] = useState(false);
  const [grace, setGrace] = useState<string>(GRACE[0][0]);
  const rotate = useApiMutation(
    (grace_period_seconds: number) => api.tokens.rotate.mutate({ grace_period_seconds }),
    [TOKENS_KEY],
  );
  const revoke = useApiMutation((token_id: string) => api.tokens.revoke.mutate({ token_id }), [TOKENS_KEY]);
  return (
    <Section
      title="Partner tokens"
      actions={
        can.manage ? (
          <Button
            onClick={() => {
              rotate.reset();
              setOpen(true);
            }}
          >
            Rotate token
          </Button>
        ) : null
      }
    >
      <QueryView query={tokens}>
        {(page) =>
          page.tokens.length === 0 ? (
            <EmptyState title="No working tokens">
              <p>Your backend cannot call the API until an owner rotates in a new token.</p>
            </EmptyState>
          ) : (
            <CredentialTable
              rows={page.tokens.map((t) => ({ ...t, shown: `${t.prefix}_…${t.last4}` }))}
              caption="Partner tokens that work now"
              noun="token"
              revoke={
                can.manage
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
      <Dialog open={open} title="Rotate the partner token" onClose={() => setOpen(false)}>
        {rotate.data ? (
          <>
            <ShownOnce label="The new partner token" value={rotate.data.token} />
            <p>
              The previous tokens stop working at <Time value={rotate.data.previous_tokens_expire_at} />.
            </p>
            <Button onClick={() => setOpen(false)}>Done</Button>
          </>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              rotate.mutate(Number(grace));
            }}
          >
            <p>
              A new token is issued and shown once. Put it in your backend before the current ones stop
              working.
            </p>
            <SelectField label="Current tokens" value={grace} onChange={setGrace} options={GRACE} />
            <FormError error={rotate.error} />
            <Button type="submit" busy={rotate.isPending}>
              Issue new token
            </Button>
          </form>
        )}
      </Dialog>
    </Section>
  );
}
