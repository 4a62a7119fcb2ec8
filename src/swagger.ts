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
    // Device-bound sessions (RFC 9449): the token is worth nothing without a proof by the device key.
    .addSecurity('session', {
      type: 'http',
      scheme: 'DPoP',
      description: 'Session token from POST /v1/link/complete, sent as `Authorization: DPoP <token>`',
    })
    .addSecurity('dpop', {
      type: 'apiKey',
      in: 'header',
      name: 'DPoP',
      description:
        'DPoP proof (RFC 9449): ES256 JWS by the device key, typ dpop+jwt, with jti, htm, htu, iat, and ath on session calls',
    })
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Operator admin token' }, 'admin')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
  });
}
