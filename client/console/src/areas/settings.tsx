import { useState } from 'react';
import { api, useApiQuery } from '../api.ts';
import { useCan } from '../session.tsx';
import { Button, Field, FormError } from '../ui/form.tsx';
import { Page, Section } from '../ui/page.tsx';
import { QueryView } from '../ui/states.tsx';
import { PARTNER_KEY, type PartnerSettings, Saved, usePartnerUpdate } from './settings-common.tsx';
import { RedirectSettings } from './settings-redirects.tsx';
import { SignedLinkSettings } from './settings-signed-links.tsx';
import { PartnerTokens } from './settings-tokens.tsx';
import './settings.css';

/** The partner's settings: everyone reads them, owners change them. */
export function SettingsPage() {
  const partner = useApiQuery(PARTNER_KEY, () => api.partner.me.query());
  const can = useCan();
  return (
    <Page title="Settings">
      <p className="lead">
        How your partner appears to clients, where visitors return to, how links to the permission page are
        trusted, and the tokens your backend calls the API with.
        {can.manage ? null : ' Only an owner of your partner can change them.'}
      </p>
      <QueryView query={partner}>
        {(p) => (
          <>
            <Branding partner={p} />
            <RedirectSettings partner={p} />
            <SignedLinkSettings partner={p} />
          </>
        )}
      </QueryView>
      <PartnerTokens />
    </Page>
  );
}

function Branding({ partner }: { partner: PartnerSettings }) {
  const can = useCan();
  const [brandName, setBrandName] = useState(partner.brand_name ?? '');
  const [logoUrl, setLogoUrl] = useState(partner.logo_url ?? '');
  const update = usePartnerUpdate();
  if (!can.manage)
    return (
      <Section title="Branding">
        <dl className="facts">
          <dt>Brand name</dt>
          <dd>{partner.brand_name ?? <span className="muted">not set (shows {partner.name})</span>}</dd>
          <dt>Logo</dt>
          <dd>
            {partner.logo_url ? <LogoPreview url={partner.logo_url} /> : <span className="muted">none</span>}
          </dd>
        </dl>
      </Section>
    );
  return (
    <Section title="Branding">
      <form
        className="settings-form"
        onSubmit={(e) => {
          e.preventDefault();
          update.mutate({ brand_name: brandName.trim() || null, logo_url: logoUrl.trim() || null });
        }}
      >
        <Field
          label="Brand name"
          hint={`Shown to clients on hosted pages instead of “${partner.name}”. Leave empty to use that.`}
          value={brandName}
          maxLength={200}
          onChange={(e) => setBrandName(e.target.value)}
        />
        <Field
          label="Logo URL"
          type="url"
          hint="An https address of a square image."
          value={logoUrl}
          onChange={(e) => setLogoUrl(e.target.value)}
        />
        {logoUrl.trim() ? <LogoPreview url={logoUrl.trim()} /> : null}
        <FormError error={update.error} />
        <div className="settings-actions">
          <Button type="submit" busy={update.isPending}>
            Save branding
          </Button>
          <Saved show={update.isSuccess} />
        </div>
      </form>
    </Section>
  );
}

function LogoPreview({ url }: { url: string }) {
  const [broken, setBroken] = useState<string | null>(null);
  return (
    <figure className="logo-preview">
      {broken === url ? (
        <p className="field-error">This address does not load as an image.</p>
      ) : (
        <img src={url} alt="Logo preview" onError={() => setBroken(url)} />
      )}
      <figcaption className="hint">Preview</figcaption>
    </figure>
  );
}
