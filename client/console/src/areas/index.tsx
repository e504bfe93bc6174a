import type { ComponentType } from 'react';
import { AccountPage } from './account.tsx';
import { ApiKeysPage } from './api-keys.tsx';
import { BillingPage } from './billing.tsx';
import { ChannelsPage } from './channels.tsx';
import { ChannelPage } from './channels-page.tsx';
import { ClientPage, ClientsPage } from './clients.tsx';
import { OnboardingPage } from './onboarding.tsx';
import { OperatorAuditPage } from './operator-audit.tsx';
import { OperatorHealthPage } from './operator-health.tsx';
import { OperatorHomePage, OperatorPartnersPage } from './operator-partners.tsx';
import { OverviewPage } from './overview.tsx';
import { SandboxPage } from './sandbox.tsx';
import { SettingsPage } from './settings.tsx';
import { TeamPage } from './team.tsx';
import { UsagePage } from './usage.tsx';
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
    path: '/clients',
    component: ClientsPage,
    nav: { label: 'Clients', group: 'Clients' },
    audience: 'partner',
  },
  { path: '/clients/:id', component: ClientPage, audience: 'partner' },
  {
    path: '/channels',
    component: ChannelsPage,
    nav: { label: 'Numbers', group: 'Clients' },
    audience: 'partner',
  },
  { path: '/channels/:id', component: ChannelPage, audience: 'partner' },
  {
    path: '/onboarding',
    component: OnboardingPage,
    nav: { label: 'Onboarding links', group: 'Clients' },
    audience: 'partner',
  },
  {
    path: '/sandbox',
    component: SandboxPage,
    nav: { label: 'Sandbox tools', group: 'Sandbox' },
    audience: 'partner',
    sandboxOnly: true,
  },
  {
    path: '/api-keys',
    component: ApiKeysPage,
    nav: { label: 'API keys', group: 'Build' },
    audience: 'partner',
  },
  {
    path: '/settings',
    component: SettingsPage,
    nav: { label: 'Settings', group: 'Partner' },
    audience: 'partner',
  },
  { path: '/team', component: TeamPage, nav: { label: 'Team', group: 'Partner' }, audience: 'partner' },
  {
    path: '/account',
    component: AccountPage,
    nav: { label: 'Your account', group: 'Account' },
    audience: 'partner',
  },
  { path: '/usage', component: UsagePage, nav: { label: 'Usage', group: 'Account' }, audience: 'partner' },
  {
    path: '/billing',
    component: BillingPage,
    nav: { label: 'Billing', group: 'Account' },
    audience: 'partner',
  },
  { path: '/', component: OperatorHomePage, audience: 'operator' },
  {
    path: '/account',
    component: AccountPage,
    nav: { label: 'Your account', group: 'Account' },
    audience: 'operator',
  },
  {
    path: '/operator/partners',
    component: OperatorPartnersPage,
    nav: { label: 'Partners', group: 'Operator' },
    audience: 'operator',
  },
  {
    path: '/operator/health',
    component: OperatorHealthPage,
    nav: { label: 'System health', group: 'Operator' },
    audience: 'operator',
  },
  {
    path: '/operator/audit',
    component: OperatorAuditPage,
    nav: { label: 'Audit log', group: 'Operator' },
    audience: 'operator',
  },
  ...WEBHOOK_AREAS,
];

export const NAV_GROUPS = ['Partner', 'Clients', 'Build', 'Account', 'Sandbox', 'Operator'];
