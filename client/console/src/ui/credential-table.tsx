import { Button } from './form.tsx';
import { Badge, Time } from './format.tsx';

export interface CredentialRow {
  id: string;
  /** How the credential is shown: its prefix and last four characters, never more. */
  shown: string;
  last4: string;
  created_at: string;
  last_used_at: string | null;
  /** Set while a replaced credential is in its grace window. */
  expires_at: string | null;
}

/**
 * Working credentials (API keys, partner tokens) by their last four characters, with a revoke
 * button for those who may revoke them.
 */
export function CredentialTable({
  rows,
  caption,
  noun,
  revoke,
}: {
  rows: CredentialRow[];
  caption: string;
  /** `key`, `token`: the column heading and the revoke button's accessible name. */
  noun: string;
  revoke?: { run: (id: string) => void; pendingId: string | undefined } | undefined;
}) {
  return (
    <table className="table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{noun[0]!.toUpperCase() + noun.slice(1)}</th>
          <th scope="col">Created</th>
          <th scope="col">Last used</th>
          <th scope="col">State</th>
          {revoke ? <th scope="col">Actions</th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id}>
            <td>
              <code>{row.shown}</code>
            </td>
            <td>
              <Time value={row.created_at} />
            </td>
            <td>
              <Time value={row.last_used_at} />
            </td>
            <td>
              {row.expires_at ? (
                <>
                  <Badge value="expiring" /> until <Time value={row.expires_at} />
                </>
              ) : (
                <Badge value="active" />
              )}
            </td>
            {revoke ? (
              <td>
                <Button
                  variant="danger"
                  busy={revoke.pendingId === row.id}
                  onClick={() => revoke.run(row.id)}
                  aria-label={`Revoke ${noun} ending ${row.last4}`}
                >
                  Revoke
                </Button>
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
