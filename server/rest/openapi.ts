import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { ErrorBodySchema, type ErrorCode } from '../../shared/errors.ts';
import { acceptsIdempotencyKey, COMMON_ERRORS, type Operation } from '../api/operation.ts';
import { ERROR_TABLE } from '../errors.ts';
import { IdempotencyKeySchema } from '../modules/idempotency/idempotency.service.ts';

const ErrorResponseSchema = ErrorBodySchema.meta({ id: 'Error' });

const IdempotencyHeaders = z.object({
  'Idempotency-Key': IdempotencyKeySchema.optional().meta({
    description: 'Makes a retried POST safe: the same key and body within 24 h return the stored response.',
  }),
});

/** `/partners/:partner_id` → `/partners/{partner_id}` */
const toOpenApiPath = (path: string) => path.replaceAll(/:(\w+)/g, '{$1}');

function errorResponses(codes: ErrorCode[]): ZodOpenApiOperationObject['responses'] {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set([...COMMON_ERRORS, ...codes])) {
    const { status } = ERROR_TABLE[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      String(status),
      {
        description: `Error: ${list.map((c) => `\`${c}\``).join(', ')}`,
        content: { 'application/json': { schema: ErrorResponseSchema } },
      },
    ]),
  );
}

/** What a document needs of an operation: `/api/v2`'s declarations, or `/v1`'s (whathooks). */
export type DocumentedOperation = Pick<
  Operation,
  | 'operationId'
  | 'method'
  | 'path'
  | 'tag'
  | 'summary'
  | 'description'
  | 'params'
  | 'query'
  | 'body'
  | 'response'
  | 'status'
  | 'errors'
>;

function toOpenApiOperation(op: DocumentedOperation, idempotent: boolean): ZodOpenApiOperationObject {
  const success = op.response
    ? { description: op.summary, content: { 'application/json': { schema: op.response } } }
    : { description: 'No content' };
  return {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    requestParams: {
      path: op.params as z.ZodObject,
      ...(op.query ? { query: op.query as z.ZodObject } : {}),
      ...(idempotent ? { header: IdempotencyHeaders } : {}),
    },
    ...(op.body ? { requestBody: { content: { 'application/json': { schema: op.body } } } } : {}),
    responses: { [String(op.status)]: success, ...errorResponses(op.errors) },
  };
}

/** Operations as OpenAPI paths (`/a/:id` → `/a/{id}`), each with its error responses. */
export function openApiPaths(
  operations: DocumentedOperation[],
  idempotent: (op: DocumentedOperation) => boolean = () => false,
): ZodOpenApiPathsObject {
  const paths: ZodOpenApiPathsObject = {};
  for (const op of operations) {
    const path = toOpenApiPath(op.path);
    paths[path] = { ...paths[path], [op.method]: toOpenApiOperation(op, idempotent(op)) };
  }
  return paths;
}

/** The security schemes of a partner token or channel key, in either header. */
export function keySchemes(description: string) {
  return {
    bearerAuth: { type: 'http', scheme: 'bearer', description },
    apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key', description },
  } as const;
}

/** The OpenAPI 3.1 document of `/api/v2`, generated from the same operations Express mounts. */
export function buildOpenApiDocument(operations: Operation[]) {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Partner Hub API',
      version: '2.0.0',
      description:
        "Partner API of a self-hosted Partner Hub, compatible with the paths and fields of 360dialog's Partner API. " +
        'Authenticate with `Authorization: Bearer <token>` or `X-API-Key: <token>`. Errors are `{"error":{"code","message"}}` ' +
        'with stable codes. Every response carries `RateLimit-Policy`, `RateLimit` and `X-RateLimit-*` headers. ' +
        'A Postman collection of the same operations: [/api/v2/postman.json](/api/v2/postman.json). ' +
        'A connect button for your clients, built from a form: [/docs/connect-button](/docs/connect-button).',
    },
    // Relative, so the docs work on whatever host and port serve them.
    servers: [{ url: '/api/v2' }],
    security: [{ bearerAuth: [] }, { apiKeyHeader: [] }],
    components: { securitySchemes: keySchemes('A partner token (`hubp_…`)') },
    paths: openApiPaths(operations, (op) => acceptsIdempotencyKey(op as Operation)),
  });
}
