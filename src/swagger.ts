import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { SecuritySchemes } from './common/openapi/api-problems.decorator.js';
import { finalizeDocument } from './common/openapi/finalize-document.js';
import { FieldProblemDto, ProblemDto } from './common/openapi/problem.dto.js';

/** The OpenAPI document of the app's routes (served, and written by scripts/openapi-export.ts). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('myna-bff')
    .setDescription(
      'Backend-for-frontend of the Myna App (マイナアプリ). Errors are RFC 9457 problem+json with a stable `code`; ' +
        '`Accept-Language: ja|en` selects the language of error texts. Every answer carries `X-Request-Id`. ' +
        'See docs/api-guide.md.',
    )
    .setVersion('1')
    // package.json says UNLICENSED: no rights granted; the URL is npm's definition of that term.
    .setLicense(
      'UNLICENSED (proprietary, no rights granted)',
      'https://docs.npmjs.com/cli/v11/configuring-npm/package-json#license',
    )
    // Relative: the document is served by the deployment it describes.
    .addServer('/', 'The BFF deployment that serves this document')
    .addSecurity(SecuritySchemes.dpopSession, {
      type: 'http',
      scheme: 'DPoP',
      description:
        '`Authorization: DPoP <sessionToken>` (the token from POST /v1/link/complete), bound to the device key',
    })
    .addSecurity(SecuritySchemes.dpopProof, {
      type: 'apiKey',
      in: 'header',
      name: 'DPoP',
      description:
        'DPoP proof (RFC 9449): an ES256 JWS by the device key, with `ath` on calls with a session',
    })
    .addSecurity(SecuritySchemes.admin, {
      type: 'http',
      scheme: 'bearer',
      description: 'Operator admin token (one per operator; VPN only)',
    })
    .addSecurity(SecuritySchemes.webhookSignature, {
      type: 'apiKey',
      in: 'header',
      name: 'X-Myna-Signature',
      description: '`t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`',
    })
    .build();
  return finalizeDocument(
    SwaggerModule.createDocument(app, config, { extraModels: [ProblemDto, FieldProblemDto] }),
  );
}

/** Serves Swagger UI at /docs and the OpenAPI document at /docs/openapi.json. */
export function setupSwagger(app: INestApplication): void {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
  });
}
