import { randomBytes } from 'node:crypto';
import {
  errors,
  interactionPolicy,
  type AdapterFactory,
  type Configuration,
  type KoaContextWithOIDC,
} from 'oidc-provider';
import type { PersonaDirectory } from '../personas.js';
import type { EcJwk } from './client-keys.js';

export interface ProviderSettings {
  clientId: string;
  clientJwks: { keys: EcJwk[] };
  redirectUris: string[];
  signingKey: EcJwk;
  accessTokenTtl: number;
  refreshTokenTtl: number;
  idTokenTtl: number;
  introspection: { clientId: string; clientSecret: string };
  adapter: AdapterFactory;
  /** seconds an authorization code stays valid (60 by default, like Keycloak's 1 min) */
  authorizationCodeTtl: number;
  personas: PersonaDirectory;
}

/** Keycloak's endpoint paths, relative to the issuer `<base>/api/realms/main`. */
export const KEYCLOAK_ROUTES = {
  authorization: '/protocol/openid-connect/auth',
  token: '/protocol/openid-connect/token',
  userinfo: '/protocol/openid-connect/userinfo',
  jwks: '/protocol/openid-connect/certs',
  revocation: '/protocol/openid-connect/revoke',
  introspection: '/protocol/openid-connect/token/introspect',
  end_session: '/protocol/openid-connect/logout',
} as const;

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// Nothing in oidc-provider makes these mandatory in the code flow; the real provider rejects
// requests without them, so the simulator must too (the error is redirected with state and iss).
function required(name: string) {
  return (_ctx: KoaContextWithOIDC, value: string | undefined): void => {
    if (!value) throw new errors.InvalidRequest(`${name} is required`);
  };
}

// A browser session reused with another login_hint would silently keep the previous person:
// ask for a new login when the hint names someone else.
function loginPolicy(personas: PersonaDirectory): ReturnType<typeof interactionPolicy.base> {
  const { Check, base } = interactionPolicy;
  const policy = base();
  policy.get('login')!.checks.add(
    new Check('login_hint_mismatch', 'login_hint names another person', (ctx: KoaContextWithOIDC) => {
      const hint = ctx.oidc.params?.login_hint as string | undefined;
      // an unknown hint also prompts, so that it ends in access_denied rather than the old session
      if (hint && personas.byId(hint)?.subject !== ctx.oidc.session?.accountId) return Check.REQUEST_PROMPT;
      return Check.NO_NEED_TO_PROMPT;
    }),
  );
  return policy;
}

export function providerConfiguration(s: ProviderSettings): Configuration {
  const nativeRedirect = s.redirectUris.some((uri) => !/^https?:/.test(uri));
  return {
    adapter: s.adapter,
    clients: [
      {
        client_id: s.clientId,
        // custom-scheme redirect URIs are only accepted for native clients
        application_type: nativeRedirect ? 'native' : 'web',
        redirect_uris: s.redirectUris,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'ES256',
        id_token_signed_response_alg: 'ES256',
        jwks: s.clientJwks,
      },
      {
        // the Mynaportal simulator's own credentials for token introspection
        client_id: s.introspection.clientId,
        client_secret: s.introspection.clientSecret,
        grant_types: [],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    // the provider signs with one ES256 key only, so no client may default to RS256
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    jwks: { keys: [s.signingKey] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    routes: KEYCLOAK_ROUTES,
    responseTypes: ['code'],
    scopes: ['openid', 'name', 'address', 'birthdate', 'gender'],
    claims: {
      openid: ['sub'],
      name: ['name'],
      address: ['address'],
      birthdate: ['birthdate'],
      gender: ['gender'],
    },
    // Keycloak puts the requested claims in the ID token too
    conformIdTokenClaims: false,
    extraParams: { state: required('state'), nonce: required('nonce') },
    pkce: { required: () => true },
    // the default 15 s would keep a 2 s test token alive for 17 s
    clockTolerance: 0,
    features: {
      devInteractions: { enabled: false },
      revocation: {
        enabled: true,
        // a client revokes only its own tokens
        allowedPolicy: async (_ctx, client, token) => {
          if (token.clientId !== client.clientId) {
            throw new errors.InvalidRequest('client is not authorized to revoke the presented token');
          }
          return true;
        },
      },
      introspection: {
        enabled: true,
        // the Mynaportal backend (resource server) may ask about any token, a client about its own
        allowedPolicy: async (_ctx, client, token) =>
          client.clientId === s.introspection.clientId || token.clientId === client.clientId,
      },
      resourceIndicators: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      rpInitiatedLogout: { enabled: true },
    },
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
      policy: loginPolicy(s.personas),
    },
    // a refresh token on every code exchange, not only with offline_access
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    // tokens outlive the browser session, as the app keeps them for months
    expiresWithSession: async () => false,
    ttl: {
      // read at issue time, so tests can change it while the simulator runs (setAccessTokenTtl)
      AccessToken: () => s.accessTokenTtl,
      RefreshToken: s.refreshTokenTtl,
      IdToken: s.idTokenTtl,
      AuthorizationCode: s.authorizationCodeTtl,
      Interaction: 600,
      Session: 24 * 3600,
      Grant: Math.max(s.refreshTokenTtl, 30 * 24 * 3600),
    },
    renderError: async (ctx, out) => {
      // the provider's own page, minus its external font; drive-login.ts reads the <pre> lines
      const lines = Object.entries(out).map(
        ([k, v]) => `<pre>${escapeHtml(k)}: ${escapeHtml(String(v))}</pre>`,
      );
      ctx.type = 'html';
      ctx.body = `<!doctype html><html lang="ja"><meta charset="utf-8"><title>エラー</title><h1>エラーが発生しました</h1>${lines.join('')}</html>`;
    },
    findAccount: async (_ctx, sub) => {
      const persona = s.personas.bySubject(sub);
      if (!persona) return undefined;
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          name: persona.name,
          address: persona.address,
          birthdate: persona.birthdate,
          gender: persona.gender,
        }),
      };
    },
  };
}
