import { generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { pkceChallenge } from './oidc.client.js';
import { privateKeyJwt } from './private-key-jwt.js';

const as = { issuer: 'https://auth.example/realms/main' };
const client = { client_id: 'myna-app' };

/** What a ClientAuth puts into the token request body (openid-client's own one is async). */
async function assertionOf(auth: oidc.ClientAuth): Promise<URLSearchParams> {
  const body = new URLSearchParams();
  await (auth(as, client, body, new Headers()) as void | Promise<void>);
  return body;
}

describe('private_key_jwt (node:crypto) is what openid-client would send', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'client-key-1' };

  it('verifies with the public key, with the same header, claims and body fields as PrivateKeyJwt', async () => {
    const ours = await assertionOf(privateKeyJwt(jwk));
    const theirs = await assertionOf(
      oidc.PrivateKeyJwt({
        key: await crypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, [
          'sign',
        ]),
        kid: jwk.kid,
      }),
    );
    expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
    expect(ours.get('client_id')).toBe('myna-app');
    expect(ours.get('client_assertion_type')).toBe(theirs.get('client_assertion_type'));

    const verifyKey = await importJWK(publicKey.export({ format: 'jwk' }), 'ES256');
    const { payload, protectedHeader } = await jwtVerify(ours.get('client_assertion')!, verifyKey, {
      issuer: 'myna-app',
      subject: 'myna-app',
      audience: as.issuer,
    });
    const reference = await jwtVerify(theirs.get('client_assertion')!, verifyKey);
    expect(protectedHeader).toEqual(decodeProtectedHeader(theirs.get('client_assertion')!));
    expect(Object.keys(payload).sort()).toEqual(Object.keys(reference.payload).sort());
    expect(payload.exp! - payload.iat!).toBe(reference.payload.exp! - reference.payload.iat!);
    expect(payload.jti).not.toBe(
      (await jwtVerify((await assertionOf(privateKeyJwt(jwk))).get('client_assertion')!, verifyKey)).payload
        .jti,
    );
  });

  it('computes the S256 PKCE challenge as openid-client does', async () => {
    for (let i = 0; i < 5; i++) {
      const verifier = oidc.randomPKCECodeVerifier();
      expect(pkceChallenge(verifier)).toBe(await oidc.calculatePKCECodeChallenge(verifier));
    }
  });
});
