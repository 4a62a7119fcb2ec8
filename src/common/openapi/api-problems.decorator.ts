import { applyDecorators } from '@nestjs/common';
import { ApiExtension, ApiResponse, ApiSecurity, getSchemaPath } from '@nestjs/swagger';
import { type ErrorCode, errorStatus } from '../errors/error-code.js';
import { ProblemDto } from './problem.dto.js';

/**
 * OpenAPI helpers so that every route documents what it can answer. Use them on every new route
 * (push, admin, webhook…):
 *
 *   @ApiSessionAuth()                      // or @ApiPublic(), @ApiAdminAuth(), @ApiWebhookSignature()
 *   @ApiProblems('SESSION_REQUIRED', 'NOT_FOUND', 'RATE_LIMITED', 'UPSTREAM_UNAVAILABLE')
 *
 * ApiProblems groups the codes by their fixed status (error-code.ts) into one problem+json response
 * per status whose `code` is enumerated. The codes any request can get are always added:
 * VALIDATION_FAILED (a malformed URL or header) and INTERNAL. Routes with a body add PAYLOAD_TOO_LARGE.
 * A new code goes into error-code.ts first; the document picks it up from there.
 */
export const ALWAYS_POSSIBLE: readonly ErrorCode[] = ['VALIDATION_FAILED', 'INTERNAL'];

const retryAfter = {
  description: 'Seconds to wait before retrying',
  schema: { type: 'integer', minimum: 1 },
};

function groupByStatus(codes: ErrorCode[]): [number, ErrorCode[]][] {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set([...codes, ...ALWAYS_POSSIBLE])) {
    const status = errorStatus[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return [...byStatus.entries()].sort(([a], [b]) => a - b);
}

export function ApiProblems(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  const responses = groupByStatus(codes).map(([status, list]) =>
    ApiResponse({
      status,
      description: list.map((c) => `\`${c}\``).join(', '),
      headers: status === 429 || status === 503 ? { 'Retry-After': retryAfter } : undefined,
      content: {
        'application/problem+json': {
          schema: {
            allOf: [
              { $ref: getSchemaPath(ProblemDto) },
              { type: 'object', properties: { code: { type: 'string', enum: list } } },
            ],
          },
        },
      },
    }),
  );
  return applyDecorators(...responses);
}

/** For routes a browser opens (the SSO redirect): the same codes and statuses, as small HTML pages. */
export function ApiHtmlProblems(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...groupByStatus(codes).map(([status, list]) =>
      ApiResponse({
        status,
        description: `${list.map((c) => `\`${c}\``).join(', ')}, as a small ja/en HTML page`,
        headers: status === 429 || status === 503 ? { 'Retry-After': retryAfter } : undefined,
        content: { 'text/html': { schema: { type: 'string' } } },
      }),
    ),
  );
}

/** Security scheme names (swagger.ts declares them; unused ones are left out of the document). */
export const SecuritySchemes = {
  /** `Authorization: DPoP <sessionToken>`. */
  dpopSession: 'DPoP',
  /** The `DPoP: <proof>` header, a JWS by the device key (RFC 9449). */
  dpopProof: 'DPoPProof',
  admin: 'admin',
  webhookSignature: 'webhookSignature',
} as const;

/** App routes with a session: the DPoP-bound session token and a proof by the bound key. */
export const ApiSessionAuth = (): MethodDecorator & ClassDecorator =>
  applyDecorators(ApiSecurity({ [SecuritySchemes.dpopSession]: [], [SecuritySchemes.dpopProof]: [] }));

/** App routes without a session that still carry a DPoP proof (link start/complete). */
export const ApiDpopProof = (): MethodDecorator & ClassDecorator => ApiSecurity(SecuritySchemes.dpopProof);

export const ApiAdminAuth = (): MethodDecorator & ClassDecorator => ApiSecurity(SecuritySchemes.admin);

export const ApiWebhookSignature = (): MethodDecorator & ClassDecorator =>
  ApiSecurity(SecuritySchemes.webhookSignature);

/** Routes without credentials: `security: []` (set by finalizeDocument from this marker). */
export const PUBLIC_EXTENSION = 'x-public';
export const ApiPublic = (): MethodDecorator & ClassDecorator => ApiExtension(PUBLIC_EXTENSION, true);
