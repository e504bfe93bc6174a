import { api, type Outputs, useApiMutation } from '../api.ts';
import { SESSION_KEY } from '../session.tsx';

export type PartnerSettings = Outputs['partner']['me'];
export const PARTNER_KEY = ['partner.me'] as const;

/** Saves some of the partner's settings; the sidebar (session) shows the brand, so it refreshes too. */
export function usePartnerUpdate() {
  return useApiMutation(
    (input: Parameters<typeof api.partner.update.mutate>[0]) => api.partner.update.mutate(input),
    [PARTNER_KEY, SESSION_KEY],
  );
}

/** A polite "Saved" for screen readers and eyes, once a save went through. */
export function Saved({ show }: { show: boolean }) {
  return (
    <span className="saved" role="status">
      {show ? 'Saved' : ''}
    </span>
  );
}
