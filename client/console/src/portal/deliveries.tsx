import { useApiQuery } from '../api.ts';
import { Badge, Time } from '../ui/format.tsx';
import { Section } from '../ui/page.tsx';
import { EmptyState, QueryView } from '../ui/states.tsx';
import { portalApi } from './api.ts';

/** The provider's latest webhook deliveries for this client's numbers (shown when its link allows). */
export function Deliveries() {
  const deliveries = useApiQuery(['portal', 'deliveries'], () => portalApi.deliveries.list.query());
  return (
    <Section
      title="Recent webhook deliveries"
      actions={
        <button type="button" className="button button-secondary" onClick={() => deliveries.refetch()}>
          Refresh
        </button>
      }
    >
      <QueryView query={deliveries} loading="Loading deliveries…">
        {(list) =>
          list.length === 0 ? (
            <EmptyState title="No deliveries yet">
              <p>Events of your numbers appear here once your provider receives them.</p>
            </EmptyState>
          ) : (
            <table className="table">
              <caption className="visually-hidden">The latest 25 webhook deliveries for your numbers</caption>
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last attempt</th>
                </tr>
              </thead>
              <tbody>
                {list.map((d) => (
                  <tr key={d.id}>
                    <td>
                      <code>{d.event_type}</code>
                    </td>
                    <td>
                      <Badge value={d.status} />
                    </td>
                    <td>{d.attempt_count}</td>
                    <td>
                      <Time value={d.created_at} />
                    </td>
                    <td>
                      <Time value={d.last_attempt_at} />
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
