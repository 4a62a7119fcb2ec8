import { hashOpaqueToken, newOpaqueToken, OPAQUE_TOKEN_SHAPE } from '../../../common/crypto/opaque-token.js';

/** A new session token: 256 random bits, base64url. Only its hash is stored. */
export const newSessionToken = newOpaqueToken;
export const hashSessionToken = hashOpaqueToken;

/** The token of an `Authorization: Bearer <token>` header, if it has the shape we issue. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer ([^\s]+)$/i.exec(header.trim());
  return match && OPAQUE_TOKEN_SHAPE.test(match[1]) ? match[1] : null;
}
