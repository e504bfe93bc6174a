import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { apiErrorOf } from '../api.ts';
import { Loading } from '../ui/states.tsx';
import { openPortal, type PortalView } from './api.ts';
import { Deliveries } from './deliveries.tsx';
import { Numbers } from './numbers.tsx';

/** The embedded client portal: the link is exchanged once, then the client's numbers. */
export function PortalApp({ partnerId, hash }: { partnerId: string; hash: string }) {
  const opened = useQuery({
    queryKey: ['portal', 'open'],
    queryFn: () => openPortal(partnerId, hash),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
  if (opened.isPending)
    return (
      <main className="portal">
        <Loading label="Opening your portal…" />
      </main>
    );
  if (opened.error || !opened.data) return <LinkRefused error={opened.error} />;
  return <Portal view={opened.data} />;
}

function LinkRefused({ error }: { error: unknown }) {
  const { message, code } = apiErrorOf(error);
  useEffect(() => {
    document.title = 'Portal link not valid';
  }, []);
  return (
    <main className="portal">
      <div className="card state state-error" role="alert">
        <h1 className="portal-title">This link cannot be opened</h1>
        <p>
          {code === 'unauthorized'
            ? 'Portal links work once and for a few minutes. Reload the page you opened it from to get a new one.'
            : message}{' '}
          <code>{code}</code>
        </p>
      </div>
    </main>
  );
}

function Portal({ view }: { view: PortalView }) {
  const brand = view.partner.brand_name;
  useEffect(() => {
    document.title = `Your WhatsApp numbers · ${brand}`;
  }, [brand]);
  return (
    <div className="portal">
      <header className="portal-header">
        {view.partner.logo_url ? <img className="brand-logo" src={view.partner.logo_url} alt="" /> : null}
        <div>
          <p className="portal-brand">{brand}</p>
          <h1 className="portal-title">Your WhatsApp numbers</h1>
          {view.client.name ? <p className="muted portal-client">{view.client.name}</p> : null}
        </div>
      </header>
      <main>
        <Numbers brand={brand} portalPartnerId={view.partner.id} />
        {view.show_deliveries ? <Deliveries /> : null}
      </main>
    </div>
  );
}
