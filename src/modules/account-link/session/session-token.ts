import { hashOpaqueToken, newOpaqueToken, OPAQUE_TOKEN_SHAPE } from '../../../common/crypto/opaque-token.js';

/** A new session token: 256 random bits, base64url. Only its hash is stored. */
export const newSessionToken = newOpaqueToken;
export const hashSessionToken = hashOpaqueToken;

/**
 * The session token of an `Authorization` header and its scheme, if it has the shape we issue.
 * Only `DPoP` is accepted for use (the guard refuses `Bearer`), but both are recognised so that a
 * token sent as Bearer is answered DPOP_PROOF_INVALID rather than "no session".
 */
export function sessionToken(
  header: string | undefined,
): { scheme: 'dpop' | 'bearer'; token: string } | null {
  if (!header) return null;
  const match = /^(DPoP|Bearer) ([^\s]+)$/i.exec(header.trim());
  if (!match || !OPAQUE_TOKEN_SHAPE.test(match[2])) return null;
  return { scheme: match[1].toLowerCase() === 'dpop' ? 'dpop' : 'bearer', token: match[2] };
}
