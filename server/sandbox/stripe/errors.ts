import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../../logger.ts';

export type StripeErrorType = 'invalid_request_error' | 'card_error' | 'api_error' | 'idempotency_error';

/** Stripe's error object, as it answers it under `error`. */
export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  doc_url?: string;
  /** Card errors on a SetupIntent carry the intent (and the card) as they are after the failure. */
  setup_intent?: unknown;
  payment_method?: unknown;
}

export class StripeApiError extends Error {
  override name = 'StripeApiError';
  readonly status: number;
  readonly body: StripeErrorBody;

  constructor(status: number, body: StripeErrorBody) {
    super(body.message);
    this.status = status;
    this.body = body;
  }
}

const invalid = (status: number, message: string, extra: Partial<StripeErrorBody> = {}) =>
  new StripeApiError(status, { type: 'invalid_request_error', message, ...extra });

const withDoc = (code: string) => ({
  code,
  doc_url: `https://docs.stripe.com/error-codes/${code.replace(/_/g, '-')}`,
});

/** Test mode masks all but the last four characters of a key it does not know. */
const masked = (key: string) =>
  `${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`;

/** Every error the Stripe sandbox answers; docs/sandbox.md lists them. */
export const stripeErrors = {
  noKey: () =>
    invalid(
      401,
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    ),
  invalidKey: (key: string) =>
    invalid(401, `Invalid API Key provided: ${masked(key)}`, withDoc('api_key_invalid')),
  secretKeyRequired: () =>
    invalid(401, 'This API call cannot be made with a publishable API key. Please use a secret API key.', {
      code: 'secret_key_required',
    }),
  missing: (param: string) =>
    invalid(400, `Missing required param: ${param}.`, { ...withDoc('parameter_missing'), param }),
  unknownParam: (param: string) =>
    invalid(400, `Received unknown parameter: ${param}`, { ...withDoc('parameter_unknown'), param }),
  notInteger: (param: string) =>
    invalid(400, `Invalid integer: ${param}`, { ...withDoc('parameter_invalid_integer'), param }),
  invalidParam: (param: string, message: string) => invalid(400, message, { param }),
  noSuch: (what: string, id: string, param = 'id') =>
    invalid(404, `No such ${what}: '${id}'`, { ...withDoc('resource_missing'), param }),
  clientSecretMismatch: () =>
    invalid(400, 'The client_secret provided does not match any associated SetupIntent on this account.', {
      param: 'client_secret',
    }),
  unexpectedState: (code: string, message: string) => invalid(400, message, withDoc(code)),
  idempotencyMismatch: (key: string) =>
    new StripeApiError(400, {
      type: 'idempotency_error',
      message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
    }),
  idempotencyInUse: () =>
    new StripeApiError(409, {
      type: 'invalid_request_error',
      code: 'idempotency_key_in_use',
      message:
        'There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): please try again later.',
    }),
  unrecognizedUrl: (method: string, path: string) =>
    invalid(
      404,
      `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
    ),
  card: (code: string, message: string, extra: Partial<StripeErrorBody> = {}) =>
    new StripeApiError(402, { type: 'card_error', message, ...withDoc(code), ...extra }),
};

/** Answers every error in Stripe's envelope; anything unexpected is Stripe's `api_error` 500. */
export function stripeErrorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof StripeApiError) {
      res.status(err.status).json({ error: err.body });
      return;
    }
    const status = (err as { status?: number })?.status;
    if (status === 400 || status === 413 || status === 415) {
      res.status(400).json({ error: { type: 'invalid_request_error', message: 'Invalid request body.' } });
      return;
    }
    logger.error({ err, path: req.path }, 'stripe sandbox failed');
    res.status(500).json({ error: { type: 'api_error', message: 'An unknown error occurred.' } });
  };
}
