import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** The OpenAPI document of the app's routes (served, and written by scripts/openapi-export.ts). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('myna-bff')
    .setDescription(
      'Backend-for-frontend of the Myna App (マイナアプリ). Errors are RFC 9457 problem+json with a stable `code`; ' +
        '`Accept-Language: ja|en` selects the language of error texts. See docs/api-guide.md.',
    )
    .setVersion('1')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'Session token from POST /v1/link/complete' },
      'session',
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Operator admin token' }, 'admin')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Serves Swagger UI at /docs and the OpenAPI document at /docs/openapi.json. */
export function setupSwagger(app: INestApplication): void {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
  });
}
