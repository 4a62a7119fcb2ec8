import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import { alignStructuredCloneRealm } from '../shared/jest-realm.js';
import { baseUrl, closeServer, listen, readJson, sendJson, sleep } from '../shared/http.js';
import { generateClientKeys, type EcJwk } from './client-keys.js';
import { handleInteraction } from './interaction.js';
import { createMemoryStore } from './memory-adapter.js';
import { providerConfiguration } from './provider-config.js';

export const REALM_PATH = '/api/realms/main';
export const DEFAULT_REDIRECT_URI = 'https://app.myna.example/link/callback';

export interface OidcSimulatorOptions {
  port?: number;
  host?: string;
  /** externally visible base URL, when it differs from http://host:port */
  publicUrl?: string;
  clientId?: string;
  /** the BFF client's public key(s), as registered with the real provider */
  clientJwks: { keys: EcJwk[] } | EcJwk;
  redirectUris?: string[];
  /** seconds */
  accessTokenTtl?: number;
  refreshTokenTtl?: number;
  idTokenTtl?: number;
  /** credentials the Mynaportal simulator uses at the introspection endpoint */
  introspectionClient?: { clientId: string; clientSecret: string };
}

export type OidcDownMode = 'refuse' | '503' | 'hang';

export interface OidcFaults {
  down: OidcDownMode | null;
  latencyMs: number;
}

export interface OidcStats {
  /** token-endpoint requests by grant_type, successful or not */
  token: Record<string, number>;
  authorization: number;
  revocation: number;
  introspection: number;
  userinfo: number;
}

export interface AccessTokenInfo {
  sub: string;
  clientId: string;
  scope: string;
  exp: number;
}

export interface OidcSimulator {
  url: string;
  issuer: string;
  clientId: string;
  introspectionClient: { clientId: string; clientSecret: string };
  provider: Provider;
  stats(): OidcStats;
  resetStats(): void;
  setFaults(faults: Partial<OidcFaults>): OidcFaults;
  resetFaults(): void;
  /** In-process check of an access token: null when unknown, expired or revoked. */
  verifyAccessToken(token: string): Promise<AccessTokenInfo | null>;
  close(): Promise<void>;
}

export const DEFAULT_INTROSPECTION_CLIENT = {
  clientId: 'mynaportal-backend',
  clientSecret: 'mynaportal-introspection-dev-secret',
};

const emptyStats = (): OidcStats => ({
  token: {},
  authorization: 0,
  revocation: 0,
  introspection: 0,
  userinfo: 0,
});

export async function startOidcSimulator(options: OidcSimulatorOptions): Promise<OidcSimulator> {
  const host = options.host ?? '127.0.0.1';
  const clientId = options.clientId ?? 'RP00000001';
  const introspectionClient = options.introspectionClient ?? DEFAULT_INTROSPECTION_CLIENT;
  alignStructuredCloneRealm();
  const jwks = options.clientJwks;
  const clientJwks =
    'keys' in jwks && Array.isArray(jwks.keys) ? { keys: jwks.keys } : { keys: [jwks as EcJwk] };
  let stats = emptyStats();
  let faults: OidcFaults = { down: null, latencyMs: 0 };
  // the provider needs the issuer, which needs the port: it is mounted once the server listens
  const mounted: { provider?: Provider; handler?: (req: IncomingMessage, res: ServerResponse) => unknown } =
    {};

  const server = createServer((req, res) => {
    void route(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error', error_description: String(err) });
      else res.destroy();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    if (url.pathname.startsWith('/__control')) return control(req, res, url);
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    if (faults.down === 'refuse') return void req.socket.destroy();
    if (faults.down === 'hang') return; // never answered; closed by reset or close()
    if (faults.down === '503') {
      return sendJson(res, 503, { error: 'temporarily_unavailable', error_description: 'simulated outage' });
    }
    if (url.pathname.startsWith('/interaction/')) return handleInteraction(mounted.provider!, req, res, url);
    if (url.pathname === REALM_PATH || url.pathname.startsWith(`${REALM_PATH}/`)) {
      // mounted like express would: the provider derives its mount path from originalUrl
      Object.assign(req, { originalUrl: req.url });
      req.url = req.url!.slice(REALM_PATH.length) || '/';
      await mounted.handler!(req, res);
      return;
    }
    sendJson(res, 404, { error: 'not_found' });
  }

  async function control(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname.replace(/\/$/, '');
    if (path === '/__control/stats' && req.method === 'GET') return sendJson(res, 200, stats);
    if (path === '/__control/stats/reset' && req.method === 'POST') {
      stats = emptyStats();
      return sendJson(res, 200, stats);
    }
    if (path === '/__control/reset' && req.method === 'POST') {
      sim.resetFaults();
      sim.resetStats();
      return sendJson(res, 200, faults);
    }
    if (path === '/__control' && req.method === 'GET') return sendJson(res, 200, faults);
    if (path === '/__control' && (req.method === 'PUT' || req.method === 'POST')) {
      const body = (await readJson(req)) as Partial<OidcFaults>;
      return sendJson(res, 200, sim.setFaults(body));
    }
    sendJson(res, 404, { error: 'not_found' });
  }

  const address = await listen(server, options.port ?? 0, host);
  const url = (options.publicUrl ?? baseUrl('http', host, address.port)).replace(/\/$/, '');
  const issuer = `${url}${REALM_PATH}`;
  const store = createMemoryStore();
  const provider = new Provider(
    issuer,
    providerConfiguration({
      clientId,
      clientJwks,
      redirectUris: options.redirectUris ?? [DEFAULT_REDIRECT_URI],
      signingKey: generateClientKeys().privateJwk,
      accessTokenTtl: options.accessTokenTtl ?? 300,
      refreshTokenTtl: options.refreshTokenTtl ?? 3600,
      idTokenTtl: options.idTokenTtl ?? 300,
      introspection: introspectionClient,
      adapter: store.factory,
    }),
  );
  provider.use(keycloakShapes(provider, () => stats));
  mounted.provider = provider;
  mounted.handler = provider.callback();

  const sim: OidcSimulator = {
    url,
    issuer,
    clientId,
    introspectionClient,
    provider,
    stats: () => structuredClone(stats),
    resetStats: () => {
      stats = emptyStats();
    },
    setFaults: (next) => {
      faults = {
        down: next.down === undefined ? faults.down : next.down,
        latencyMs: next.latencyMs === undefined ? faults.latencyMs : Number(next.latencyMs),
      };
      if (faults.down === null) server.closeIdleConnections();
      return { ...faults };
    },
    resetFaults: () => {
      faults = { down: null, latencyMs: 0 };
    },
    verifyAccessToken: async (token) => {
      const at = await provider.AccessToken.find(token);
      if (!at?.accountId || !at.grantId) return null;
      // a grant revoked by refresh-token reuse or revocation takes its access tokens with it
      const grant = await provider.Grant.find(at.grantId);
      if (!grant) return null;
      return { sub: at.accountId, clientId: at.clientId!, scope: at.scope ?? '', exp: at.exp! };
    },
    close: async () => {
      await closeServer(server);
      store.dispose();
    },
  };
  return sim;
}

/**
 * Makes the provider's answers look like Keycloak's (session_state on the authorization response,
 * refresh_expires_in on the token response) and counts requests per endpoint.
 */
function keycloakShapes(provider: Provider, stats: () => OidcStats) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> => {
    await next();
    const route = ctx.oidc?.route;
    const s = stats();
    if (route === 'token') {
      const grantType = (ctx.oidc.params?.grant_type as string | undefined) ?? 'unknown';
      s.token[grantType] = (s.token[grantType] ?? 0) + 1;
      const body = ctx.body as Record<string, unknown> | undefined;
      if (ctx.status === 200 && typeof body?.refresh_token === 'string') {
        const rt = await provider.RefreshToken.find(body.refresh_token);
        if (rt?.exp) body.refresh_expires_in = rt.exp - Math.floor(Date.now() / 1000);
      }
    } else if (route === 'authorization') s.authorization += 1;
    else if (route === 'revocation') s.revocation += 1;
    else if (route === 'introspection') s.introspection += 1;
    else if (route === 'userinfo') s.userinfo += 1;

    const location = ctx.response.get('location');
    if ((route === 'authorization' || route === 'resume') && location && ctx.oidc.session?.uid) {
      const target = new URL(location, ctx.href);
      if (target.searchParams.has('code') && !target.searchParams.has('session_state')) {
        const sid = createHash('sha256').update(ctx.oidc.session.uid).digest('hex');
        target.searchParams.set('session_state', uuidLike(sid));
        ctx.redirect(target.href);
        ctx.status = 303;
      }
    }
  };
}

const uuidLike = (hex: string): string =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
