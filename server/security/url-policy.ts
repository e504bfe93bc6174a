import { AppError } from '../errors.ts';

export interface UrlPolicy {
  /** Production accepts https only. */
  requireHttps: boolean;
}

export function urlPolicyFor(config: { nodeEnv: string }): UrlPolicy {
  return { requireHttps: config.nodeEnv === 'production' };
}

/** Validates a partner-supplied URL (webhook or redirect); `field` names it in the error. */
export function assertAcceptableUrl(value: string, field: string, policy: UrlPolicy): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AppError('validation_failed', `${field} must be an absolute URL`, { field });
  }
  const allowed = policy.requireHttps ? ['https:'] : ['https:', 'http:'];
  if (!allowed.includes(url.protocol)) {
    const expected = policy.requireHttps ? 'https' : 'http or https';
    throw new AppError('validation_failed', `${field} must use ${expected}`, { field });
  }
  if (url.username || url.password) {
    throw new AppError('validation_failed', `${field} must not contain credentials`, { field });
  }
  return url.toString();
}
