import { generateKeyPairSync, randomBytes } from 'node:crypto';

/**
 * Secrets made fresh for each test run (never committed): the BFF's private_key_jwt key pair and a
 * token-encryption key. The upstream URLs are placeholders that refuse connections; tests that need
 * an upstream start its simulator and pass its URL.
 */
export function testSecrets(): Record<string, string> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = {
    ...privateKey.export({ format: 'jwk' }),
    kid: `test-${randomBytes(4).toString('hex')}`,
    alg: 'ES256',
    use: 'sig',
  };
  const { d: _d, ...publicJwk } = jwk;
  return {
    OIDC_ISSUER: 'http://127.0.0.1:9/api/realms/main',
    OIDC_CLIENT_ID: 'RP00000001',
    OIDC_CLIENT_PRIVATE_JWK: JSON.stringify(jwk),
    TEST_OIDC_CLIENT_PUBLIC_JWK: JSON.stringify(publicJwk),
    OIDC_REDIRECT_URI: 'https://app.myna.example/link/callback',
    OIDC_ALLOW_INSECURE_HTTP: 'true',
    TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    TOKEN_ENCRYPTION_ACTIVE_KEY_ID: 'k1',
    MYNAPORTAL_BASE_URL: 'http://127.0.0.1:9',
  };
}
