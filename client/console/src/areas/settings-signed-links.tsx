import { useState } from 'react';
import { api, useApiMutation } from '../api.ts';
import { useCan } from '../session.tsx';
import { ShownOnce } from '../ui/copy.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { Button, FormError, SelectField } from '../ui/form.tsx';
import { Time } from '../ui/format.tsx';
import { Section } from '../ui/page.tsx';
import { type PartnerSettings, Saved, usePartnerUpdate } from './settings-common.tsx';

const GRACE = [
  ['86400', 'Keep accepting the old secret for 1 day'],
  ['3600', 'Keep accepting the old secret for 1 hour'],
  ['604800', 'Keep accepting the old secret for 7 days'],
  ['0', 'Stop accepting the old secret now'],
] as const;

/**
 * Signed links to the permission page. Their `io_signature` is an HMAC under the partner's
 * webhook secret (the primary webhook's), so rotating "the link secret" is rotating that one:
 * the API's `webhooks.endpoints.rotateSecret` on `primary`, with the same grace window for both.
 */
export function SignedLinkSettings({ partner }: { partner: PartnerSettings }) {
  const can = useCan();
  const update = usePartnerUpdate();
  const [open, setOpen] = useState(false);
  const [grace, setGrace] = useState<string>(GRACE[0][0]);
  const rotate = useApiMutation(
    (grace_period_seconds: number) =>
      api.webhooks.endpoints.rotateSecret.mutate({ endpoint_id: 'primary', grace_period_seconds }),
    [['webhooks.endpoints.list']],
  );
  return (
    <Section title="Signed links">
      <p className="hint">
        Links to your permission page can carry an <code>io_signature</code>: an HMAC-SHA256 under your
        partner’s webhook secret, the same secret that signs your primary webhook’s deliveries.
        docs/hosted-pages.md (“The permission page”) shows how to sign one.
      </p>
      {can.manage ? (
        <div className="settings-form">
          <label className="checkbox">
            <input
              type="checkbox"
              checked={partner.require_signed_links}
              disabled={update.isPending}
              onChange={(e) => update.mutate({ require_signed_links: e.target.checked })}
            />
            Require signed links (version 2): the page opens only from links whose signature covers every
            visit parameter
          </label>
          <FormError error={update.error} />
          <Saved show={update.isSuccess} />
          <div className="settings-actions">
            <Button
              variant="secondary"
              onClick={() => {
                rotate.reset();
                setOpen(true);
              }}
            >
              Rotate signing secret
            </Button>
          </div>
        </div>
      ) : (
        <dl className="facts">
          <dt>Signed links required</dt>
          <dd>{partner.require_signed_links ? 'Yes' : 'No'}</dd>
        </dl>
      )}
      <Dialog open={open} title="Rotate the signing secret" onClose={() => setOpen(false)}>
        {rotate.data ? (
          <>
            <ShownOnce label="The new signing secret" value={rotate.data.secret} />
            <p>
              Links signed with the old secret, and webhook signatures under it, are accepted until{' '}
              <Time value={rotate.data.previous_secret_expires_at} />.
            </p>
            <Button onClick={() => setOpen(false)}>Done</Button>
          </>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              rotate.mutate(Number(grace));
            }}
          >
            <p>
              A new secret signs your links and your primary webhook’s deliveries from now on. Update your
              backend with it before the old one stops working.
            </p>
            <SelectField label="The old secret" value={grace} onChange={setGrace} options={GRACE} />
            <FormError error={rotate.error} />
            <Button type="submit" busy={rotate.isPending}>
              Rotate secret
            </Button>
          </form>
        )}
      </Dialog>
    </Section>
  );
}
