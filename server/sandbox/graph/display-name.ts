import type { Request, Response } from 'express';
import type { SandboxState } from '../state.ts';
import {
  addDisplayNameRequest,
  countDisplayNameRequests,
  DISPLAY_NAME_LIMIT,
} from '../store/display-names.ts';
import { authenticate } from './caller.ts';
import { graphErrors } from './errors.ts';
import { graphParams } from './params.ts';
import { managedPhone } from './scoped-objects.ts';

/**
 * `POST /{phone_number_id}?new_display_name=…`: asks Meta to change the number's display name.
 * The name then waits for review (`new_name_status: PENDING_REVIEW`); the control API's
 * `phone_number_name_update` decides it. Meta allows 10 changes per 30 days.
 */
export function displayNameHandler(state: SandboxState) {
  return async (req: Request<{ id: string }>, res: Response) => {
    const params = graphParams(req);
    const caller = await authenticate(state, req, params);
    const phone = await managedPhone(state, caller, req.params.id, 'POST');
    const name = params.new_display_name;
    if (name === undefined || name === '') throw graphErrors.unsupportedRequest('POST', req.params.id);
    if (typeof name !== 'string' || name.trim().length < 3 || name.length > 512) {
      throw graphErrors.invalidParameter('Param new_display_name must be 3 to 512 characters long.');
    }
    const now = state.deps.clock.now();
    if ((await countDisplayNameRequests(state.query, phone.id, now)) >= DISPLAY_NAME_LIMIT) {
      throw graphErrors.invalidParameter('The display name can be changed at most 10 times in 30 days.');
    }
    await addDisplayNameRequest(state.query, phone.id, name.trim(), now);
    res.json({ success: true });
  };
}
