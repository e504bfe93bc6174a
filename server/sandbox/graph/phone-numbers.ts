import type { Request, Response } from 'express';
import type { SandboxState } from '../state.ts';
import { listPhoneNumbers } from '../store/accounts.ts';
import { authenticate } from './caller.ts';
import { PHONE_NUMBER_DEFAULT_FIELDS, PHONE_NUMBER_FIELDS, selectFields } from './nodes.ts';
import { graphParams, requestedFields } from './params.ts';
import { managedWaba } from './scoped-objects.ts';

const cursor = (id: string) => Buffer.from(id).toString('base64url');

/** `GET /{waba_id}/phone_numbers`: the WABA's numbers, one page with Meta's cursors. */
export function phoneNumbersHandler(state: SandboxState) {
  return async (req: Request<{ id: string }>, res: Response) => {
    const params = graphParams(req);
    const caller = await authenticate(state, req, params);
    const waba = await managedWaba(state, caller, req.params.id, 'GET');
    const fields = requestedFields(params);
    const phones = await listPhoneNumbers(state.query, waba.id);
    const data = phones.map((p) =>
      selectFields(
        p,
        PHONE_NUMBER_FIELDS,
        'WhatsAppBusinessPhoneNumber',
        fields,
        PHONE_NUMBER_DEFAULT_FIELDS,
        state.deps.meta.appId,
      ),
    );
    const body: Record<string, unknown> = { data };
    if (phones.length > 0) {
      body.paging = { cursors: { before: cursor(phones[0]!.id), after: cursor(phones.at(-1)!.id) } };
    }
    res.json(body);
  };
}
