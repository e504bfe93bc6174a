import { hkdfSync } from 'node:crypto';
import type { HubConfig } from '../config/env.ts';

/** The sandbox's own Meta app: fixed ids, secrets derived from HUB_SECRET so nothing extra is stored. */
export const SANDBOX_APP_ID = '1000000000000001';
export const SANDBOX_CONFIG_ID = '2000000000000002';

/**
 * The Meta app the hub acts as. Production and sandbox run the same code with these values;
 * only the Graph origin and the credentials differ.
 */
export interface MetaApp {
  mode: 'sandbox' | 'production';
  appId: string;
  appSecret: string;
  /** The Embedded Signup configuration (`config_id` for FB.login). */
  configId: string;
  /** Graph API origin without the version, e.g. https://graph.facebook.com. */
  graphUrl: string;
  graphVersion: string;
  /** Meta echoes this in the webhook handshake; we check it. */
  verifyToken: string;
  /** Where Meta (or the sandbox) sends WhatsApp webhooks: the hub's inbound relay. */
  callbackUrl: string;
}

function derive(hubSecret: string, purpose: string): string {
  return Buffer.from(hkdfSync('sha256', hubSecret, 'partner-hub', purpose, 24)).toString('base64url');
}

export function resolveMetaApp(config: HubConfig, hubSecret: string): MetaApp {
  const { meta, publicUrl } = config;
  const common = {
    graphVersion: meta.graphVersion,
    verifyToken: meta.verifyToken ?? derive(hubSecret, 'meta-verify-token'),
    callbackUrl: `${publicUrl}/meta/webhook`,
  };
  if (meta.mode === 'sandbox') {
    return {
      ...common,
      mode: 'sandbox',
      appId: SANDBOX_APP_ID,
      appSecret: derive(hubSecret, 'sandbox-app-secret'),
      configId: SANDBOX_CONFIG_ID,
      graphUrl: meta.graphUrl ?? `${publicUrl}/sandbox/graph`,
    };
  }
  return {
    ...common,
    mode: 'production',
    appId: meta.appId!,
    appSecret: meta.appSecret!,
    configId: meta.configId!,
    graphUrl: meta.graphUrl ?? 'https://graph.facebook.com',
  };
}
