import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Serves Swagger UI at /docs and the OpenAPI document at /docs/openapi.json. */
export function setupSwagger(app: INestApplication): void {
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
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
  });
}
