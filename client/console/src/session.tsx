import { createContext, type ReactNode, useContext, useEffect } from 'react';
import { api, type Outputs, setCsrfToken, useApiQuery } from './api.ts';

export type SessionState = Outputs['console']['session']['get'];

const SessionContext = createContext<SessionState | undefined>(undefined);

export const SESSION_KEY = ['console.session.get'] as const;

/** Loads who is signed in (and the CSRF token) before anything else renders. */
export function useSessionQuery() {
  const query = useApiQuery(SESSION_KEY, () => api.console.session.get.query());
  useEffect(() => {
    if (query.data) setCsrfToken(query.data.csrf_token);
  }, [query.data]);
  // The token must be in place before the first mutation, not after the next render.
  if (query.data) setCsrfToken(query.data.csrf_token);
  return query;
}

export function SessionProvider({ value, children }: { value: SessionState; children: ReactNode }) {
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** Whether the signed-in user may write (developer, owner) or manage the partner (owner). */
export function useCan(): { write: boolean; manage: boolean } {
  const role = useSession().user?.role;
  return { write: role === 'owner' || role === 'developer', manage: role === 'owner' };
}
