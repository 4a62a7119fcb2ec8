import { createHash, randomBytes } from 'node:crypto';

/**
 * Opaque bearer secrets (app session tokens, SSO tickets): 256 random bits as base64url, kept
 * server-side only as their SHA-256, so a database or Redis dump yields nothing usable.
 */
export const OPAQUE_TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashOpaqueToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
