import { createHash, createHmac, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/**
 * Credentials an attacker can make without the device key or the webhook secret: DPoP proofs
 * (RFC 9449) that are malformed, unsigned, signed by another key or with the wrong claims, and
 * webhook signatures that are wrong, stale or for another body.
 */

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

export interface ProofKey {
  privateKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

export function newProofKey(): ProofKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  return { privateKey, publicJwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } };
}

export interface ProofClaims {
  htm: string;
  htu: string;
  iat?: number;
  jti?: string;
  ath?: string;
  nonce?: string;
}

/** A well-formed ES256 DPoP proof by `key` (valid when `key` is the device's and the claims are right). */
export function signProof(key: ProofKey, claims: ProofClaims, header: Record<string, unknown> = {}): string {
  const protectedHeader = { typ: 'dpop+jwt', alg: 'ES256', jwk: key.publicJwk, ...header };
  const payload = {
    jti: randomBytes(16).toString('base64url'),
    iat: Math.floor(Date.now() / 1000),
    ...claims,
  };
  const input = `${b64url(JSON.stringify(protectedHeader))}.${b64url(JSON.stringify(payload))}`;
  const signature = sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64url(signature)}`;
}

export function accessTokenHash(sessionToken: string): string {
  return createHash('sha256').update(sessionToken).digest('base64url');
}

/** The forged proofs, `n` picking one; `claims` are the ones a valid proof would carry. */
export function forgedProof(n: number, claims: ProofClaims): string {
  const key = newProofKey();
  const now = Math.floor(Date.now() / 1000);
  const variants: (() => string)[] = [
    () => 'not-a-jwt',
    () => '',
    () => 'a.b.c',
    () => `${b64url('{"alg":"none","typ":"dpop+jwt"}')}.${b64url(JSON.stringify(claims))}.`,
    () => signProof(key, claims, { alg: 'HS256' }),
    () => signProof(key, claims, { typ: 'JWT' }),
    () => signProof(key, claims, { jwk: { ...key.publicJwk, d: 'AAAA' } }),
    () => signProof(key, { ...claims, htm: claims.htm === 'GET' ? 'POST' : 'GET' }),
    () => signProof(key, { ...claims, htu: 'https://evil.example/v1/notices' }),
    () => signProof(key, { ...claims, iat: now - 3600 }),
    () => signProof(key, { ...claims, iat: now + 3600 }),
    () => signProof(key, { ...claims, ath: accessTokenHash('another token') }),
    () => signProof(key, { ...claims, jti: 'x'.repeat(300) }),
    () => signProof(key, { ...claims, nonce: 'forged-nonce' }),
    () => {
      // a proof by one key whose signature was copied onto another key's header
      const real = signProof(key, claims).split('.');
      const other = signProof(newProofKey(), claims).split('.');
      return `${other[0]}.${real[1]}.${real[2]}`;
    },
    () => {
      const parts = signProof(key, claims).split('.');
      return `${parts[0]}.${parts[1]}.${b64url(randomBytes(64))}`;
    },
    () => 'e'.repeat(9000),
  ];
  return variants[n % variants.length]();
}

/** `t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` (API.md webhook). */
export function webhookSignature(
  secret: string,
  body: Buffer | string,
  t = Math.floor(Date.now() / 1000),
): string {
  const mac = createHmac('sha256', secret).update(`${t}.`).update(Buffer.from(body)).digest('hex');
  return `t=${t},v1=${mac}`;
}

/** Signatures without the secret, or with it but stale, early or over another body. */
export function forgedSignature(n: number, secret: string, body: Buffer | string): string {
  const now = Math.floor(Date.now() / 1000);
  const variants: (() => string)[] = [
    () => '',
    () => 'garbage',
    () => `t=${now}`,
    () => `t=${now},v1=`,
    () => `t=${now},v1=${randomBytes(32).toString('hex')}`,
    () => `t=abc,v1=${randomBytes(32).toString('hex')}`,
    () => webhookSignature(secret, body, now - 301),
    () => webhookSignature(secret, body, now + 301),
    () => webhookSignature(secret, `${String(body)} `, now),
    () => webhookSignature('not-the-secret', body, now),
    () => webhookSignature(secret, body, now).toUpperCase(),
    () => `${webhookSignature(secret, body, now).slice(0, -2)}zz`,
    () => `t=${now},` + Array.from({ length: 200 }, () => `v1=${randomBytes(32).toString('hex')}`).join(','),
    () => `t=${now},v1=${'0'.repeat(63)}`,
    () => `t=-1,v1=${randomBytes(32).toString('hex')}`,
    () => `t=99999999999999999999,v1=${randomBytes(32).toString('hex')}`,
  ];
  return variants[n % variants.length]();
}
