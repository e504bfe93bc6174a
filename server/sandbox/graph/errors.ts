import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../../logger.ts';
import { newFbtraceId } from '../ids.ts';

export type GraphErrorType = 'OAuthException' | 'GraphMethodException';

export interface GraphErrorBody {
  message: string;
  type: GraphErrorType;
  code: number;
  error_subcode?: number;
  error_data?: { messaging_product: 'whatsapp'; details: string };
}

/** A Graph API error, answered in Meta's shape: `{"error":{message,type,code,error_subcode?,fbtrace_id}}`. */
export class GraphError extends Error {
  override name = 'GraphError';
  readonly status: number;
  readonly body: GraphErrorBody;

  constructor(body: GraphErrorBody, status = statusFor(body.code)) {
    super(body.message);
    this.body = body;
    this.status = status;
  }
}

/** Meta answers 400 for almost everything; invalid tokens are 401, permission errors 403. */
function statusFor(code: number): number {
  if (code === 190) return 401;
  if (code === 10 || (code >= 200 && code < 300)) return 403;
  return 400;
}

const oauth = (code: number, message: string, error_subcode?: number) =>
  new GraphError({ message, type: 'OAuthException', code, ...(error_subcode ? { error_subcode } : {}) });

/** WhatsApp Cloud API errors carry `error_data.details` and a "(#code)" prefix. */
const whatsapp = (code: number, title: string, details: string) =>
  new GraphError({
    message: `(#${code}) ${title}`,
    type: 'OAuthException',
    code,
    error_data: { messaging_product: 'whatsapp', details },
  });

/** Meta prints token expiry in this format ("Tuesday, 24-Nov-26 07:00:00 UTC"). */
function metaTime(at: Date): string {
  const day = at.toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
  const p = (n: number) => String(n).padStart(2, '0');
  const month = at.toLocaleDateString('en-US', { month: 'short', timeZone: 'UTC' });
  return `${day}, ${p(at.getUTCDate())}-${month}-${p(at.getUTCFullYear() % 100)} ${p(at.getUTCHours())}:${p(at.getUTCMinutes())}:${p(at.getUTCSeconds())} UTC`;
}

/** Every Graph error the emulator answers; docs/sandbox.md lists them. */
export const graphErrors = {
  tokenRequired: () => oauth(104, 'An access token is required to request this resource.'),
  tokenUnparseable: () => oauth(190, 'Invalid OAuth access token - Cannot parse access token'),
  appTokenSignature: () => oauth(190, 'Invalid OAuth access token signature.'),
  tokenExpired: (expiredAt: Date, now: Date) =>
    oauth(
      190,
      `Error validating access token: Session has expired on ${metaTime(expiredAt)}. The current time is ${metaTime(now)}.`,
      463,
    ),
  tokenRevoked: (appId: string) =>
    oauth(190, `Error validating access token: The user has not authorized application ${appId}.`, 458),
  appTokenRequired: () =>
    oauth(
      100,
      '(#100) You must provide an app access token, or a user access token that is an owner or developer of the app',
    ),
  invalidApplication: () => oauth(101, 'Error validating application. Invalid application ID.'),
  invalidClientSecret: () => oauth(1, 'Error validating client secret.'),
  codeInvalid: () => oauth(100, 'Invalid verification code format.', 36008),
  codeExpired: () => oauth(100, 'This authorization code has expired.', 36007),
  codeUsed: () => oauth(100, 'This authorization code has been used.', 36009),
  missingParameter: (name: string) => oauth(100, `(#100) The parameter ${name} is required`),
  invalidParameter: (message: string) => oauth(100, `(#100) ${message}`),
  nonexistingField: (field: string, nodeType: string) =>
    oauth(100, `(#100) Tried accessing nonexisting field (${field}) on node type (${nodeType})`),
  unsupportedRequest: (method: string, id: string) =>
    new GraphError({
      message: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
      type: 'GraphMethodException',
      code: 100,
      error_subcode: 33,
    }),
  unknownPath: (path: string) => oauth(2500, `Unknown path components: ${path}`),
  permissionDenied: () => oauth(10, '(#10) Application does not have permission for this action'),
  overrideBeforeSubscribe: () =>
    oauth(
      100,
      '(#100) Before override the current callback uri, your app must be subscribed to receive messages for WhatsApp Business Account',
    ),
  callbackVerificationFailed: (reason: string) =>
    oauth(2200, `(#2200) Callback verification failed with the following errors: ${reason}`),
  notRegistered: () => whatsapp(133010, 'Account not registered', 'Account not registered'),
  registerRateLimited: () =>
    whatsapp(
      133016,
      'Account register deregister rate limit exceeded',
      'Register or deregister was called more than 10 times for this number in 72 hours.',
    ),
  pinMismatch: () =>
    whatsapp(
      133005,
      'Two step verification PIN Mismatch',
      'The PIN does not match the one set for this number.',
    ),
  accountLocked: () =>
    whatsapp(131031, 'Business Account locked', 'The WhatsApp Business Account is disabled.'),
  /** A number's messages per second spent (80, or 20 for a coexistence number). */
  throughputReached: () =>
    whatsapp(130429, 'Rate limit hit', 'Cloud API message throughput has been reached.'),
  /** Too many messages from one number to one consumer (about one per 6 s, bursts allowed). */
  pairRateLimited: () =>
    whatsapp(
      131056,
      '(Business Account, Consumer Account) pair rate limit hit',
      'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
    ),
  invalidJson: () => oauth(100, '(#100) The request body could not be parsed as JSON'),
  unknown: () =>
    new GraphError({ message: 'An unknown error has occurred.', type: 'OAuthException', code: 1 }, 500),
};

/** The Graph emulator's error handler: Meta's shape for everything, internals never echoed. */
export function graphErrorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    let error: GraphError;
    if (err instanceof GraphError) error = err;
    else if ((err as { type?: string })?.type === 'entity.parse.failed') error = graphErrors.invalidJson();
    else if (
      typeof (err as { status?: unknown })?.status === 'number' &&
      (err as { status: number }).status < 500
    )
      error = graphErrors.invalidParameter('The request body could not be read');
    else {
      logger.error({ err, requestId: req.id }, 'unhandled sandbox Graph error');
      error = graphErrors.unknown();
    }
    if (res.headersSent) return;
    if (error.status === 401) {
      res.setHeader(
        'WWW-Authenticate',
        `OAuth "Facebook Platform" "invalid_token" "${error.body.message.replace(/"/g, "'")}"`,
      );
    }
    res.status(error.status).json({ error: { ...error.body, fbtrace_id: newFbtraceId() } });
  };
}
