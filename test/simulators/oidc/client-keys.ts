import { generateKeyPairSync, randomUUID, type JsonWebKey } from 'node:crypto';

/** An ES256 key as a JWK with the members the provider and openid-client look at. */
export interface EcJwk extends JsonWebKey {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  d?: string;
  kid: string;
  alg: 'ES256';
  use: 'sig';
}

export interface ClientKeys {
  /** the private key, kept by the BFF (`OIDC_CLIENT_PRIVATE_JWK`) */
  privateJwk: EcJwk;
  /** the public key, registered with the provider (`SIM_OIDC_CLIENT_JWKS`) */
  publicJwk: EcJwk;
}

/** A fresh ES256 key pair for `private_key_jwt`, both halves as JWKs sharing one `kid`. */
export function generateClientKeys(kid: string = randomUUID()): ClientKeys {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' });
  const privateJwk = { ...jwk, kid, alg: 'ES256', use: 'sig' } as EcJwk;
  const { d: _d, ...publicPart } = privateJwk;
  return { privateJwk, publicJwk: publicPart };
}
