import { AppError } from '../errors.ts';

/** Meta's error object, as Graph returns it under `error`. */
export interface GraphErrorBody {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  is_transient?: boolean;
  error_user_msg?: string;
  fbtrace_id?: string;
}

/** A Graph call that Meta answered with an error (or that never got an answer: `status` null). */
export class GraphError extends Error {
  override name = 'GraphError';
  readonly status: number | null;
  readonly body: GraphErrorBody;

  constructor(status: number | null, body: GraphErrorBody) {
    super(body.message ?? `Graph API error ${status}`);
    this.status = status;
    this.body = body;
  }

  get code(): number | undefined {
    return this.body.code;
  }

  get subcode(): number | undefined {
    return this.body.error_subcode;
  }

  /** Code 190 is Meta's "access token is invalid or expired", whatever the subcode. */
  get isTokenInvalid(): boolean {
    return this.body.code === 190;
  }

  /** Worth another try: no answer, a 5xx, or Meta flagged it transient (codes 1 and 2 are "unknown"/"service"). */
  get isTransient(): boolean {
    if (this.status === null || this.status >= 500) return true;
    return this.body.is_transient === true || this.body.code === 1 || this.body.code === 2;
  }
}

/** How Graph failures reach our callers: stable hub codes, with Meta's own code and subcode kept. */
export function toAppError(err: GraphError, action: string): AppError {
  if (err.status === null) {
    return new AppError('meta_unavailable', `Meta did not answer while trying to ${action}: ${err.message}`);
  }
  const details = {
    meta_code: err.code ?? null,
    meta_subcode: err.subcode ?? null,
    meta_message: err.body.message ?? null,
    fbtrace_id: err.body.fbtrace_id ?? null,
  };
  if (err.isTokenInvalid) {
    return new AppError(
      'meta_token_expired',
      `Meta no longer accepts the business token (${action}); the client must reconnect the number`,
      details,
    );
  }
  return new AppError('meta_error', `Meta refused to ${action}: ${err.message}`, details);
}
