import { useState } from 'react';
import { api, type Outputs, useApiMutation, useApiQuery } from '../api.ts';
import { useCan } from '../session.tsx';
import { Button, Field, FormError, SelectField } from '../ui/form.tsx';
import { Page, Section } from '../ui/page.tsx';
import { EmptyState, QueryView } from '../ui/states.tsx';
import './clients.css';

type Played = Outputs['console']['sandbox']['inboundMessage'];
type Channel = Outputs['channels']['list']['channels'][number];

/** What the emulated Meta did: the receiver's answer, and the webhook it was sent, announced when it lands. */
function Outcome({ result, error }: { result: Played | undefined; error: unknown }) {
  return (
    <div aria-live="polite" className="sandbox-outcome">
      {result ? (
        <>
          <p role="status">
            {result.delivered ? (
              <>
                <span className="badge badge-good">delivered</span> The hub answered HTTP {result.status}.
              </>
            ) : (
              <>
                <span className="badge badge-bad">not delivered</span>{' '}
                {result.status !== null ? `HTTP ${result.status}` : (result.error ?? 'no answer')}
              </>
            )}
          </p>
          <details>
            <summary>The webhook Meta sent</summary>
            <pre className="payload">{JSON.stringify(result.payload, null, 2)}</pre>
          </details>
        </>
      ) : null}
      <FormError error={error} />
    </div>
  );
}

/** Meta played for one of your numbers: a customer writing, a template review, any other webhook field. */
export function SandboxPage() {
  const can = useCan();
  const channels = useApiQuery(['channels.list', { limit: 100 }], () =>
    api.channels.list.query({ limit: 100 }),
  );
  const [chosen, setChosen] = useState('');
  return (
    <Page title="Sandbox tools">
      <p className="lead">
        The hub runs Meta's sandbox: these tools make the emulated Meta do what the real one does on its own,
        for one of your numbers. Each webhook is signed and sent to the hub as Meta would, and you see the
        answer.
      </p>
      {!can.write ? (
        <EmptyState title="Developers and owners only">
          <p>Your role can look but not play webhooks: ask an owner of your partner.</p>
        </EmptyState>
      ) : (
        <QueryView query={channels}>
          {(page) => {
            if (page.channels.length === 0)
              return (
                <EmptyState title="No numbers yet">
                  <p>Connect a sandbox number through an onboarding link first.</p>
                </EmptyState>
              );
            const channel = page.channels.find((c) => c.id === chosen) ?? page.channels[0]!;
            return (
              <>
                <div className="toolbar">
                  <SelectField
                    label="Number"
                    value={channel.id}
                    onChange={setChosen}
                    options={page.channels.map((c) => [
                      c.id,
                      `+${c.phone_number} ${c.verified_name ?? ''} (${c.status})`,
                    ])}
                  />
                </div>
                <InboundMessage channel={channel} />
                <TemplateStatus channel={channel} />
                <FieldWebhook channel={channel} />
              </>
            );
          }}
        </QueryView>
      )}
    </Page>
  );
}

function InboundMessage({ channel }: { channel: Channel }) {
  const [from, setFrom] = useState('+447700900123');
  const [name, setName] = useState('Sandbox Customer');
  const [text, setText] = useState('Hello! Do you deliver on Sundays?');
  const send = useApiMutation(
    (input: Parameters<typeof api.console.sandbox.inboundMessage.mutate>[0]) =>
      api.console.sandbox.inboundMessage.mutate(input),
    [['channels.messages', channel.id]],
  );
  return (
    <Section title="Simulated inbound message">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          send.mutate({ channel_id: channel.id, from, name, text });
        }}
      >
        <div className="toolbar">
          <Field
            label="From (customer's number)"
            inputMode="tel"
            required
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
          <Field label="Customer name" value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <Field
          label="Message"
          required
          maxLength={4096}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <Button type="submit" busy={send.isPending}>
          Send to +{channel.phone_number}
        </Button>
      </form>
      <Outcome result={send.data} error={send.error} />
    </Section>
  );
}

const REVIEW = [
  ['APPROVED', 'Approved'],
  ['REJECTED', 'Rejected'],
  ['PAUSED', 'Paused'],
  ['DISABLED', 'Disabled'],
] as const;

function TemplateStatus({ channel }: { channel: Channel }) {
  const templates = useApiQuery(['templates.list', 'sandbox', channel.waba_id], () =>
    api.templates.list.query({ limit: 100 }),
  );
  const [template, setTemplate] = useState('');
  const [status, setStatus] = useState('APPROVED');
  const [reason, setReason] = useState('');
  const review = useApiMutation(
    (input: Parameters<typeof api.console.sandbox.templateStatus.mutate>[0]) =>
      api.console.sandbox.templateStatus.mutate(input),
    [['templates.list']],
  );
  return (
    <Section title="Template status change">
      <QueryView query={templates}>
        {(page) => {
          const own = page.templates.filter((t) => t.waba_id === channel.waba_id);
          if (own.length === 0)
            return (
              <EmptyState title="No templates on this number's WABA">
                <p>Create one through the messaging API; the list fills as the hub syncs it.</p>
              </EmptyState>
            );
          const chosen = own.find((t) => t.template_id === template) ?? own[0]!;
          return (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                review.mutate({
                  channel_id: channel.id,
                  template_id: chosen.template_id,
                  status: status as (typeof REVIEW)[number][0],
                  ...(status === 'REJECTED' && reason ? { reason } : {}),
                });
              }}
            >
              <div className="toolbar">
                <SelectField
                  label="Template"
                  value={chosen.template_id}
                  onChange={setTemplate}
                  options={own.map((t) => [t.template_id, `${t.name} (${t.language}, now ${t.status})`])}
                />
                <SelectField label="Meta's decision" value={status} onChange={setStatus} options={REVIEW} />
                {status === 'REJECTED' ? (
                  <Field
                    label="Reason"
                    placeholder="INVALID_FORMAT"
                    value={reason}
                    onChange={(e) => setReason(e.target.value.toUpperCase())}
                  />
                ) : null}
              </div>
              <Button type="submit" busy={review.isPending}>
                Send the status update
              </Button>
            </form>
          );
        }}
      </QueryView>
      <Outcome result={review.data} error={review.error} />
    </Section>
  );
}

function FieldWebhook({ channel }: { channel: Channel }) {
  const fields = useApiQuery(['console.sandbox.fields'], () => api.console.sandbox.fields.query());
  const [field, setField] = useState('phone_number_quality_update');
  const [event, setEvent] = useState('');
  const [limit, setLimit] = useState('');
  const play = useApiMutation(
    (input: Parameters<typeof api.console.sandbox.fieldWebhook.mutate>[0]) =>
      api.console.sandbox.fieldWebhook.mutate(input),
    [['channels.get', channel.id], ['channels.list'], ['channels.health', channel.id]],
  );
  return (
    <Section title="Meta webhook">
      <QueryView query={fields}>
        {({ fields: list }) => (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              const tier = limit.trim();
              play.mutate({
                channel_id: channel.id,
                field: field as (typeof list)[number]['name'],
                ...(event.trim() ? { event: event.trim() } : {}),
                ...(tier ? { limit: /^-?\d+$/.test(tier) ? Number(tier) : tier } : {}),
              });
            }}
          >
            <div className="toolbar">
              <SelectField
                label="Field"
                value={field}
                onChange={setField}
                options={list.map((f) => [
                  f.name,
                  `${f.name}${f.about_number ? ' (this number)' : " (this number's WABA)"}`,
                ])}
              />
              <Field
                label="Event (optional)"
                hint="Meta's value, e.g. UPGRADE, FLAGGED, APPROVED"
                value={event}
                onChange={(e) => setEvent(e.target.value.toUpperCase())}
              />
              <Field
                label="Limit (optional)"
                hint="A tier (TIER_10K) or a daily count (2000)"
                value={limit}
                onChange={(e) => setLimit(e.target.value.toUpperCase())}
              />
            </div>
            <Button type="submit" busy={play.isPending}>
              Send {field}
            </Button>
          </form>
        )}
      </QueryView>
      <Outcome result={play.data} error={play.error} />
    </Section>
  );
}
