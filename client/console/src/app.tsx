import { useQueryClient } from '@tanstack/react-query';
import { Link, Route, Switch, useLocation } from 'wouter';
import { api, useApiMutation } from './api.ts';
import { AREAS, NAV_GROUPS } from './areas/index.tsx';
import { InvitePage } from './areas/invite.tsx';
import { LoginPage } from './areas/login.tsx';
import { SESSION_KEY, SessionProvider, type SessionState, useSession, useSessionQuery } from './session.tsx';
import { Button } from './ui/form.tsx';
import { Page } from './ui/page.tsx';
import { ErrorState, Loading } from './ui/states.tsx';

/** Pages reachable without signing in (an invite link); each area registers its own. */
export const PUBLIC_ROUTES: { path: string; component: React.ComponentType }[] = [
  { path: '/invite', component: InvitePage },
];

export function App() {
  const session = useSessionQuery();
  const [location] = useLocation();
  const open = PUBLIC_ROUTES.find((r) => r.path === location || location.startsWith(`${r.path}/`));
  if (session.isPending) return <Loading label="Opening the console…" />;
  if (session.error || !session.data)
    return <ErrorState error={session.error} retry={() => session.refetch()} />;
  if (open) {
    const Open = open.component;
    return (
      <SessionProvider value={session.data}>
        <Open />
      </SessionProvider>
    );
  }
  if (!session.data.user)
    return <LoginPage secondFactor={session.data.second_factor_pending} sandbox={session.data.sandbox} />;
  return (
    <SessionProvider value={session.data}>
      <Shell />
    </SessionProvider>
  );
}

function visibleAreas(session: SessionState) {
  const audience = session.user?.role === 'operator' ? 'operator' : 'partner';
  return AREAS.filter((a) => a.audience === audience && (!a.sandboxOnly || session.sandbox));
}

function Shell() {
  const session = useSession();
  const client = useQueryClient();
  const [location] = useLocation();
  const logout = useApiMutation(() => api.console.session.logout.mutate());
  const areas = visibleAreas(session);
  const brand = session.partner ? (session.partner.brand_name ?? session.partner.name) : 'Operator';
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="brand">
          {session.partner?.logo_url ? (
            <img src={session.partner.logo_url} alt="" className="brand-logo" />
          ) : null}
          <span className="brand-name">{brand}</span>
        </div>
        <nav aria-label="Console">
          {NAV_GROUPS.map((group) => {
            const items = areas.filter((a) => a.nav?.group === group);
            if (items.length === 0) return null;
            return (
              <div key={group} className="nav-group">
                <p className="nav-group-label">{group}</p>
                <ul>
                  {items.map((a) => (
                    <li key={a.path}>
                      <Link href={a.path} aria-current={location === a.path ? 'page' : undefined}>
                        {a.nav?.label}
                      </Link>
                    </li>
                  ))}
                </ul>
              </div>
            );
          })}
        </nav>
        <div className="user-box">
          <p className="user-email">{session.user?.email}</p>
          <p className="user-role">{session.user?.role}</p>
          <Button
            variant="secondary"
            busy={logout.isPending}
            onClick={() =>
              logout.mutateAsync(undefined).then(() => client.resetQueries({ queryKey: SESSION_KEY }))
            }
          >
            Sign out
          </Button>
        </div>
      </aside>
      <main id="main" className="content">
        <Switch>
          {areas.map((a) => (
            <Route key={a.path} path={a.path} component={a.component} />
          ))}
          <Route>
            <Page title="Not found">
              <p>
                There is no such page. <Link href="/">Back to the overview</Link>
              </p>
            </Page>
          </Route>
        </Switch>
      </main>
    </div>
  );
}
