import { useState } from 'react';
import { useCan } from '../session.tsx';
import { Button, Field, FormError } from '../ui/form.tsx';
import { Section } from '../ui/page.tsx';
import { EmptyState } from '../ui/states.tsx';
import { type PartnerSettings, Saved, usePartnerUpdate } from './settings-common.tsx';

/** Where a finished visit returns: the default URL and the exact-match allowlist for per-link ones. */
export function RedirectSettings({ partner }: { partner: PartnerSettings }) {
  const can = useCan();
  const [redirectUrl, setRedirectUrl] = useState(partner.partner_redirect_url ?? '');
  const [adding, setAdding] = useState('');
  const saveDefault = usePartnerUpdate();
  const saveList = usePartnerUpdate();
  const list = partner.allowed_redirect_urls;
  const setList = (next: string[], after?: () => void) =>
    saveList.mutateAsync({ allowed_redirect_urls: next }).then(after, () => {});
  return (
    <Section title="Redirects">
      {can.manage ? (
        <form
          className="settings-form"
          onSubmit={(e) => {
            e.preventDefault();
            saveDefault.mutate({ partner_redirect_url: redirectUrl.trim() || null });
          }}
        >
          <Field
            label="Partner redirect URL"
            type="url"
            hint="Where clients return after connecting a number, unless a link names an allowed redirect_url."
            value={redirectUrl}
            onChange={(e) => setRedirectUrl(e.target.value)}
          />
          <FormError error={saveDefault.error} />
          <div className="settings-actions">
            <Button type="submit" busy={saveDefault.isPending}>
              Save redirect URL
            </Button>
            <Saved show={saveDefault.isSuccess} />
          </div>
        </form>
      ) : (
        <dl className="facts">
          <dt>Partner redirect URL</dt>
          <dd>{partner.partner_redirect_url ?? <span className="muted">not set</span>}</dd>
        </dl>
      )}
      <h3 className="settings-subtitle">Allowed redirect URLs</h3>
      <p className="hint">
        A link may name its own <code>redirect_url</code> only if it is one of these (compared without the
        query string).
      </p>
      {list.length === 0 ? (
        <EmptyState title="No other redirect URLs allowed">
          <p>Visitors return to the partner redirect URL.</p>
        </EmptyState>
      ) : (
        <ul className="plain-list" aria-label="Allowed redirect URLs">
          {list.map((url) => (
            <li key={url} className="settings-list-row">
              <code>{url}</code>
              {can.manage ? (
                <Button
                  variant="danger"
                  busy={
                    saveList.isPending && saveList.variables?.allowed_redirect_urls?.includes(url) === false
                  }
                  aria-label={`Remove ${url}`}
                  onClick={() => setList(list.filter((u) => u !== url))}
                >
                  Remove
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {can.manage ? (
        <form
          className="toolbar settings-add"
          onSubmit={(e) => {
            e.preventDefault();
            const url = adding.trim();
            if (url && !list.includes(url)) void setList([...list, url], () => setAdding(''));
          }}
        >
          <Field
            label="Add an allowed redirect URL"
            type="url"
            required
            value={adding}
            onChange={(e) => setAdding(e.target.value)}
          />
          <Button type="submit" busy={saveList.isPending}>
            Add URL
          </Button>
        </form>
      ) : null}
      <FormError error={saveList.error} />
    </Section>
  );
}
