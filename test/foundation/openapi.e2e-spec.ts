import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { errorStatus, type ErrorCode } from '../../src/common/errors/error-code';
import { Metrics } from '../../src/metrics/metrics';
import { buildOpenApiDocument } from '../../src/swagger';
import { startTestApp, type TestApp } from '../support/test-app';

type Operation = {
  security?: Record<string, string[]>[];
  parameters?: { $ref?: string; name?: string; in?: string }[];
  responses: Record<
    string,
    { headers?: Record<string, unknown>; content?: Record<string, { schema?: Record<string, unknown> }> }
  >;
  requestBody?: { content: Record<string, { schema: { $ref: string } }> };
};
type Document = {
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, Record<string, unknown>>;
    securitySchemes: Record<string, unknown>;
    parameters: Record<string, { name: string; required: boolean }>;
  };
  servers: unknown[];
  info: { license?: { name: string } };
};

const operations = (doc: Document): [string, Operation][] =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(
      ([method, op]) => [`${method.toUpperCase()} ${path}`, op] as [string, Operation],
    ),
  );

/** The `code` values a problem+json response enumerates. */
const codesOf = (op: Operation, status: string): string[] => {
  const schema = op.responses[status]?.content?.['application/problem+json']?.schema as
    { allOf: { properties?: { code?: { enum: string[] } } }[] } | undefined;
  return schema?.allOf.flatMap((part) => part.properties?.code?.enum ?? []) ?? [];
};

/** `METHOD /path/{param}` for each route of Fastify's printRoutes() tree. */
function routesOf(tree: string): string[] {
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+)(?: \(([^)]*)\))?/.exec(line);
    if (!match) continue;
    const depth = match[1].length / 4;
    stack[depth] = `${depth > 0 ? stack[depth - 1] : ''}${match[2]}`;
    for (const method of match[3]?.split(', ') ?? []) {
      routes.push(`${method} ${stack[depth].replace(/:(\w+)/g, '{$1}')}`);
    }
  }
  return routes;
}

describe('the served OpenAPI document is the contract', () => {
  let t: TestApp;
  let doc: Document;
  beforeAll(async () => {
    t = await startTestApp();
    doc = (await request(t.app.getHttpServer()).get('/docs/openapi.json')).body as Document;
  });
  afterAll(async () => {
    await t.close();
  });

  it('is the document scripts/openapi-export.ts writes without PostgreSQL or Redis (Nest preview mode)', async () => {
    const logger = pino({ level: 'silent' });
    const preview = await NestFactory.create<NestFastifyApplication>(
      AppModule.forRoot({ config: t.config, logger, metrics: new Metrics() }),
      new FastifyAdapter(),
      { preview: true, logger: false, abortOnError: false },
    );
    try {
      expect(JSON.parse(JSON.stringify(buildOpenApiDocument(preview)))).toEqual(doc);
    } finally {
      await preview.close();
    }
  });

  it('documents every route the server has (methods included), and nothing it does not have', () => {
    const served = routesOf(t.app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false }))
      // Swagger UI's own files, the operators' dashboard page and its assets (HTML, not API), Bull
      // Board's own UI and API under /admin/queues (a third-party app behind the operator guard,
      // see test/delivery-status/admin-auth.int-spec.ts); Fastify adds HEAD to every GET by itself
      .filter(
        (route) =>
          !/ \/docs(\/|\*|$)/.test(route) &&
          !/ \/admin(\*|\/queues|\/assets|$)/.test(route) &&
          !route.startsWith('HEAD '),
      );
    const documented = operations(doc).map(([name]) => name);
    expect(documented.sort()).toEqual(served.sort());
    expect(served).toEqual(
      expect.arrayContaining(['GET /v1/notices/{id}', 'DELETE /v1/link', 'POST /v1/sso']),
    );
  });

  it('declares security on every operation, with schemes that exist', () => {
    for (const [name, op] of operations(doc)) {
      expect({ name, security: Array.isArray(op.security) }).toEqual({ name, security: true });
      for (const requirement of op.security ?? []) {
        for (const scheme of Object.keys(requirement))
          expect(doc.components.securitySchemes[scheme]).toBeDefined();
      }
    }
    expect(doc.paths['/v1/notices'].get.security).toEqual([{ DPoP: [], DPoPProof: [] }]);
    expect(doc.paths['/health/live'].get.security).toEqual([]);
    expect(doc.paths['/v1/sso/redirect'].get.security).toEqual([]);
    expect(doc.components.securitySchemes.DPoP).toMatchObject({ type: 'http', scheme: 'DPoP' });
  });

  it('documents every error as problem+json with the codes of that status, on every operation', () => {
    for (const [name, op] of operations(doc)) {
      const errorStatuses = Object.keys(op.responses).filter((s) => Number(s) >= 400);
      expect({ name, has4xx: errorStatuses.some((s) => s.startsWith('4')) }).toEqual({ name, has4xx: true });
      for (const status of errorStatuses) {
        expect(op.responses[status].headers?.['X-Request-Id']).toBeDefined();
        if (name === 'GET /v1/sso/redirect' || (name === 'GET /health/ready' && status === '503')) continue;
        const codes = codesOf(op, status);
        expect({ name, status, some: codes.length > 0 }).toEqual({ name, status, some: true });
        for (const code of codes) expect(errorStatus[code as ErrorCode]).toBe(Number(status));
      }
    }
    expect(codesOf(doc.paths['/v1/notices/{id}'].get, '404')).toEqual(['NOT_FOUND']);
    expect(codesOf(doc.paths['/v1/link'].get, '401').sort()).toEqual([
      'DPOP_PROOF_INVALID',
      'LINK_EXPIRED',
      'SESSION_REQUIRED',
    ]);
    expect(codesOf(doc.paths['/v1/link/complete'].post, '400').sort()).toEqual([
      'LINK_STATE_INVALID',
      'VALIDATION_FAILED',
    ]);
    expect(doc.paths['/v1/notices'].get.responses['429'].headers?.['Retry-After']).toBeDefined();
  });

  it('declares Accept-Language once, optional, and uses it everywhere', () => {
    expect(doc.components.parameters.AcceptLanguage).toMatchObject({
      name: 'Accept-Language',
      required: false,
    });
    for (const [, op] of operations(doc)) {
      const params = op.parameters ?? [];
      expect(params.filter((p) => p.$ref === '#/components/parameters/AcceptLanguage')).toHaveLength(1);
      expect(params.filter((p) => p.name?.toLowerCase() === 'accept-language')).toHaveLength(0);
    }
  });

  it('rejects unknown body fields in the schema too, with the constraints the code enforces', () => {
    for (const [, op] of operations(doc)) {
      const ref = op.requestBody?.content['application/json']?.schema.$ref;
      if (ref) expect(doc.components.schemas[ref.split('/').pop()!].additionalProperties).toBe(false);
    }
    expect(doc.components.schemas.StartLinkDto).toMatchObject({
      additionalProperties: false,
      properties: { deviceId: { minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9._-]+$' } },
    });
    expect(doc.components.schemas.StartLinkResponseDto).toMatchObject({
      properties: { expiresIn: { type: 'integer' } },
    });
    const limit = doc.paths['/v1/notices'].get.parameters?.find((p) => p.name === 'limit') as unknown;
    expect(limit).toMatchObject({ schema: { type: 'integer', minimum: 1, maximum: 100 } });
  });

  it('sets servers and license', () => {
    expect(doc.servers.length).toBeGreaterThan(0);
    expect(doc.info.license?.name).toEqual(expect.any(String));
  });
});
