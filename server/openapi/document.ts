import { z } from 'zod';
import { ROUTES, type RouteDoc } from './registry.ts';

type Json = Record<string, unknown>;

/** JSON Schema 2020-12 (what OpenAPI 3.1 uses) of what a client sends: the input side of transforms and defaults. */
const schemaOf = (s: z.ZodType): Json => {
  const { $schema: _s, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Json;
  return rest;
};

const ERROR = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string', description: '`area/reason`; the client has a zh-CN and an English text for each' }, message: { type: 'string' } } } },
};

function operation(r: RouteDoc): Json {
  const params: Json[] = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  if (r.query) {
    const q = schemaOf(r.query) as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(q.properties ?? {})) params.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema });
  }
  const security = r.security === 'bearer' ? [{ bearer: [] }] : r.security === 'ingestKey' ? [{ ingestKey: [] }] : r.security === 'metrics' ? [{ metricsToken: [] }, {}] : [];
  const okContent = r.ok.status === 204 ? undefined : { [r.ok.type ?? 'application/json']: { schema: r.ok.schema ? schemaOf(r.ok.schema) : {} } };
  return {
    operationId: `${r.method}${r.path.replace(/[^a-zA-Z0-9]+(\w)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    summary: r.summary,
    tags: [r.tag],
    ...(r.roles ? { description: `Roles: ${r.roles.join(', ')}.` } : {}),
    security,
    ...(params.length ? { parameters: params } : {}),
    ...(r.body || r.bodyType ? { requestBody: { required: true, content: { [r.bodyType ?? 'application/json']: { schema: r.body ? schemaOf(r.body) : {} } } } } : {}),
    responses: {
      [String(r.ok.status)]: { description: r.ok.description, ...(okContent ? { content: okContent } : {}) },
      default: { description: 'Refused: `{ error: { code, message } }`', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    },
  };
}

/** The OpenAPI 3.1 document of every route in the registry. */
export function openApiDocument(version: string): Json {
  const paths: Record<string, Json> = {};
  for (const r of ROUTES) (paths[r.path] ??= {})[r.method] = operation(r);
  return {
    openapi: '3.1.0',
    info: { title: 'GridOps API', version, description: 'Community grid governance command center. Errors are `{ error: { code, message } }`.' },
    servers: [{ url: '/' }],
    tags: [...new Set(ROUTES.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: { Error: ERROR },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        ingestKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN; or no token from an address in METRICS_ALLOW' },
      },
    },
  };
}
