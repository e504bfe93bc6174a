import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, useApiMutation } from '../api.ts';
import { useCan } from '../session.tsx';
import { Button, Field, FormError, SelectField } from '../ui/form.tsx';
import { Section } from '../ui/page.tsx';
import { DELIVERIES_KEY, type Endpoint, isoFromLocal, localFromDate } from './webhooks-common.tsx';

/**
 * "Recover since a time": every failed delivery since then is requeued with a fresh schedule.
 * The worker then sends them; progress counts those not yet attempted (up to a page of 100).
 */
export function RecoverForm({ endpoints }: { endpoints: readonly Endpoint[] }) {
  const can = useCan();
  const [since, setSince] = useState(() => localFromDate(new Date(Date.now() - 24 * 3600_000)));
  const [endpointId, setEndpointId] = useState('');
  const [asked, setAsked] = useState<{ since: string; endpoint_id?: string } | null>(null);
  const recover = useApiMutation(
    (input: { since: string; endpoint_id?: string }) => api.webhooks.deliveries.recover.mutate(input),
    [DELIVERIES_KEY],
  );
  if (!can.write) return null;
  const sinceIso = isoFromLocal(since);
  return (
    <Section title="Recover failed deliveries">
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          if (!sinceIso) return;
          const input = { since: sinceIso, ...(endpointId ? { endpoint_id: endpointId } : {}) };
          setAsked(input);
          recover.mutate(input);
        }}
      >
        <Field
          label="Failed since"
          type="datetime-local"
          required
          value={since}
          onChange={(e) => setSince(e.target.value)}
          error={since && !sinceIso ? 'Not a valid date and time' : undefined}
        />
        <SelectField
          label="Endpoint"
          value={endpointId}
          onChange={setEndpointId}
          options={[['', 'Every endpoint'], ...endpoints.map((e) => [e.id, e.description ?? e.url] as const)]}
        />
        <Button type="submit" busy={recover.isPending} disabled={!sinceIso}>
          Recover
        </Button>
      </form>
      <p className="hint">
        Deliveries to a disabled endpoint stay failed: enable it first. Each recovered delivery starts its
        retry schedule afresh.
      </p>
      <FormError error={recover.error} />
      {recover.data && asked ? <RecoverProgress asked={asked} recovered={recover.data.recovered} /> : null}
    </Section>
  );
}

function RecoverProgress({
  asked,
  recovered,
}: {
  asked: { since: string; endpoint_id?: string };
  recovered: number;
}) {
  const client = useQueryClient();
  const waiting = useQuery({
    // Not under DELIVERIES_KEY: it refreshes those when done, and must not refresh itself.
    queryKey: ['webhooks.recover.progress', asked, recovered],
    queryFn: async () => {
      const page = await api.webhooks.deliveries.list.query({ ...asked, status: 'pending', limit: 100 });
      const left = page.deliveries.filter((d) => d.attempt_count === 0).length;
      if (left === 0) await client.invalidateQueries({ queryKey: DELIVERIES_KEY, refetchType: 'active' });
      return left;
    },
    enabled: recovered > 0,
    refetchInterval: (q) => (q.state.data === 0 ? false : 2000),
  });
  const left = Math.min(waiting.data ?? recovered, recovered);
  const done = recovered - left;
  return (
    <div className="recover-result" role="status" aria-live="polite">
      {recovered === 0 ? (
        <p>No failed deliveries to recover since then.</p>
      ) : (
        <>
          <p>
            <strong>Re-queued {recovered === 1 ? '1 delivery' : `${recovered} deliveries`}.</strong>{' '}
            {left === 0
              ? 'Every one has been attempted again: see their status in the log.'
              : `Attempted again: ${done} of ${recovered}.`}
          </p>
          <progress max={recovered} value={done} aria-label="Recovered deliveries attempted" />
        </>
      )}
    </div>
  );
}
