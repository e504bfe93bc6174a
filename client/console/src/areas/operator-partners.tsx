import { useState } from 'react';
import { Redirect } from 'wouter';
import { api, type Outputs, useApiMutation, useApiQuery } from '../api.ts';
import { ShownOnce } from '../ui/copy.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { Button, Field, FormError } from '../ui/form.tsx';
import { Badge, Time } from '../ui/format.tsx';
import { Page, Section } from '../ui/page.tsx';
import { EmptyState, QueryView } from '../ui/states.tsx';
import { Pager, useCursorPages } from './operator-pager.tsx';
import './operator.css';

type Partner = Outputs['console']['operator']['partners']['list']['partners'][number];

const LIST_KEY = ['console.operator.partners.list'] as const;
const PAGE_SIZE = 20;

/** An operator's start page: the partners (operators have no partner overview). */
export function OperatorHomePage() {
  return <Redirect to="/operator/partners" replace />;
}

/** Every partner of the hub: search, create (secrets shown once), suspend and unsuspend. */
export function OperatorPartnersPage() {
  const [search, setSearch] = useState('');
  const [typed, setTyped] = useState('');
  const pages = useCursorPages();
  const list = useApiQuery([...LIST_KEY, search, pages.cursor], () =>
    api.console.operator.partners.list.query({
      limit: PAGE_SIZE,
      ...(search ? { search } : {}),
      ...(pages.cursor ? { cursor: pages.cursor } : {}),
    }),
  );
  const [creating, setCreating] = useState(false);
  const [suspending, setSuspending] = useState<Partner | null>(null);
  return (
    <Page title="Partners" actions={<Button onClick={() => setCreating(true)}>Create partner</Button>}>
      <p className="lead">
        Every partner of this hub. Suspending one refuses its tokens and console users with{' '}
        <code>403 partner_suspended</code>; its clients’ numbers keep sending.
      </p>
      <Section title="All partners">
        <search>
          <form
            className="toolbar"
            onSubmit={(e) => {
              e.preventDefault();
              pages.reset();
              setSearch(typed.trim());
            }}
          >
            <Field
              label="Search by name"
              type="search"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
            />
            <Button type="submit" variant="secondary">
              Search
            </Button>
          </form>
        </search>
        <QueryView query={list} loading="Loading partners…">
          {(page) =>
            page.partners.length === 0 ? (
              <EmptyState title={search ? `No partner named like “${search}”` : 'No partners yet'}>
                <p>{search ? 'Try another part of the name.' : 'Create the first one.'}</p>
              </EmptyState>
            ) : (
              <>
                <PartnerTable partners={page.partners} onSuspend={setSuspending} />
                <Pager pages={pages} next={page.next_cursor} label="Partners pages" />
              </>
            )
          }
        </QueryView>
      </Section>
      <CreatePartnerDialog open={creating} onClose={() => setCreating(false)} />
      <SuspendDialog partner={suspending} onClose={() => setSuspending(null)} />
    </Page>
  );
}

function PartnerTable({ partners, onSuspend }: { partners: Partner[]; onSuspend: (p: Partner) => void }) {
  const unsuspend = useApiMutation(
    (partnerId: string) => api.console.operator.partners.unsuspend.mutate({ partner_id: partnerId }),
    [LIST_KEY],
  );
  return (
    <>
      <table className="table">
        <caption className="visually-hidden">Partners, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Partner id</th>
            <th scope="col">Payment</th>
            <th scope="col">Created</th>
            <th scope="col">State</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {partners.map((p) => (
            <tr key={p.id} className={p.suspended_at ? 'row-failing' : undefined}>
              <td>{p.name}</td>
              <td>
                <code>{p.id}</code>
              </td>
              <td>{p.payment_model}</td>
              <td>
                <Time value={p.created_at} />
              </td>
              <td>
                {p.suspended_at ? (
                  <>
                    <Badge value="suspended" /> since <Time value={p.suspended_at} />
                  </>
                ) : (
                  <Badge value="active" />
                )}
              </td>
              <td>
                {p.suspended_at ? (
                  <Button
                    variant="secondary"
                    busy={unsuspend.isPending && unsuspend.variables === p.id}
                    onClick={() => unsuspend.mutate(p.id)}
                    aria-label={`Unsuspend ${p.name}`}
                  >
                    Unsuspend
                  </Button>
                ) : (
                  <Button variant="danger" onClick={() => onSuspend(p)} aria-label={`Suspend ${p.name}`}>
                    Suspend
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <FormError error={unsuspend.error} />
    </>
  );
}

function CreatePartnerDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [form, setForm] = useState({ name: '', redirect_url: '', webhook_url: '' });
  const create = useApiMutation(
    (input: typeof form) =>
      api.console.operator.partners.create.mutate({
        name: input.name,
        ...(input.redirect_url ? { redirect_url: input.redirect_url } : {}),
        ...(input.webhook_url ? { webhook_url: input.webhook_url } : {}),
      }),
    [LIST_KEY],
  );
  const close = () => {
    create.reset();
    setForm({ name: '', redirect_url: '', webhook_url: '' });
    onClose();
  };
  const set = (field: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setForm({ ...form, [field]: e.target.value });
  return (
    <Dialog open={open} title="Create a partner" onClose={close}>
      {create.data ? (
        <>
          <p>
            Created <strong>{create.data.partner.name}</strong> (<code>{create.data.partner.id}</code>). Hand
            these to the partner over a safe channel:
          </p>
          <ShownOnce label="The partner’s API token" value={create.data.token} />
          <ShownOnce label="Its webhook signing secret" value={create.data.webhook_secret} />
          <Button onClick={close}>Done</Button>
        </>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate(form);
          }}
        >
          <Field label="Name" required maxLength={200} value={form.name} onChange={set('name')} />
          <Field
            label="Redirect URL"
            hint="Optional: where clients return after onboarding (partner_redirect_url)"
            type="url"
            value={form.redirect_url}
            onChange={set('redirect_url')}
          />
          <Field
            label="Webhook URL"
            hint="Optional: receives the partner’s lifecycle events"
            type="url"
            value={form.webhook_url}
            onChange={set('webhook_url')}
          />
          <FormError error={create.error} />
          <Button type="submit" busy={create.isPending}>
            Create partner
          </Button>
        </form>
      )}
    </Dialog>
  );
}

function SuspendDialog({ partner, onClose }: { partner: Partner | null; onClose: () => void }) {
  const suspend = useApiMutation(
    (partnerId: string) => api.console.operator.partners.suspend.mutate({ partner_id: partnerId }),
    [LIST_KEY],
  );
  const close = () => {
    suspend.reset();
    onClose();
  };
  return (
    <Dialog open={partner !== null} title={`Suspend ${partner?.name ?? ''}`} onClose={close}>
      <p>
        Its API tokens and console users are refused from now on, until you unsuspend it. Its clients’ numbers
        keep sending with their API keys, and its webhooks keep being delivered.
      </p>
      <FormError error={suspend.error} />
      <div className="button-row">
        <Button
          variant="danger"
          busy={suspend.isPending}
          onClick={() => partner && suspend.mutateAsync(partner.id).then(close, () => {})}
        >
          Suspend partner
        </Button>
        <Button variant="secondary" onClick={close}>
          Cancel
        </Button>
      </div>
    </Dialog>
  );
}
