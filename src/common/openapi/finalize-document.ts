import type { OpenAPIObject } from '@nestjs/swagger';
import { PUBLIC_EXTENSION } from './api-problems.decorator.js';

type Operation = Record<string, unknown> & {
  parameters?: { name?: string; in?: string; $ref?: string }[];
  responses?: Record<string, { headers?: Record<string, unknown> }>;
  requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> };
  security?: unknown[];
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/**
 * Rules that hold for every route, applied once to the generated document instead of by hand on
 * each: `Accept-Language` (one reusable, optional parameter), `X-Request-Id` on every response,
 * `security: []` for routes marked @ApiPublic, `additionalProperties: false` on request bodies (the
 * global ValidationPipe rejects unknown fields in every body), and only the security schemes in use.
 */
export function finalizeDocument(document: OpenAPIObject): OpenAPIObject {
  const components = (document.components ??= {});
  components.parameters = {
    ...components.parameters,
    AcceptLanguage: {
      name: 'Accept-Language',
      in: 'header',
      required: false,
      description: '`ja` (default) or `en`: the language of error texts and of texts the BFF writes',
      schema: { type: 'string', example: 'en' },
    },
  };
  components.headers = {
    ...components.headers,
    XRequestId: {
      description: 'Echo of a valid caller X-Request-Id (8–128 of [A-Za-z0-9._:-]), else a generated one',
      schema: { type: 'string' },
    },
  };
  const usedSchemes = new Set<string>();
  const bodySchemas = new Set<string>();
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = (item as Record<string, Operation | undefined>)[method];
      if (!operation) continue;
      operation.parameters = [
        ...(operation.parameters ?? []).filter(
          (p) => !(p.in === 'header' && p.name?.toLowerCase() === 'accept-language'),
        ),
        { $ref: '#/components/parameters/AcceptLanguage' },
      ];
      for (const response of Object.values(operation.responses ?? {})) {
        response.headers = {
          'X-Request-Id': { $ref: '#/components/headers/XRequestId' },
          ...response.headers,
        };
      }
      if (operation[PUBLIC_EXTENSION]) {
        delete operation[PUBLIC_EXTENSION];
        operation.security = [];
      }
      for (const requirement of operation.security ?? []) {
        for (const name of Object.keys(requirement as object)) usedSchemes.add(name);
      }
      for (const media of Object.values(operation.requestBody?.content ?? {})) {
        const ref = media.schema?.$ref;
        if (ref) bodySchemas.add(ref.replace('#/components/schemas/', ''));
      }
    }
  }
  for (const name of bodySchemas) {
    const schema = components.schemas?.[name] as Record<string, unknown> | undefined;
    if (schema) schema.additionalProperties = false;
  }
  for (const name of Object.keys(components.securitySchemes ?? {})) {
    if (!usedSchemes.has(name)) delete components.securitySchemes![name];
  }
  return document;
}
