import { z } from 'zod';
import type { Operation } from '../api/operation.ts';

/** Postman Collection Format v2.1, the version Postman and newman import. */
export const POSTMAN_SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

/** Requests whose answer later requests need: the test script stores the id in a collection variable. */
const STORES_ID: Record<string, string> = {
  createOnboardingSession: 'session_id',
  createLinkedDeviceSession: 'session_id',
  createWebhookEndpoint: 'endpoint_id',
};

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
}

/** A body with the required fields only, each a placeholder of its type: enough to send and edit. */
function exampleOf(schema: JsonSchema): unknown {
  if (schema.default !== undefined) return schema.default;
  if (schema.enum?.length) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(
        (schema.required ?? []).map((k) => [k, exampleOf(schema.properties?.[k] ?? {})]),
      );
    case 'array':
      return [];
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    default:
      return '';
  }
}

function bodyExample(op: Operation): unknown {
  if (op.operationId === 'createOnboardingSession')
    return { tenant_id: 'tenant-1', tenant_name: 'Sunrise Bakery' };
  return exampleOf(
    z.toJSONSchema(op.body as z.ZodType, { io: 'input', unrepresentable: 'any' }) as JsonSchema,
  );
}

function request(op: Operation) {
  const segments = op.path
    .split('/')
    .filter(Boolean)
    .map((s) => (s.startsWith(':') ? `{{${s.slice(1)}}}` : s));
  const item: Record<string, unknown> = {
    name: op.summary,
    request: {
      method: op.method.toUpperCase(),
      description: op.description ?? op.summary,
      header: op.body ? [{ key: 'Content-Type', value: 'application/json' }] : [],
      url: { raw: `{{baseUrl}}/${segments.join('/')}`, host: ['{{baseUrl}}'], path: segments },
      ...(op.body
        ? {
            body: {
              mode: 'raw',
              raw: JSON.stringify(bodyExample(op), null, 2),
              options: { raw: { language: 'json' } },
            },
          }
        : {}),
    },
  };
  const stores = STORES_ID[op.operationId];
  if (stores) {
    item.event = [
      {
        listen: 'test',
        script: {
          type: 'text/javascript',
          exec: [
            `// Keeps the new id for the requests that follow ({{${stores}}}).`,
            'const body = pm.response.json();',
            `if (body && body.id) pm.collectionVariables.set('${stores}', body.id);`,
          ],
        },
      },
    ];
  }
  return item;
}

/**
 * A Postman collection of the partner API, generated from the same operation declarations as
 * the OpenAPI document: one folder per tag, bearer auth from `{{token}}`, `{{baseUrl}}` set to
 * this hub, a variable per path parameter (`{{partner_id}}`, `{{channel_id}}`, …), and the
 * create-session request storing `{{session_id}}` for the session requests after it.
 */
export function buildPostmanCollection(operations: Operation[], baseUrl: string) {
  const tags = [...new Set(operations.map((op) => op.tag))];
  const params = [...new Set(operations.flatMap((op) => [...op.path.matchAll(/:(\w+)/g)].map((m) => m[1]!)))];
  return {
    info: {
      name: 'Partner Hub API',
      schema: POSTMAN_SCHEMA,
      description:
        'Set `token` to a partner token (`hubp_…`) and `partner_id` to your partner id. Generated from ' +
        '/api/v2/openapi.json; create an onboarding session first and the session requests use its id.',
    },
    auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{token}}', type: 'string' }] },
    variable: [
      { key: 'baseUrl', value: baseUrl, type: 'string' },
      { key: 'token', value: '', type: 'string' },
      ...params.map((key) => ({ key, value: '', type: 'string' })),
    ],
    item: tags.map((tag) => ({
      name: tag,
      item: operations.filter((op) => op.tag === tag).map(request),
    })),
  };
}
