import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';

/** OpenAPI: a session route (`Authorization: DPoP <token>` and a `DPoP` proof with `ath`, both required). */
export function ApiDpopSession(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiSecurity({ session: [], dpop: [] }),
    ApiUnauthorizedResponse({
      description:
        'SESSION_REQUIRED; LINK_EXPIRED; DPOP_PROOF_INVALID with `WWW-Authenticate: DPoP error="invalid_dpop_proof"`, or `error="use_dpop_nonce"` and a `DPoP-Nonce` header (retry once with that nonce)',
    }),
  );
}

/** OpenAPI: a session-less app route that still needs a `DPoP` proof (link start and complete). */
export function ApiDpopProof(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiSecurity('dpop'),
    ApiHeader({ name: 'DPoP', required: true, description: 'DPoP proof (RFC 9449) by the device key' }),
    ApiUnauthorizedResponse({
      description:
        'DPOP_PROOF_INVALID with `WWW-Authenticate: DPoP error="invalid_dpop_proof"`, or `error="use_dpop_nonce"` and a `DPoP-Nonce` header',
    }),
  );
}
