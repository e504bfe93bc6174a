/**
 * What the permission page's routes share: its paths, its forms' schemas, the actor of a client
 * user, and the visit's parameters carried from one form to the next.
 */
import type { Request, Response } from 'express';
import { z } from 'zod';
import { safeString } from '../../shared/schemas/safe-text.ts';
import { requestMetaOf } from '../http/request-meta.ts';
import type { Hub } from '../hub.ts';
import type { Actor } from '../modules/audit/actor.ts';
import { EmailField } from '../modules/clients/email.ts';
import type { PermissionsQuery } from './permissions-params.ts';
import type { SignupSettings } from './views/signup-buttons.ts';

/** The permission page's URLs: ours, and 360dialog's, so its connect button works unmodified. */
export const PERMISSIONS_PAGE_PATHS = [
  '/permissions/:partner_id',
  '/dashboard/app/:partner_id',
  '/dashboard/app/:partner_id/permissions',
];

export const SignupSchema = z.object({
  email: EmailField,
  password: safeString().min(12, 'Use a password of at least 12 characters').max(200),
  name: safeString().trim().max(200).optional(),
  business_name: safeString().trim().max(200).optional(),
  terms_version: z.coerce.number().int().positive().optional(),
});

export const ConfirmSchema = z.object({
  channels: z
    .union([safeString(), z.array(safeString())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
});

/** Meta's SDK and popup in production; the sandbox's stand-ins, on the hub's own origin, otherwise. */
export function signupSettings(deps: Hub): SignupSettings {
  const sandbox = deps.meta.mode === 'sandbox';
  return {
    sdkUrl: sandbox ? '/sandbox/fb-sdk.js' : 'https://connect.facebook.net/en_US/sdk.js',
    signupOrigin: sandbox ? new URL(deps.config.publicUrl).origin : 'https://www.facebook.com',
    appId: deps.meta.appId,
    configId: deps.meta.configId,
    graphVersion: deps.meta.graphVersion,
  };
}

export function clientUserActor(req: Request): Actor {
  return { type: 'client_user', id: req.user?.id ?? null, ...requestMetaOf(req) };
}

/** Personal data a partner's link may prefill, which the hub never copies into a URL it builds. */
const PERSONAL_PARAMS = new Set(['email', 'name']);

/**
 * `?a=…` for the visit's parameters, to come back to the page after a form. Without the personal
 * ones: URLs end up in histories, proxy logs and `Referer`s.
 */
export function visitQuery(query: PermissionsQuery, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...query, ...extra }))
    if (typeof v === 'string' && !PERSONAL_PARAMS.has(k)) params.set(k, v);
  const s = params.toString();
  return s ? `?${s}` : '';
}

export function allowFormTarget(res: Response, origin: string): void {
  const csp = res.getHeader('Content-Security-Policy');
  if (typeof csp === 'string') {
    res.setHeader(
      'Content-Security-Policy',
      csp.replace("form-action 'self'", `form-action 'self' ${origin}`),
    );
  }
}
