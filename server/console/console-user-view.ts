import type { ConsoleRole } from '../../shared/statuses.ts';
import type { ConsoleUser } from '../modules/console-users/console-user.entity.ts';

export interface ConsoleUserView {
  id: string;
  email: string;
  name: string | null;
  role: ConsoleRole;
  partner_id: string | null;
  totp_enabled: boolean;
  last_login_at: string | null;
  created_at: string;
}

export function toConsoleUserView(user: ConsoleUser): ConsoleUserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name ?? null,
    role: user.role,
    partner_id: user.partner?.id ?? null,
    totp_enabled: Boolean(user.totpEnabledAt),
    last_login_at: user.lastLoginAt?.toISOString() ?? null,
    created_at: user.createdAt.toISOString(),
  };
}
