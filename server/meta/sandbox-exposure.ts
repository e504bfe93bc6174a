import type { HubConfig } from '../config/env.ts';

/**
 * In sandbox mode `/sandbox` (the simulated Embedded Signup) and `/demo` (a partner backend with
 * its own token) answer anyone. Production runs them only with META_MODE=sandbox (env.ts), and
 * then says so loudly at boot.
 */
export function sandboxExposureWarning(config: HubConfig): string | undefined {
  if (config.nodeEnv !== 'production' || config.meta.mode !== 'sandbox') return undefined;
  return (
    'META_MODE=sandbox with NODE_ENV=production: /sandbox and /demo are served without authentication ' +
    '(anyone can complete a simulated signup, read the demo feed and its onboarding links, mint demo keys ' +
    'and send messages). Do not expose this hub to the internet.'
  );
}
