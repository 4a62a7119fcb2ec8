/**
 * Reads the served OpenAPI document (`/docs/openapi.json`) into the list of operations the fuzzer,
 * the log review and the scenarios walk. Nothing here names a route: a route added to the
 * application appears in the document and so in every suite that uses this list.
 */

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  nullable?: boolean;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
  example?: unknown;
  $ref?: string;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, JsonSchema>; securitySchemes?: Record<string, SecurityScheme> };
  security?: Record<string, string[]>[];
}

interface SecurityScheme {
  type?: string;
  scheme?: string;
  name?: string;
  in?: string;
  description?: string;
}

interface RawParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
}

interface RawOperation {
  operationId?: string;
  parameters?: RawParameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, unknown> }>;
  security?: Record<string, string[]>[];
}

/** How a caller proves who it is on an operation (derived from its `security` requirement). */
export type AuthKind = 'none' | 'session' | 'admin' | 'webhook';

export interface Parameter {
  name: string;
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: string;
  /** The path template as documented, e.g. `/v1/notices/{id}`. */
  path: string;
  operationId: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  body?: { required: boolean; contentTypes: string[]; schema: JsonSchema };
  auth: AuthKind;
  /** Statuses whose documented content is HTML (or, by API.md, an HTML page such as the SSO redirect's). */
  htmlStatuses: Set<string>;
  responses: Record<string, { content?: Record<string, unknown> }>;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

/** Replaces every `$ref` by the schema it points at (the document's refs are local and acyclic). */
export function resolveSchema(doc: OpenApiDocument, schema: JsonSchema | undefined, depth = 0): JsonSchema {
  if (!schema || depth > 20) return {};
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return resolveSchema(doc, doc.components?.schemas?.[name], depth + 1);
  }
  const out: JsonSchema = { ...schema };
  if (schema.items) out.items = resolveSchema(doc, schema.items, depth + 1);
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([k, v]) => [k, resolveSchema(doc, v, depth + 1)]),
    );
  }
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    if (schema[key]) out[key] = schema[key].map((s) => resolveSchema(doc, s, depth + 1));
  }
  if (typeof schema.additionalProperties === 'object') {
    out.additionalProperties = resolveSchema(doc, schema.additionalProperties, depth + 1);
  }
  return out;
}

/**
 * The kind of credential a security requirement asks for, read from the scheme's name and
 * description (session / DPoP, admin / operator, webhook / signature) and, for documents that do not
 * declare it yet, from the path (`/admin/…`, `/v1/webhooks/…`).
 */
export function authKindOf(doc: OpenApiDocument, path: string, operation: RawOperation): AuthKind {
  const requirements = operation.security ?? doc.security ?? [];
  const names = requirements.flatMap((r) => Object.keys(r));
  const text = names
    .map((n) => `${n} ${doc.components?.securitySchemes?.[n]?.description ?? ''}`.toLowerCase())
    .join(' ');
  if (/admin|operator/.test(text) || path.startsWith('/admin')) return 'admin';
  if (/webhook|signature/.test(text) || path.startsWith('/v1/webhooks')) return 'webhook';
  if (/session|dpop/.test(text)) return 'session';
  return 'none';
}

export function listOperations(doc: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      const params = (raw.parameters ?? []).map((p) => ({
        in: p.in,
        name: p.name,
        required: Boolean(p.required),
        schema: resolveSchema(doc, p.schema),
      }));
      const content = raw.requestBody?.content ?? {};
      const contentTypes = Object.keys(content);
      const htmlStatuses = new Set(
        Object.entries(raw.responses ?? {})
          .filter(([, r]) => Object.keys(r.content ?? {}).some((t) => t.startsWith('text/html')))
          .map(([status]) => status),
      );
      // API.md: the browser-opened SSO redirect answers its errors as an HTML page, not JSON.
      if (path === '/v1/sso/redirect') for (const s of ['400', '429', '503']) htmlStatuses.add(s);
      operations.push({
        method: method.toUpperCase(),
        path,
        operationId: raw.operationId ?? `${method} ${path}`,
        pathParams: params.filter((p) => p.in === 'path'),
        queryParams: params.filter((p) => p.in === 'query'),
        body:
          contentTypes.length > 0
            ? {
                required: Boolean(raw.requestBody?.required),
                contentTypes,
                schema: resolveSchema(doc, content[contentTypes[0]]?.schema),
              }
            : undefined,
        auth: authKindOf(doc, path, raw),
        htmlStatuses,
        responses: raw.responses ?? {},
      });
    }
  }
  return operations;
}

export function routeLabel(operation: Pick<Operation, 'method' | 'path'>): string {
  return `${operation.method} ${operation.path}`;
}
