import { useId, useState } from 'react';
import { api, useApiMutation, useApiQuery } from '../api.ts';
import { CopyButton } from '../ui/copy.tsx';
import { Button, Field, FormError, SelectField } from '../ui/form.tsx';
import { QueryView } from '../ui/states.tsx';

const EXPIRY = [
  ['3600', '1 hour'],
  ['14400', '4 hours'],
  ['86400', '24 hours'],
] as const;

const REDIRECTS = [
  ['success_redirect_url', 'After success, send the tenant to'],
  ['failure_redirect_url', 'After a failure, send the tenant to'],
  ['cancel_redirect_url', 'If the tenant cancels, send them to'],
] as const;

type RedirectName = (typeof REDIRECTS)[number][0];

/** Metadata as typed: empty, or a JSON object (checked here so the mistake is named where it is). */
function parseMetadata(text: string): { value?: Record<string, unknown>; error?: string } {
  if (!text.trim()) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return { error: 'Metadata must be a JSON object, like {"plan": "pro"}' };
    return { value: value as Record<string, unknown> };
  } catch {
    return { error: 'Metadata is not valid JSON' };
  }
}

/** The create form, then the new link with a copy button. Redirects come from the partner's allowlist. */
export function CreateLinkForm({ onDone, listKey }: { onDone: () => void; listKey: readonly unknown[] }) {
  const partner = useApiQuery(['partner.me'], () => api.partner.me.query());
  const [tenantId, setTenantId] = useState('');
  const [tenantName, setTenantName] = useState('');
  const [metadata, setMetadata] = useState('');
  const [expires, setExpires] = useState('3600');
  const [redirects, setRedirects] = useState<Record<RedirectName, string>>({
    success_redirect_url: '',
    failure_redirect_url: '',
    cancel_redirect_url: '',
  });
  const [metadataError, setMetadataError] = useState<string>();
  const create = useApiMutation(
    (input: Parameters<typeof api.onboarding.create.mutate>[0]) => api.onboarding.create.mutate(input),
    [listKey],
  );
  const metadataId = useId();
  if (create.data)
    return (
      <div role="status">
        <p>
          The link for <strong>{create.data.tenant_name ?? create.data.tenant_id}</strong> works once, until{' '}
          {new Date(create.data.expires_at).toLocaleString()}.
        </p>
        <div className="secret-row">
          <code className="secret" data-testid="onboarding-url">
            {create.data.onboarding_url}
          </code>
          <CopyButton value={create.data.onboarding_url} label="Copy link" />
        </div>
        <div className="button-row">
          <Button onClick={onDone}>Done</Button>
        </div>
      </div>
    );
  return (
    <QueryView query={partner}>
      {(p) => (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const parsed = parseMetadata(metadata);
            setMetadataError(parsed.error);
            if (parsed.error) return;
            const chosen = Object.fromEntries(Object.entries(redirects).filter(([, url]) => url));
            create.mutate({
              tenant_id: tenantId.trim(),
              ...(tenantName.trim() ? { tenant_name: tenantName.trim() } : {}),
              ...(parsed.value ? { metadata: parsed.value } : {}),
              ...chosen,
              expires_in_seconds: Number(expires),
            });
          }}
        >
          <Field
            label="Tenant id"
            hint="Your own id for the tenant: the client is keyed by it"
            required
            maxLength={200}
            value={tenantId}
            onChange={(e) => setTenantId(e.target.value)}
          />
          <Field
            label="Tenant name (optional)"
            maxLength={200}
            value={tenantName}
            onChange={(e) => setTenantName(e.target.value)}
          />
          <div className="field">
            <label htmlFor={metadataId}>Metadata (optional JSON object)</label>
            <textarea
              id={metadataId}
              rows={3}
              value={metadata}
              placeholder='{"plan": "pro"}'
              aria-invalid={metadataError ? true : undefined}
              aria-describedby={`${metadataId}-hint${metadataError ? ` ${metadataId}-error` : ''}`}
              onChange={(e) => setMetadata(e.target.value)}
            />
            <p className="hint" id={`${metadataId}-hint`}>
              Returned in every event of the link and kept on the number's grant (at most 4 KiB).
            </p>
            {metadataError ? (
              <p className="field-error" id={`${metadataId}-error`}>
                {metadataError}
              </p>
            ) : null}
          </div>
          {p.allowed_redirect_urls.length === 0 ? (
            <p className="hint">
              No redirect URLs are allowed yet: add some to your partner settings (allowed redirect URLs) to
              send tenants back to your app.
            </p>
          ) : (
            REDIRECTS.map(([name, label]) => (
              <SelectField
                key={name}
                label={label}
                value={redirects[name]}
                onChange={(url) => setRedirects((r) => ({ ...r, [name]: url }))}
                options={[
                  ['', 'None: the hub shows the result'],
                  ...p.allowed_redirect_urls.map((u) => [u, u] as [string, string]),
                ]}
              />
            ))
          )}
          <SelectField label="Link expires after" value={expires} onChange={setExpires} options={EXPIRY} />
          <FormError error={create.error} />
          <Button type="submit" busy={create.isPending}>
            Create link
          </Button>
        </form>
      )}
    </QueryView>
  );
}
