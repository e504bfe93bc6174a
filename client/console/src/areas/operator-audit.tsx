import { useState } from 'react';
import { api, type Inputs, useApiQuery } from '../api.ts';
import { Button, Field, SelectField } from '../ui/form.tsx';
import { Time } from '../ui/format.tsx';
import { Page, Section } from '../ui/page.tsx';
import { EmptyState, QueryView } from '../ui/states.tsx';
import { Pager, useCursorPages } from './operator-pager.tsx';
import './operator.css';

type Search = Inputs['console']['operator']['audit']['search'];

const ACTOR_TYPES = [
  ['', 'Anyone'],
  ['operator', 'Operator'],
  ['partner_user', 'Partner console user'],
  ['partner_token', 'Partner token'],
  ['channel_api_key', 'Channel API key'],
  ['client_user', 'Client user'],
  ['system', 'The hub itself'],
] as const;

const EMPTY = { actor_type: '', actor_id: '', partner_id: '', action: '', since: '', until: '' };
type Form = typeof EMPTY;

/** `datetime-local` is the browser's local time; the hub takes ISO instants. */
const isoOf = (local: string) => (local ? new Date(local).toISOString() : undefined);

/** The form as the procedure's filters: an action ending in a dot is a prefix (`partner.`). */
function filtersOf(form: Form): Omit<Search, 'cursor' | 'limit'> {
  const action = form.action.trim();
  return {
    ...(form.actor_type ? { actor_type: form.actor_type as NonNullable<Search['actor_type']> } : {}),
    ...(form.actor_id.trim() ? { actor_id: form.actor_id.trim() } : {}),
    ...(form.partner_id.trim() ? { partner_id: form.partner_id.trim() } : {}),
    ...(action ? (action.endsWith('.') ? { action_prefix: action } : { action }) : {}),
    ...(form.since ? { since: isoOf(form.since) } : {}),
    ...(form.until ? { until: isoOf(form.until) } : {}),
  };
}

/** Who did what across every partner, newest first. */
export function OperatorAuditPage() {
  const [form, setForm] = useState<Form>(EMPTY);
  const [filters, setFilters] = useState<Omit<Search, 'cursor' | 'limit'>>({});
  const pages = useCursorPages();
  const entries = useApiQuery(['console.operator.audit.search', filters, pages.cursor], () =>
    api.console.operator.audit.search.query({
      ...filters,
      limit: 50,
      ...(pages.cursor ? { cursor: pages.cursor } : {}),
    }),
  );
  const set = (field: keyof Form) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setForm({ ...form, [field]: e.target.value });
  return (
    <Page title="Audit log">
      <p className="lead">Every audited change of every partner, and the operators’ own.</p>
      <Section title="Search">
        <search>
          <form
            aria-label="Audit log filters"
            onSubmit={(e) => {
              e.preventDefault();
              pages.reset();
              setFilters(filtersOf(form));
            }}
          >
            <div className="filters">
              <SelectField
                label="Actor type"
                value={form.actor_type}
                onChange={(v) => setForm({ ...form, actor_type: v })}
                options={ACTOR_TYPES}
              />
              <Field label="Actor id" value={form.actor_id} onChange={set('actor_id')} maxLength={64} />
              <Field
                label="Partner id"
                value={form.partner_id}
                onChange={set('partner_id')}
                placeholder="ptn_…"
              />
              <Field
                label="Action"
                hint="Exact, or a prefix ending in a dot"
                value={form.action}
                onChange={set('action')}
                placeholder="partner.suspended"
                maxLength={100}
              />
              <Field label="From" type="datetime-local" value={form.since} onChange={set('since')} />
              <Field label="Until" type="datetime-local" value={form.until} onChange={set('until')} />
            </div>
            <div className="button-row">
              <Button type="submit">Search</Button>
              <Button
                variant="secondary"
                onClick={() => {
                  setForm(EMPTY);
                  pages.reset();
                  setFilters({});
                }}
              >
                Clear
              </Button>
            </div>
          </form>
        </search>
      </Section>
      <Section title="Entries">
        <QueryView query={entries} loading="Searching the audit log…">
          {(page) =>
            page.entries.length === 0 ? (
              <EmptyState title="No entry matches">
                <p>Widen the time range or clear a filter.</p>
              </EmptyState>
            ) : (
              <>
                <p className="visually-hidden" aria-live="polite">
                  {page.entries.length} entries on page {pages.number}
                </p>
                <table className="table">
                  <caption className="visually-hidden">Audit entries, newest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Action</th>
                      <th scope="col">Actor</th>
                      <th scope="col">Partner</th>
                      <th scope="col">Target</th>
                      <th scope="col">From</th>
                      <th scope="col">Details</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.entries.map((e) => (
                      <tr key={e.id}>
                        <td>
                          <Time value={e.created_at} />
                        </td>
                        <td>
                          <code>{e.action}</code>
                        </td>
                        <td>
                          {e.actor_type.replaceAll('_', ' ')}
                          {e.actor_id ? (
                            <>
                              {' '}
                              <code>{e.actor_id}</code>
                            </>
                          ) : null}
                        </td>
                        <td>
                          {e.partner_id ? <code>{e.partner_id}</code> : <span className="muted">hub</span>}
                        </td>
                        <td>
                          {e.target_id ? (
                            <>
                              {e.target_type} <code>{e.target_id}</code>
                            </>
                          ) : (
                            <span className="muted">—</span>
                          )}
                        </td>
                        <td>{e.ip ?? <span className="muted">—</span>}</td>
                        <td>
                          {e.details ? (
                            <details>
                              <summary>Show</summary>
                              <pre className="details-json">{JSON.stringify(e.details, null, 2)}</pre>
                            </details>
                          ) : (
                            <span className="muted">—</span>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <Pager pages={pages} next={page.next_cursor} label="Audit log pages" />
              </>
            )
          }
        </QueryView>
      </Section>
    </Page>
  );
}
