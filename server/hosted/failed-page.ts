import type { Response } from 'express';
import type { ErrorCode } from '../../shared/errors.ts';
import { ERROR_TABLE } from '../errors.ts';

/**
 * Starts a page that reports a failure (a form shown again with its error, a closed link): the
 * status its code stands for, unless the page has a more precise one, and the code in
 * `X-Error-Code`, as on every other hosted error, so scripts and tests need not read HTML.
 */
export function failedPage(res: Response, code: ErrorCode, status = ERROR_TABLE[code].status): Response {
  return res.status(status).set('X-Error-Code', code);
}
