import { useState } from 'react';
import { api, type Outputs, useApiQuery } from '../api.ts';
import { Dialog } from '../ui/dialog.tsx';
import { Button } from '../ui/form.tsx';
import { Badge, Time } from '../ui/format.tsx';
import { Page, Section } from '../ui/page.tsx';
import { EmptyState, QueryView } from '../ui/states.tsx';
import { Pager, useCursorPages } from './operator-pager.tsx';
import './operator.css';

type Statement = Outputs['billing']['statements']['list']['statements'][number];

const money = (amount: string, currency: string) => `${amount} ${currency.toUpperCase()}`;

/** The payment model, the terms and prices in force, and the monthly statements. */
export function BillingPage() {
  const billing = useApiQuery(['billing.get'], () => api.billing.get.query());
  const pages = useCursorPages();
  const statements = useApiQuery(['billing.statements.list', pages.cursor], () =>
    api.billing.statements.list.query({ limit: 20, ...(pages.cursor ? { cursor: pages.cursor } : {}) }),
  );
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Page title="Billing">
      <Section title="Payment model">
        <QueryView query={billing} loading="Loading billing…">
          {(b) => (
            <dl className="facts">
              <dt>Who pays for messaging</dt>
              <dd>
                {b.payment_model === 'direct'
                  ? 'Direct Payment: each client pays with its card'
                  : 'Partner Payment: you are invoiced for your clients’ messages'}
              </dd>
              <dt>Terms</dt>
              <dd>
                {b.terms ? (
                  <>
                    <a href={b.terms.url} rel="noreferrer" target="_blank">
                      Version {b.terms.version}
                    </a>{' '}
                    in force since <Time value={b.terms.effective_at} />
                  </>
                ) : (
                  <span className="muted">none published</span>
                )}
              </dd>
              <dt>Price list</dt>
              <dd>
                {b.price_list ? (
                  <>
                    Version {b.price_list.version} ({b.price_list.currency.toUpperCase()},{' '}
                    {b.price_list.rates.length} {b.price_list.rates.length === 1 ? 'rate' : 'rates'}) since{' '}
                    <Time value={b.price_list.effective_at} />
                  </>
                ) : (
                  <span className="muted">none published</span>
                )}
              </dd>
            </dl>
          )}
        </QueryView>
      </Section>
      <Section title="Statements">
        <QueryView query={statements} loading="Loading statements…">
          {(page) =>
            page.statements.length === 0 ? (
              <EmptyState title="No statements yet">
                <p>A statement is issued on the 1st of each month for the month before.</p>
              </EmptyState>
            ) : (
              <>
                <StatementTable statements={page.statements} onOpen={setOpen} />
                <Pager pages={pages} next={page.next_cursor} label="Statements pages" />
              </>
            )
          }
        </QueryView>
      </Section>
      <StatementDialog id={open} onClose={() => setOpen(null)} />
    </Page>
  );
}

function StatementTable({ statements, onOpen }: { statements: Statement[]; onOpen: (id: string) => void }) {
  return (
    <table className="table">
      <caption className="visually-hidden">Statements, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Period</th>
          <th scope="col">Billed to</th>
          <th scope="col" className="amount">
            Total
          </th>
          <th scope="col">Status</th>
          <th scope="col">Issued</th>
          <th scope="col">Lines</th>
        </tr>
      </thead>
      <tbody>
        {statements.map((s) => (
          <tr key={s.id}>
            <td>{s.period}</td>
            <td>{s.client_id ? <code>{s.client_id}</code> : 'You (Partner Payment)'}</td>
            <td className="amount">{money(s.total, s.currency)}</td>
            <td>
              <Badge value={s.status} />
              {s.paid_at ? (
                <>
                  {' '}
                  <Time value={s.paid_at} />
                </>
              ) : null}
            </td>
            <td>
              <Time value={s.issued_at} />
            </td>
            <td>
              <Button
                variant="secondary"
                onClick={() => onOpen(s.id)}
                aria-label={`View the lines of the ${s.period} statement ${s.id}`}
              >
                View
              </Button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One statement, read again by id: the list may be a page old. */
function StatementDialog({ id, onClose }: { id: string | null; onClose: () => void }) {
  const statement = useApiQuery(
    ['billing.statements.get', id],
    () => api.billing.statements.get.query({ statement_id: id! }),
    { enabled: id !== null },
  );
  return (
    <Dialog
      open={id !== null}
      title={statement.data ? `Statement ${statement.data.period}` : 'Statement'}
      onClose={onClose}
    >
      <QueryView query={statement} loading="Loading the statement…">
        {(s) => (
          <>
            <dl className="facts">
              <dt>Status</dt>
              <dd>
                <Badge value={s.status} />
                {s.failure_code ? (
                  <>
                    {' '}
                    <code>{s.failure_code}</code>
                  </>
                ) : null}
              </dd>
              <dt>Total</dt>
              <dd>{money(s.total, s.currency)}</dd>
              <dt>Payment model</dt>
              <dd>{s.payment_model}</dd>
            </dl>
            {s.lines.length === 0 ? (
              <EmptyState title="No billable messages this month" />
            ) : (
              <table className="table">
                <caption>Priced lines of the {s.period} statement</caption>
                <thead>
                  <tr>
                    <th scope="col">Category</th>
                    <th scope="col">Country</th>
                    <th scope="col" className="amount">
                      Messages
                    </th>
                    <th scope="col" className="amount">
                      Unit price
                    </th>
                    <th scope="col" className="amount">
                      Amount
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {s.lines.map((l) => (
                    <tr key={`${l.category} ${l.country} ${l.price_list_version}`}>
                      <td>{l.category}</td>
                      <td>{l.country}</td>
                      <td className="amount">{l.messages}</td>
                      <td className="amount">{money(l.unit_price, s.currency)}</td>
                      <td className="amount">{money(l.amount, s.currency)}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row" colSpan={4}>
                      Total
                    </th>
                    <td className="amount">{money(s.total, s.currency)}</td>
                  </tr>
                </tfoot>
              </table>
            )}
          </>
        )}
      </QueryView>
    </Dialog>
  );
}
