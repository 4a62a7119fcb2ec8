import * as client from 'openid-client';
import type { ClientKeys } from './client-keys.js';
import { driveLogin, type LoginResult } from './drive-login.js';
import type { OidcSimulator } from './oidc-simulator.js';

/**
 * A relying party as the BFF is one (openid-client, private_key_jwt, PKCE, state, nonce), for tests
 * and scripts that need real tokens from the provider simulator.
 */
export async function discoverAsRp(
  sim: Pick<OidcSimulator, 'issuer' | 'clientId'>,
  keys: ClientKeys,
): Promise<client.Configuration> {
  const key = await crypto.subtle.importKey(
    'jwk',
    keys.privateJwk,
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['sign'],
  );
  const insecure = sim.issuer.startsWith('http:');
  return client.discovery(
    new URL(sim.issuer),
    sim.clientId,
    { id_token_signed_response_alg: 'ES256' },
    client.PrivateKeyJwt({ key, kid: keys.privateJwk.kid }),
    insecure ? { execute: [client.allowInsecureRequests] } : undefined,
  );
}

export interface LinkedTokens {
  tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers;
  login: LoginResult;
  nonce: string;
}

/** Runs the whole code flow for a persona and returns the token response. */
export async function linkPersona(
  config: client.Configuration,
  persona: string,
  redirectUri: string,
  scope = 'openid name address birthdate gender',
  /** one browser's cookies across logins (see driveLogin) */
  cookies?: Map<string, string>,
): Promise<LinkedTokens> {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope,
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const login = await driveLogin(url.href, persona, cookies);
  const tokens = await client.authorizationCodeGrant(config, new URL(login.callbackUrl), {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: true,
  });
  return { tokens, login, nonce };
}
