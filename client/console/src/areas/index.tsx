import type { ComponentType } from 'react';
import { ApiKeysPage } from './api-keys.tsx';
import { OverviewPage } from './overview.tsx';
import { WEBHOOK_AREAS } from './webhooks.tsx';

export type Audience = 'partner' | 'operator';

export interface Area {
  /** Under /console; wouter patterns (`/channels/:id`). */
  path: string;
  component: ComponentType;
  /** Shown in the navigation when set (detail pages have none). */
  nav?: { label: string; group: string };
  audience: Audience;
  /** Only when the hub runs its Meta sandbox. */
  sandboxOnly?: boolean;
}

/** Every page of the console; each area adds its own lines. */
export const AREAS: Area[] = [
  { path: '/', component: OverviewPage, nav: { label: 'Overview', group: 'Partner' }, audience: 'partner' },
  {
    path: '/api-keys',
    component: ApiKeysPage,
    nav: { label: 'API keys', group: 'Build' },
    audience: 'partner',
  },
  ...WEBHOOK_AREAS,
];

export const NAV_GROUPS = ['Partner', 'Clients', 'Build', 'Account', 'Sandbox', 'Operator'];
