import { Router } from 'express';
import type { AppDeps } from '../deps.ts';

/** The Meta sandbox: Graph emulator, simulated Embedded Signup dialog and control API. */
export function sandboxRoutes(_deps: AppDeps): Router {
  return Router();
}
