import { createDocument } from 'zod-openapi';
import { keySchemes, openApiPaths } from '../rest/openapi.ts';
import { whathooksOperations } from './operations.ts';

/** `/v1/openapi.json`: whathooks' REST API as the hub serves it (no Idempotency-Key: whathooks has none). */
export function buildWhathooksOpenApiDocument() {
  const key = 'A partner token (`hubp_…`) or a linked-device channel API key (`hubk_…`)';
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Partner Hub: whathooks-compatible API',
      version: '1.0.0',
      description:
        "whathooks' REST API for apps moving over: the same paths, camelCase bodies and statuses, on the hub's " +
        'credentials and error bodies (`{"error":{"code","message"}}`). Webhooks in whathooks\' format are ' +
        'configured on the partner API ([/api/v2/openapi.json](/api/v2/openapi.json), `format: "whathooks"`).',
    },
    servers: [{ url: '/v1' }],
    security: [{ bearerAuth: [] }, { apiKeyHeader: [] }],
    components: { securitySchemes: keySchemes(key) },
    paths: openApiPaths([...whathooksOperations]),
  });
}
