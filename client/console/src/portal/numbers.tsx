import { useState } from 'react';
import { useApiMutation, useApiQuery } from '../api.ts';
import { Button, FormError } from '../ui/form.tsx';
import { Section } from '../ui/page.tsx';
import { EmptyState, QueryView } from '../ui/states.tsx';
import { AddNumber } from './add-number.tsx';
import { type PortalNumber, portalApi } from './api.ts';

const NUMBERS_KEY = ['portal', 'numbers'] as const;

const HEALTH = {
  healthy: { tone: 'good', text: 'Healthy' },
  attention: { tone: 'warn', text: 'Needs attention' },
  down: { tone: 'bad', text: 'Not working' },
} as const;

function Health({ number }: { number: PortalNumber }) {
  const { tone, text } = HEALTH[number.health];
  return (
    <>
      <span className={`badge badge-${tone}`}>{text}</span>
      <dl className="portal-health">
        <dt>Status</dt>
        <dd>{number.status.replaceAll('_', ' ')}</dd>
        <dt>Quality</dt>
        <dd>{number.quality_rating ?? 'not rated yet'}</dd>
        <dt>Daily limit</dt>
        <dd>{number.current_limit?.replaceAll('_', ' ').toLowerCase() ?? 'not set yet'}</dd>
      </dl>
      {number.status_reason ? <p className="hint">{number.status_reason}</p> : null}
    </>
  );
}

/** The client's numbers, each with its health and who may use it; grant and revoke in place. */
export function Numbers({ brand, portalPartnerId }: { brand: string; portalPartnerId: string }) {
  const numbers = useApiQuery(NUMBERS_KEY, () => portalApi.numbers.list.query());
  const [announcement, setAnnouncement] = useState('');
  const change = useApiMutation(
    (input: { channel_id: string; partner_id: string; action: 'grant' | 'revoke' }) =>
      portalApi.numbers.changeAccess.mutate(input),
    [NUMBERS_KEY],
  );
  const act = (number: PortalNumber, partner: { id: string; name: string }, action: 'grant' | 'revoke') => {
    setAnnouncement('');
    change.mutate(
      { channel_id: number.id, partner_id: partner.id, action },
      {
        onSuccess: () =>
          setAnnouncement(
            action === 'grant'
              ? `${partner.name} can now use ${number.phone_number}.`
              : `${partner.name} can no longer use ${number.phone_number}.`,
          ),
      },
    );
  };
  const busyFor = (number: PortalNumber, partnerId: string) =>
    change.isPending &&
    change.variables?.channel_id === number.id &&
    change.variables.partner_id === partnerId;

  return (
    <Section
      title="Numbers"
      actions={<AddNumber onAdded={(text) => setAnnouncement(text)} invalidates={NUMBERS_KEY} />}
    >
      <p className="lead">
        Only the providers you choose can send and receive messages on a number. {brand} needs access to a
        number to work with it.
      </p>
      <p role="status" aria-live="polite" className="portal-announce">
        {announcement}
      </p>
      <FormError error={change.error} />
      <QueryView query={numbers} loading="Loading your numbers…">
        {(list) =>
          list.length === 0 ? (
            <EmptyState title="No numbers yet">
              <p>Connect a WhatsApp number with “Add a number”.</p>
            </EmptyState>
          ) : (
            <table className="table">
              <caption className="visually-hidden">
                Your WhatsApp numbers, their health and who may use them
              </caption>
              <thead>
                <tr>
                  <th scope="col">Number</th>
                  <th scope="col">Health</th>
                  <th scope="col">Who may use it</th>
                </tr>
              </thead>
              <tbody>
                {list.map((number) => (
                  <tr key={number.id}>
                    <th scope="row">
                      <span className="portal-number">{number.phone_number}</span>
                      {number.display_name ? <span className="muted"> {number.display_name}</span> : null}
                    </th>
                    <td>
                      <Health number={number} />
                    </td>
                    <td>
                      <ul className="plain-list portal-access">
                        {number.granted.map((partner) => (
                          <li key={partner.id}>
                            <span>
                              {partner.name}
                              {partner.id === portalPartnerId ? ' (this provider)' : ''}
                            </span>
                            <Button
                              variant="secondary"
                              busy={busyFor(number, partner.id)}
                              aria-label={`Revoke ${partner.name}'s access to ${number.phone_number}`}
                              onClick={() => act(number, partner, 'revoke')}
                            >
                              Revoke
                            </Button>
                          </li>
                        ))}
                        {number.grantable.map((partner) => (
                          <li key={partner.id}>
                            <span className="muted">{partner.name}: no access</span>
                            <Button
                              busy={busyFor(number, partner.id)}
                              aria-label={`Grant ${partner.name} access to ${number.phone_number}`}
                              onClick={() => act(number, partner, 'grant')}
                            >
                              Grant access
                            </Button>
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryView>
    </Section>
  );
}
