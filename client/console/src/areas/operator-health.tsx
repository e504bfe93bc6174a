import { useMemo } from 'react';
import { api, type Outputs, useApiQuery } from '../api.ts';
import { Chart } from '../ui/chart.tsx';
import { Badge, Time } from '../ui/format.tsx';
import { Page, Section } from '../ui/page.tsx';
import { EmptyState, QueryView } from '../ui/states.tsx';
import './operator.css';

type Health = Outputs['console']['operator']['health'];

/** The page refreshes on its own at this pace: about as often as Prometheus scrapes. */
export const HEALTH_REFRESH_MS = 10_000;
/** The server keeps this much of queue samples (system-health.service.ts). */
const QUEUE_WINDOW_SECONDS = 600;

const seconds = (s: number | null | undefined) =>
  s === null || s === undefined ? '—' : s < 120 ? `${Math.round(s)} s` : `${Math.round(s / 60)} min`;

/** `/readyz` and `/metrics` for people: checks, queue, deliveries, failing destinations, workers. */
export function OperatorHealthPage() {
  const health = useApiQuery(['console.operator.health'], () => api.console.operator.health.query(), {
    refetchInterval: HEALTH_REFRESH_MS,
  });
  return (
    <Page title="System health">
      <p className="lead">
        The figures of <code>/readyz</code> and <code>/metrics</code>, refreshed every{' '}
        {HEALTH_REFRESH_MS / 1000} seconds.
      </p>
      <QueryView query={health} loading="Reading the hub’s health…">
        {(h) => <HealthView health={h} refreshing={health.isFetching} />}
      </QueryView>
    </Page>
  );
}

function HealthView({ health, refreshing }: { health: Health; refreshing: boolean }) {
  const deliveries = useMemo(
    () => ({
      x: health.deliveries_per_minute.map((m) => m.minute),
      series: [
        { label: 'Succeeded', values: health.deliveries_per_minute.map((m) => m.succeeded) },
        { label: 'Failed', values: health.deliveries_per_minute.map((m) => m.failed) },
      ],
    }),
    [health.deliveries_per_minute],
  );
  const queue = useMemo(
    () => ({
      x: health.queue_samples.map((s) => s.at),
      // The last ten minutes, however few samples there are yet.
      xRange: [
        (health.queue_samples.at(-1)?.at ?? 0) - QUEUE_WINDOW_SECONDS,
        health.queue_samples.at(-1)?.at ?? 0,
      ] as [number, number],
      series: [
        { label: 'Due', values: health.queue_samples.map((s) => s.due) },
        { label: 'Running', values: health.queue_samples.map((s) => s.running) },
        { label: 'Scheduled', values: health.queue_samples.map((s) => s.scheduled) },
      ],
    }),
    [health.queue_samples],
  );
  const g = health.gauges;
  return (
    <>
      <Section title="Status">
        <dl className="facts">
          <dt>Overall</dt>
          <dd>
            <Badge value={health.ready ? 'ready' : 'failing'} />
          </dd>
          <dt>Database</dt>
          <dd>
            <Badge value={health.checks.database} />
          </dd>
          <dt>Migrations</dt>
          <dd>
            <Badge value={health.checks.migrations} />
          </dd>
          <dt>Worker (this process)</dt>
          <dd>
            <Badge value={health.checks.worker} />
          </dd>
          <dt>Checked</dt>
          <dd>
            <Time value={health.checked_at} />{' '}
            {refreshing ? <span className="muted">(refreshing)</span> : null}
          </dd>
        </dl>
      </Section>
      <Section title="Job queue">
        {g ? (
          <dl className="stat-grid">
            <div>
              <dt>Due jobs</dt>
              <dd>{g.jobs.due}</dd>
            </div>
            <div>
              <dt>Oldest due job waiting</dt>
              <dd>{seconds(g.jobs.oldest)}</dd>
            </div>
            <div>
              <dt>Running</dt>
              <dd>{g.jobs.running}</dd>
            </div>
            <div>
              <dt>Scheduled</dt>
              <dd>{g.jobs.scheduled}</dd>
            </div>
            <div>
              <dt>Out of attempts</dt>
              <dd>{g.jobs.failed}</dd>
            </div>
            <div>
              <dt>Webhook deliveries due</dt>
              <dd>{g.backlog.due}</dd>
            </div>
            <div>
              <dt>Oldest due delivery</dt>
              <dd>{seconds(g.backlog.oldest)}</dd>
            </div>
          </dl>
        ) : (
          <p role="alert">The database gauges could not be read within a second: figures left out.</p>
        )}
        {queue.x.length > 0 ? (
          <Chart title="Jobs over the last minutes (as this process sampled them)" xLabel="Time" {...queue} />
        ) : null}
      </Section>
      <Section title="Webhook deliveries per minute (last hour)">
        <Chart title="Delivery attempts per minute" xLabel="Minute" {...deliveries} />
      </Section>
      <Section title="Failing webhook destinations">
        {health.failing_destinations.length === 0 ? (
          <EmptyState title="No failing destination" />
        ) : (
          <table className="table">
            <caption className="visually-hidden">Webhook destinations failing or disabled</caption>
            <thead>
              <tr>
                <th scope="col">Partner</th>
                <th scope="col">Destination</th>
                <th scope="col">Host</th>
                <th scope="col">Failing since</th>
                <th scope="col">Failures in a row</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {health.failing_destinations.map((d) => (
                <tr key={d.id}>
                  <td>{d.partner_name}</td>
                  <td>
                    <code>{d.id}</code> ({d.kind.replaceAll('_', ' ')})
                  </td>
                  <td>{d.host ?? <span className="muted">none</span>}</td>
                  <td>
                    <Time value={d.failing_since} />
                  </td>
                  <td>{d.consecutive_failures}</td>
                  <td>
                    <Badge value={d.disabled_at ? 'disabled' : 'failing'} />
                    {d.disabled_reason ? ` ${d.disabled_reason}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      <Section title="Worker pools">
        {health.worker_pools.length === 0 ? (
          <EmptyState title="No worker pool has a heartbeat">
            <p>Jobs are not being run: start a worker (docs/operations.md).</p>
          </EmptyState>
        ) : (
          <table className="table">
            <caption className="visually-hidden">Worker pools and their last heartbeat</caption>
            <thead>
              <tr>
                <th scope="col">Process</th>
                <th scope="col">Started</th>
                <th scope="col">Last heartbeat</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {health.worker_pools.map((w) => (
                <tr key={w.pool_id}>
                  <td>
                    <code>{w.process}</code>
                  </td>
                  <td>
                    <Time value={w.started_at} />
                  </td>
                  <td>{seconds(w.silent_seconds)} ago</td>
                  <td>
                    <Badge value={w.dead ? 'failing' : 'ok'} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </>
  );
}
