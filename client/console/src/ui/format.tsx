/** Dates as the browser's locale writes them, with the ISO time for precision on hover. */
export function Time({ value }: { value: string | null | undefined }) {
  if (!value) return <span className="muted">—</span>;
  const date = new Date(value);
  return (
    <time dateTime={value} title={value}>
      {date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}
    </time>
  );
}

const TONES: Record<string, string> = {
  active: 'good',
  ready: 'good',
  delivered: 'good',
  succeeded: 'good',
  completed: 'good',
  paid: 'good',
  ok: 'good',
  granted: 'good',
  enabled: 'good',
  connected: 'good',
  live: 'good',
  restricted: 'warn',
  disconnected: 'muted',
  deleted: 'muted',
  opened: 'wait',
  completing: 'wait',
  abandoned: 'warn',
  pending: 'wait',
  scheduled: 'wait',
  retrying: 'warn',
  awaiting_payment: 'wait',
  issued: 'wait',
  payment_failed: 'bad',
  failing: 'bad',
  failed: 'bad',
  disabled: 'bad',
  revoked: 'muted',
  expired: 'muted',
  cancelled: 'muted',
  past_due: 'bad',
  suspended: 'bad',
};

export function Badge({ value }: { value: string | null | undefined }) {
  const text = value ?? 'unknown';
  return <span className={`badge badge-${TONES[text] ?? 'neutral'}`}>{text.replaceAll('_', ' ')}</span>;
}
