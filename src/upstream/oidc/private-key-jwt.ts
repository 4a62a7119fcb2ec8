import { createPrivateKey, type JsonWebKey as NodeJsonWebKey, randomBytes, sign } from 'node:crypto';
import type * as oidc from 'openid-client';
import { es256DerToRaw } from '../../common/crypto/ecdsa-signature.js';

const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** How long an assertion is valid: what openid-client's own PrivateKeyJwt uses. */
const ASSERTION_LIFETIME_SECONDS = 60;

const base64url = (json: unknown): string => Buffer.from(JSON.stringify(json)).toString('base64url');

/**
 * private_key_jwt client authentication (RFC 7523; OIDC Core §9) for openid-client: the same
 * assertion as its PrivateKeyJwt (the claims of oauth4webapi's clientAssertionPayload: jti, aud =
 * issuer, exp = iat + 60 s, nbf, iss = sub = client_id; ES256 with the key's kid), signed with
 * node:crypto's synchronous `sign`. openid-client signs with WebCrypto, which cost ~0.4 ms of CPU
 * per code exchange under bench:link (a thread-pool job per signature); every link completion and
 * every refresh pays this.
 */
export function privateKeyJwt(jwk: NodeJsonWebKey & { kid?: string }): oidc.ClientAuth {
  // a P-256 key: the configuration refuses anything else (OIDC_CLIENT_PRIVATE_JWK)
  const key = createPrivateKey({ key: jwk, format: 'jwk' });
  const header = base64url({ alg: 'ES256', kid: jwk.kid });
  return (as, client, body) => {
    const now = Math.floor(Date.now() / 1000);
    const payload = base64url({
      jti: randomBytes(32).toString('base64url'),
      aud: as.issuer,
      exp: now + ASSERTION_LIFETIME_SECONDS,
      iat: now,
      nbf: now,
      iss: client.client_id,
      sub: client.client_id,
    });
    const input = `${header}.${payload}`;
    // DER from the KeyObject, then r‖s: ~40 µs less than Node's ieee-p1363 option (ecdsa-signature.ts)
    const signature = es256DerToRaw(sign('sha256', Buffer.from(input, 'ascii'), key));
    body.set('client_id', client.client_id);
    body.set('client_assertion_type', CLIENT_ASSERTION_TYPE);
    body.set('client_assertion', `${input}.${signature.toString('base64url')}`);
  };
}
