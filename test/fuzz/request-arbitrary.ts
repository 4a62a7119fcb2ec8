import fc from 'fast-check';
import type { JsonSchema, Operation } from './openapi-operations';
import {
  CONTENT_TYPES,
  HEADER_VALUES,
  MALFORMED_BODIES,
  PATH_TRAVERSALS,
  UNICODE_EDGES,
  deeplyNested,
} from './hostile-values';
import { encodeLoose } from './http-client';
import { hostileValue, hugeString, parameterText, validValue } from './schema-arbitrary';

/** What credential a generated request carries (applied by `Credentials` once the URL and body are known). */
export type AuthVariant =
  | 'valid'
  | 'none'
  | 'garbage-token'
  | 'wrong-scheme'
  | 'forged-proof'
  | 'proof-of-another-key'
  | 'forged-signature';

export interface FuzzRequest {
  /** The mutation that made this request, for the report and for the known-gap list. */
  kind: string;
  method: string;
  /** Path with its parameters filled in, already percent-encoded (or deliberately not). */
  path: string;
  query: [string, string][];
  headers: Record<string, string>;
  body?: string | Buffer;
  auth: AuthVariant;
}

interface Parts {
  pathValues: Record<string, string>;
  rawPath?: boolean;
  query: [string, string][];
  body?: unknown;
}

function fillPath(template: string, values: Record<string, string>, raw: boolean): string {
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const value = values[name] ?? 'x';
    return raw ? value : encodeLoose(value);
  });
}

function toRequest(
  operation: Operation,
  kind: string,
  parts: Parts,
  extra: Partial<FuzzRequest> = {},
): FuzzRequest {
  const headers: Record<string, string> = {};
  let body: string | Buffer | undefined;
  if (parts.body !== undefined) {
    body = JSON.stringify(parts.body);
    headers['content-type'] = 'application/json';
  }
  return {
    kind,
    method: operation.method,
    path: fillPath(operation.path, parts.pathValues, Boolean(parts.rawPath)),
    query: parts.query,
    body,
    auth: 'valid',
    ...extra,
    headers: { ...headers, ...extra.headers },
  };
}

/** Valid path values, query and body for the operation (optional query parameters come and go). */
function validParts(operation: Operation): fc.Arbitrary<Parts> {
  const pathValues = fc.record(
    Object.fromEntries(operation.pathParams.map((p) => [p.name, validValue(p.schema).map((v) => String(v))])),
  );
  const query = fc
    .tuple(
      ...operation.queryParams.map((p) =>
        p.required
          ? validValue(p.schema).map((v) => [[p.name, String(v)]] as [string, string][])
          : fc.option(
              validValue(p.schema).map((v) => [[p.name, String(v)]] as [string, string][]),
              { nil: [] },
            ),
      ),
    )
    .map((lists) => lists.flat());
  const body = operation.body ? validValue(operation.body.schema) : fc.constant(undefined);
  return fc.record({ pathValues, query, body });
}

function bodySchema(operation: Operation): JsonSchema {
  return operation.body?.schema ?? { type: 'object', properties: {} };
}

function fieldNames(operation: Operation): string[] {
  return Object.keys(bodySchema(operation).properties ?? {});
}

/** Replaces one body field (or the body) by `value`. */
function withField(parts: Parts, operation: Operation, pick: number, value: unknown): Parts {
  const names = fieldNames(operation);
  if (names.length === 0) return { ...parts, body: value };
  const body = { ...((parts.body as Record<string, unknown>) ?? {}) };
  body[names[pick % names.length]] = value;
  return { ...parts, body };
}

/** A request inside the documented contract (valid values, boundaries included), with valid credentials. */
export function validRequest(operation: Operation): fc.Arbitrary<FuzzRequest> {
  return validParts(operation).map((p) => toRequest(operation, 'valid', p));
}

/** The plainest value of a schema: its example, default or first enum value; objects with required members only. */
export function plainValue(schema: JsonSchema): unknown {
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.properties || schema.type === 'object') {
    const required = new Set(schema.required ?? []);
    return Object.fromEntries(
      Object.entries(schema.properties ?? {})
        .filter(([k]) => required.has(k))
        .map(([k, v]) => [k, plainValue(v)]),
    );
  }
  if (schema.type === 'array') return [];
  if (schema.type === 'integer' || schema.type === 'number') return schema.minimum ?? 1;
  if (schema.type === 'boolean') return true;
  return 'a'.repeat(Math.max(schema.minLength ?? 1, 8));
}

/** The plainest request of an operation: required parameters and body members only, plain values. */
export function plainRequest(operation: Operation): FuzzRequest {
  return toRequest(operation, 'plain', {
    pathValues: Object.fromEntries(operation.pathParams.map((p) => [p.name, String(plainValue(p.schema))])),
    query: operation.queryParams.filter((p) => p.required).map((p) => [p.name, String(plainValue(p.schema))]),
    body: operation.body ? plainValue(operation.body.schema) : undefined,
  });
}

/** Every mutation the fuzzer knows, weighted; each yields a complete request for the operation. */
export function requestArbitrary(operation: Operation): fc.Arbitrary<FuzzRequest> {
  const valid = validParts(operation);
  const hasBody = Boolean(operation.body);
  const names = fieldNames(operation);
  const anyParam = [...operation.pathParams, ...operation.queryParams];

  const mutations: fc.WeightedArbitrary<FuzzRequest>[] = [
    { weight: 6, arbitrary: valid.map((p) => toRequest(operation, 'valid', p)) },
    {
      weight: anyParam.length ? 4 : 0,
      arbitrary: fc
        .tuple(valid, ...anyParam.map((p) => fc.option(parameterText(p.schema), { freq: 2 })))
        .map(([parts, ...texts]) => {
          const pathValues = { ...parts.pathValues };
          let query = [...parts.query];
          anyParam.forEach((param, i) => {
            const text = texts[i];
            if (text === null) return;
            if (operation.pathParams.includes(param)) pathValues[param.name] = text === '' ? 'x' : text;
            else query = [...query.filter(([k]) => k !== param.name), [param.name, text]];
          });
          return toRequest(operation, 'parameter-values', { ...parts, pathValues, query });
        }),
    },
    {
      weight: hasBody ? 4 : 1,
      arbitrary: fc
        .tuple(valid, fc.nat(), hostileValue())
        .map(([parts, pick, value]) =>
          toRequest(operation, 'wrong-type-field', withField(parts, operation, pick, value)),
        ),
    },
    {
      weight: hasBody ? 2 : 0,
      arbitrary: fc
        .tuple(valid, fc.nat(), fc.constantFrom(...UNICODE_EDGES))
        .map(([parts, pick, text]) =>
          toRequest(operation, 'unicode-field', withField(parts, operation, pick, `ok${text}ok`)),
        ),
    },
    {
      weight: hasBody ? 1 : 0,
      arbitrary: fc
        .tuple(valid, fc.nat())
        .chain(([parts, pick]) =>
          hugeString(bodySchema(operation).properties?.[names[pick % Math.max(names.length, 1)]] ?? {}).map(
            (s) => toRequest(operation, 'huge-string', withField(parts, operation, pick, s)),
          ),
        ),
    },
    {
      weight: hasBody ? 1 : 0,
      arbitrary: fc
        .tuple(valid, fc.constantFrom('extra', '__proto__', 'constructor', 'isAdmin', 'a'.repeat(300)))
        .map(([parts, key]) =>
          toRequest(operation, 'unknown-field', { ...parts, body: { ...(parts.body as object), [key]: 1 } }),
        ),
    },
    {
      weight: names.length ? 1 : 0,
      arbitrary: fc.tuple(valid, fc.nat()).map(([parts, pick]) => {
        const body = { ...((parts.body as Record<string, unknown>) ?? {}) };
        delete body[names[pick % names.length]];
        return toRequest(operation, 'missing-field', { ...parts, body });
      }),
    },
    {
      weight: hasBody ? 2 : 1,
      arbitrary: fc
        .tuple(valid, fc.constantFrom(...MALFORMED_BODIES))
        .map(([parts, body]) =>
          toRequest(
            operation,
            'malformed-json',
            { ...parts, body: undefined },
            { body, headers: { 'content-type': 'application/json' } },
          ),
        ),
    },
    {
      weight: hasBody ? 2 : 1,
      arbitrary: fc
        .tuple(
          valid,
          fc.integer({ min: 8, max: 5000 }),
          fc.constantFrom<'array' | 'object'>('array', 'object'),
          fc.boolean(),
        )
        .map(([parts, depth, kind, inField]) =>
          toRequest(
            operation,
            depth > 32 ? 'deep-nesting' : 'nesting',
            { ...parts, body: undefined },
            {
              body: deeplyNested(depth, kind, inField ? (names[0] ?? 'x') : undefined),
              headers: { 'content-type': 'application/json' },
            },
          ),
        ),
    },
    {
      weight: hasBody ? 2 : 1,
      arbitrary: fc.tuple(valid, fc.constantFrom(...CONTENT_TYPES)).map(([parts, type]) => {
        const request = toRequest(operation, 'content-type', { ...parts, body: parts.body ?? {} });
        if (type === '') delete request.headers['content-type'];
        else request.headers['content-type'] = type;
        return request;
      }),
    },
    {
      weight: operation.queryParams.length ? 2 : 1,
      arbitrary: fc
        .tuple(
          valid,
          fc.constantFrom(...operation.queryParams.map((p) => p.name).concat(['x'])),
          fc.string({ maxLength: 10 }),
        )
        .map(([parts, name, other]) =>
          toRequest(operation, 'duplicate-query', {
            ...parts,
            query: [
              ...parts.query,
              [name, other],
              [name, other || '1'],
              [`${name}[]`, '1'],
              [`${name}[$gt]`, ''],
            ],
          }),
        ),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(valid, fc.constantFrom(...PATH_TRAVERSALS)).map(([parts, traversal]) => {
        if (operation.pathParams.length) {
          const pathValues = Object.fromEntries(operation.pathParams.map((p) => [p.name, traversal]));
          return toRequest(operation, 'path-traversal', { ...parts, pathValues, rawPath: true });
        }
        const request = toRequest(operation, 'path-traversal', parts);
        return { ...request, path: `${request.path}/${traversal}` };
      }),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          valid,
          fc.constantFrom('accept-language', 'if-none-match', 'x-request-id', 'accept', 'dpop'),
          fc.constantFrom(...HEADER_VALUES),
        )
        .map(([parts, name, value]) =>
          toRequest(operation, 'headers', parts, { headers: { [name]: value } }),
        ),
    },
  ];
  const forged: AuthVariant[] =
    operation.auth === 'session'
      ? ['none', 'garbage-token', 'wrong-scheme', 'forged-proof', 'proof-of-another-key']
      : operation.auth === 'admin'
        ? ['none', 'garbage-token', 'wrong-scheme']
        : operation.auth === 'webhook'
          ? ['none', 'forged-signature', 'forged-signature', 'forged-signature']
          : ['forged-proof', 'proof-of-another-key'];
  mutations.push({
    weight: operation.auth === 'none' ? 1 : 3,
    arbitrary: fc
      .tuple(valid, fc.constantFrom(...forged))
      .map(([parts, auth]) => toRequest(operation, `auth:${auth}`, parts, { auth })),
  });
  return fc.oneof(...mutations.filter((m) => m.weight > 0));
}
