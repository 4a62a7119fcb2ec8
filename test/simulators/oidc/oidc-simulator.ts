import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Provider from 'oidc-provider';
import { alignStructuredCloneRealm } from '../shared/jest-realm.js';
import { baseUrl, closeServer, listen, readJson, sendJson, sleep } from '../shared/http.js';
import { generateClientKeys, type EcJwk } from './client-keys.js';
import { handleInteraction } from './interaction.js';
import { keycloakShapes } from './keycloak-shapes.js';
import { createMemoryStore } from './memory-adapter.js';
import { providerConfiguration, type ProviderSettings } from './provider-config.js';
import { personaDirectory } from '../personas.js';

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
  /** seconds an authorization code stays valid; default 60 (benchmarks that pre-issue codes raise it) */
  authorizationCodeTtl?: number;
  /** also accept generated people, `login_hint=bench-<n>` (see personas.ts); default false */
  generatedPersonas?: boolean;
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
  /** Lifetime (s) of access tokens issued from now on. */
  setAccessTokenTtl(seconds: number): void;
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
  const personas = personaDirectory({ generated: options.generatedPersonas });
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
    if (faults.down === 'hang') return; // never answered: the client gives up, or close() ends it
    if (faults.down === '503') {
      return sendJson(res, 503, { error: 'temporarily_unavailable', error_description: 'simulated outage' });
    }
    if (url.pathname.startsWith('/interaction/'))
      return handleInteraction(mounted.provider!, req, res, url, personas);
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
      const body = (await readJson(req).catch(() => null)) as Partial<OidcFaults> | null;
      const problem = invalidFaults(body);
      if (problem) return sendJson(res, 400, { error: 'invalid_fault', message: problem });
      return sendJson(res, 200, sim.setFaults(body!));
    }
    sendJson(res, 404, { error: 'not_found' });
  }

  const address = await listen(server, options.port ?? 0, host);
  const url = (options.publicUrl ?? baseUrl('http', host, address.port)).replace(/\/$/, '');
  const issuer = `${url}${REALM_PATH}`;
  const store = createMemoryStore();
  const settings: ProviderSettings = {
    clientId,
    clientJwks,
    redirectUris: options.redirectUris ?? [DEFAULT_REDIRECT_URI],
    signingKey: generateClientKeys().privateJwk,
    accessTokenTtl: options.accessTokenTtl ?? 300,
    refreshTokenTtl: options.refreshTokenTtl ?? 3600,
    idTokenTtl: options.idTokenTtl ?? 300,
    authorizationCodeTtl: options.authorizationCodeTtl ?? 60,
    personas,
    introspection: introspectionClient,
    adapter: store.factory,
  };
  const provider = new Provider(issuer, providerConfiguration(settings));
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
    setAccessTokenTtl: (seconds) => {
      settings.accessTokenTtl = seconds;
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

function invalidFaults(body: Partial<OidcFaults> | null): string | undefined {
  if (body === null || typeof body !== 'object') return 'body must be a JSON object';
  if (body.down !== undefined && ![null, 'refuse', '503', 'hang'].includes(body.down)) {
    return "down must be null, 'refuse', '503' or 'hang'";
  }
  if (body.latencyMs !== undefined && !(typeof body.latencyMs === 'number' && body.latencyMs >= 0)) {
    return 'latencyMs must be a number ≥ 0';
  }
  return undefined;
}
