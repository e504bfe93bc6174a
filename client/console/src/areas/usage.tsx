import { useMemo, useState } from 'react';
import type { UsageReport } from '../../../../shared/schemas/usage.ts';
import { usageCsv } from '../../../../shared/usage-csv.ts';
import { api, useApiQuery } from '../api.ts';
import { Chart } from '../ui/chart.tsx';
import { Button, Field, SelectField } from '../ui/form.tsx';
import { Page, Section } from '../ui/page.tsx';
import { EmptyState, QueryView } from '../ui/states.tsx';
import './operator.css';

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

type GroupBy = 'category' | 'channel';

/** The days of the range, every one (a day without messages is a zero, not a gap). */
function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += DAY_MS) days.push(isoDay(t));
  return days;
}

/** Messages per day and series (a category, or a number), from the ledger's rows. */
function chartOf(report: UsageReport, groupBy: GroupBy, label: (channelId: string) => string) {
  const days = daysOf(report.from, report.to);
  const index = new Map(days.map((d, i) => [d, i]));
  const series = new Map<string, number[]>();
  for (const row of report.rows) {
    const key = groupBy === 'category' ? row.category : label(row.channel_id);
    let values = series.get(key);
    if (!values) {
      values = days.map(() => 0);
      series.set(key, values);
    }
    values[index.get(row.day)!]! += row.messages;
  }
  return {
    x: days.map((d) => Date.parse(d) / 1000),
    series: [...series].sort(([a], [b]) => a.localeCompare(b)).map(([k, values]) => ({ label: k, values })),
  };
}

/** Totals per number and category over the range: billable and all. */
function totalsOf(report: UsageReport) {
  const totals = new Map<string, { channel: string; category: string; messages: number; billable: number }>();
  for (const r of report.rows) {
    const key = `${r.channel_id} ${r.category}`;
    const t = totals.get(key) ?? { channel: r.channel_id, category: r.category, messages: 0, billable: 0 };
    t.messages += r.messages;
    if (r.billable) t.billable += r.messages;
    totals.set(key, t);
  }
  return [...totals.values()].sort(
    (a, b) => a.channel.localeCompare(b.channel) || a.category.localeCompare(b.category),
  );
}

/** Saves `text` as a file through a Blob link: the data is what the page already holds. */
function download(text: string, filename: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** The usage ledger: messages per day by category or number, with the figures and a CSV. */
export function UsagePage() {
  const today = isoDay(Date.now());
  const [form, setForm] = useState({ from: isoDay(Date.now() - 29 * DAY_MS), to: today, channel: '' });
  const [range, setRange] = useState(form);
  const [groupBy, setGroupBy] = useState<GroupBy>('category');
  const channels = useApiQuery(['channels.list', { limit: 100 }], () =>
    api.channels.list.query({ limit: 100 }),
  );
  const report = useApiQuery(['usage.report', range], () =>
    api.usage.report.query({
      from: range.from,
      to: range.to,
      ...(range.channel ? { channel_id: range.channel } : {}),
    }),
  );
  const numbers = useMemo(
    () => new Map((channels.data?.channels ?? []).map((c) => [c.id, `+${c.phone_number}`])),
    [channels.data],
  );
  return (
    <Page title="Usage">
      <p className="lead">
        Messages per UTC day from the usage ledger: outgoing ones by Meta’s pricing category, incoming ones as{' '}
        <code>service</code>.
      </p>
      <Section title="Range">
        <form
          className="toolbar"
          aria-label="Usage range"
          onSubmit={(e) => {
            e.preventDefault();
            setRange(form);
          }}
        >
          <Field
            label="From"
            type="date"
            required
            value={form.from}
            max={form.to}
            onChange={(e) => setForm({ ...form, from: e.target.value })}
          />
          <Field
            label="To"
            type="date"
            required
            value={form.to}
            onChange={(e) => setForm({ ...form, to: e.target.value })}
          />
          <SelectField
            label="Number"
            value={form.channel}
            onChange={(channel) => setForm({ ...form, channel })}
            options={[
              ['', 'All numbers'],
              ...(channels.data?.channels ?? []).map((c) => [c.id, `+${c.phone_number}`] as const),
            ]}
          />
          <Button type="submit">Show</Button>
        </form>
      </Section>
      <QueryView query={report} loading="Counting messages…">
        {(r) => <UsageView report={r} groupBy={groupBy} setGroupBy={setGroupBy} numbers={numbers} />}
      </QueryView>
    </Page>
  );
}

function UsageView({
  report,
  groupBy,
  setGroupBy,
  numbers,
}: {
  report: UsageReport;
  groupBy: GroupBy;
  setGroupBy: (g: GroupBy) => void;
  /** Channel id → phone number, once the numbers are loaded. */
  numbers: Map<string, string>;
}) {
  const label = (id: string) => numbers.get(id) ?? id;
  const chart = useMemo(
    () => chartOf(report, groupBy, (id) => numbers.get(id) ?? id),
    [report, groupBy, numbers],
  );
  const totals = useMemo(() => totalsOf(report), [report]);
  const [saved, setSaved] = useState('');
  const filename = `usage-${report.from}-to-${report.to}.csv`;
  return (
    <>
      <Section
        title={`Messages per day, ${report.from} to ${report.to}`}
        actions={
          report.rows.length > 0 ? (
            <Button
              variant="secondary"
              onClick={() => {
                download(usageCsv(report), filename);
                setSaved(`Saved ${filename}`);
              }}
            >
              Download CSV
            </Button>
          ) : null
        }
      >
        <p className="visually-hidden" aria-live="polite">
          {saved}
        </p>
        {report.rows.length === 0 ? (
          <EmptyState title="No messages in this range">
            <p>Usage is counted from Meta’s status webhooks, the day a message is first priced.</p>
          </EmptyState>
        ) : (
          <>
            <dl className="stat-grid">
              <div>
                <dt>Messages</dt>
                <dd>{report.totals.messages}</dd>
              </div>
              <div>
                <dt>Billable</dt>
                <dd>{report.totals.billable}</dd>
              </div>
            </dl>
            <SelectField
              label="One line per"
              value={groupBy}
              onChange={(g) => setGroupBy(g as GroupBy)}
              options={[
                ['category', 'Pricing category'],
                ['channel', 'Number'],
              ]}
            />
            <Chart
              title={`Messages per day by ${groupBy === 'category' ? 'pricing category' : 'number'}`}
              xLabel="Day"
              xKind="day"
              {...chart}
            />
          </>
        )}
      </Section>
      {totals.length > 0 ? (
        <Section title="Totals per number and category">
          <table className="table">
            <caption className="visually-hidden">
              Messages per number and category, {report.from} to {report.to}
            </caption>
            <thead>
              <tr>
                <th scope="col">Number</th>
                <th scope="col">Category</th>
                <th scope="col" className="amount">
                  Messages
                </th>
                <th scope="col" className="amount">
                  Billable
                </th>
              </tr>
            </thead>
            <tbody>
              {totals.map((t) => (
                <tr key={`${t.channel} ${t.category}`}>
                  <td>{label(t.channel)}</td>
                  <td>{t.category}</td>
                  <td className="amount">{t.messages}</td>
                  <td className="amount">{t.billable}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      ) : null}
    </>
  );
}
