import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { api } from './api';
import type { EndpointSpec } from './endpoint-spec';
import { errorBody } from './errors';

const ERROR_TEXT: Record<number, string> = {
  400: 'Malformed JSON, a missing or wrong field, or a value out of range; `issues` names each field.',
  401: 'No bearer token, or an unknown or revoked one.',
  403: 'The token’s user may not touch this user’s data.',
  404: 'A referenced object does not exist (for this user).',
  405: 'Method not allowed on this path.',
  409: 'Conflicts with an existing object.',
  413: 'The body is too large.',
  415: 'The body is not declared as JSON (or, for a file, as text/csv or multipart/form-data).',
  412: 'If-Match names a version that is no longer current; read the resource again (its ETag is in the answer).',
  422: 'The Idempotency-Key was already used with a different request; for an import, rows of the file cannot be read (`issues` names their lines).',
  428: 'If-Match is required: send the ETag of the version you read.',
  429: 'Too many requests; retry after `Retry-After` seconds.',
};

const errorResponse = (status: number) => ({
  description: ERROR_TEXT[status] ?? 'Error.',
  content: { 'application/json': { schema: errorBody } },
});

/** Every endpoint, documented from the same specs the route wrapper enforces. */
export const documentedEndpoints: EndpointSpec[] = [...Object.values(api)];

function operation(spec: EndpointSpec): ZodOpenApiOperationObject {
  const common = spec.access === 'public' ? [] : [401, 403, 429];
  const bodyErrors = spec.body || spec.upload ? [400, 413, 415] : spec.query || spec.params ? [400] : [];
  const idempotency = spec.method === 'GET' || spec.idempotent === false ? [] : [422];
  const conditional = spec.versioned && spec.method !== 'GET' ? [412, 428] : [];
  const statuses = [
    ...new Set([...bodyErrors, ...common, ...(spec.errors ?? []), ...idempotency, ...conditional, 405]),
  ].sort();
  const ifMatch = {
    name: 'If-Match',
    in: 'header' as const,
    required: true,
    description: 'The ETag of the version you read (GET answers it); `*` for whichever is current.',
    schema: { type: 'string' as const },
  };
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    description: `${spec.description ?? ''}\n\nAlso served unversioned at \`/api${spec.path}\`.`.trim(),
    tags: spec.tags,
    ...(spec.access === 'public' ? { security: [] } : {}),
    ...(spec.query || spec.params
      ? {
          requestParams: {
            ...(spec.query ? { query: spec.query as never } : {}),
            ...(spec.params ? { path: spec.params as never } : {}),
          },
        }
      : {}),
    ...(conditional.length > 0 ? { parameters: [ifMatch] } : {}),
    ...(spec.method !== 'GET' && spec.idempotent !== false
      ? {
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description: 'Retries with the same key and body replay the first response and write nothing.',
              schema: { type: 'string', maxLength: 255 },
            },
          ],
        }
      : {}),
    ...(spec.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: spec.body as never } } } }
      : {}),
    ...(spec.upload
      ? {
          requestBody: {
            required: true,
            description: spec.upload.description,
            content: {
              'text/csv': { schema: { type: 'string', format: 'binary' } },
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: ['file'],
                  properties: { file: { type: 'string', format: 'binary' } },
                },
              },
            },
          },
        }
      : {}),
    responses: {
      [spec.response.status]: {
        description: spec.response.description,
        ...(spec.versioned
          ? { headers: { ETag: { description: 'The version, for If-Match.', schema: { type: 'string' } } } }
          : {}),
        content: {
          'application/json': { schema: spec.response.schema as never },
          ...Object.fromEntries((spec.alsoProduces ?? []).map((type) => [type, { schema: { type: 'string' } }])),
        },
      },
      ...Object.fromEntries(statuses.map((s) => [s, errorResponse(s)])),
    },
  };
}

let cached: ReturnType<typeof createDocument> | undefined;

export function openApiDocument() {
  if (cached) return cached;
  const paths: ZodOpenApiPathsObject = {};
  for (const spec of documentedEndpoints) {
    const key = `/api/v1${spec.path}`;
    paths[key] = { ...paths[key], [spec.method.toLowerCase()]: operation(spec) };
  }
  cached = createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Overload API',
      version: '1.0.0',
      description:
        `The REST contract the Overload mobile app calls. Authenticate with \`Authorization: Bearer <token>\`. ` +
        'Every error answers `{"error": {"code", "message", "issues": [{"path", "message"}]}}`.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  });
  return cached;
}
