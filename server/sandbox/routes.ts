import { Router } from 'express';
import type { Hub } from '../hub.ts';
import { assetRoutes } from './assets.ts';
import { controlRouter } from './control/router.ts';
import { graphRouter } from './graph/router.ts';
import { linkedDevicePlaysRouter } from './linked-devices/router.ts';
import { signupRoutes } from './signup/routes.ts';
import { sandboxStateOf } from './state.ts';
import { stripeSandboxRouter } from './stripe/router.ts';

/**
 * The Meta sandbox ("test mode"): a Graph API emulator, the simulated Embedded Signup popup
 * with its FB SDK stand-in, and a control API that plays Meta sending webhooks. Mounted at
 * `/sandbox` only when no real Meta app is configured. See docs/sandbox.md.
 */
export function sandboxRoutes(deps: Hub): Router {
  const state = sandboxStateOf(deps);
  const sandbox = Router({ caseSensitive: true });
  sandbox.use('/graph', graphRouter(state));
  sandbox.use(assetRoutes());
  sandbox.use(signupRoutes(deps));
  sandbox.use('/control', controlRouter(state));
  sandbox.use('/stripe', stripeSandboxRouter(state));
  sandbox.use('/linked-devices', linkedDevicePlaysRouter(deps, state));
  return sandbox;
}
