import Fastify, { type FastifyRequest } from 'fastify';
import { baseUrl } from '../shared/http.js';
import { registerApiRoutes, type ApiState } from './api-routes.js';
import { registerControlRoutes } from './control-routes.js';
import { applyFaults, mergeFaults, noFaults, type MynaportalFaults } from './faults.js';
import { SsoSessions } from './sso.js';
import {
  introspectionVerifier,
  type AccessTokenVerifier,
  type IntrospectionSettings,
} from './token-verifier.js';
import { sendWebhook, type WebhookDelivery } from './webhook.js';

export const DEFAULT_WEBHOOK_URL = 'http://127.0.0.1:3000/v1/webhooks/push';
export const DEFAULT_WEBHOOK_SECRET = 'dev-webhook-secret';

export interface MynaportalSimulatorOptions {
  port?: number;
  host?: string;
  publicUrl?: string;
  /**
   * How bearer tokens are checked: in-process (`oidcSimulator.verifyAccessToken`, used when both
   * run in one process) or by introspection at the provider.
   */
  verifyAccessToken?: AccessTokenVerifier;
  introspection?: IntrospectionSettings;
  webhookUrl?: string;
  /** one secret, or several during a rotation (each gives a `v1=`) */
  webhookSecret?: string | string[];
}

export interface MynaportalStats {
  /** API requests that reached the simulator, by route (`GET /api/v1/notices`) */
  requests: Record<string, number>;
  /** The X-Request-Id of the last 100 API requests that carried one, oldest first. */
  requestIds: string[];
}

export interface MynaportalSimulator {
  url: string;
  faults(): MynaportalFaults;
  setFaults(patch: Partial<MynaportalFaults>): MynaportalFaults;
  /** clears faults, read marks, SSO sessions and stats */
  reset(): void;
  stats(): MynaportalStats;
  /** signs and sends a push webhook to the configured BFF URL */
  push(body: unknown): Promise<WebhookDelivery>;
  close(): Promise<void>;
}

export async function startMynaportalSimulator(
  options: MynaportalSimulatorOptions,
): Promise<MynaportalSimulator> {
  const verify =
    options.verifyAccessToken ??
    (options.introspection ? introspectionVerifier(options.introspection) : undefined);
  if (!verify) throw new Error('Mynaportal simulator: give verifyAccessToken or introspection settings');
  const host = options.host ?? '127.0.0.1';
  const webhookUrl = options.webhookUrl ?? DEFAULT_WEBHOOK_URL;
  const webhookSecret = options.webhookSecret ?? DEFAULT_WEBHOOK_SECRET;

  let faults = noFaults();
  let stats: MynaportalStats = { requests: {}, requestIds: [] };
  const self = { url: '' };
  const state: ApiState = { verify, read: new Map(), sso: new SsoSessions(() => self.url) };
  // hung and idle keep-alive connections must not keep close() waiting
  // ids as long as the BFF accepts (128) reach the route (Fastify's default limit, 100, answers 414)
  const app = Fastify({
    logger: false,
    forceCloseConnections: true,
    routerOptions: { maxParamLength: 1024 },
  });

  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/')) return;
    const key = `${request.method} ${request.routeOptions.url ?? 'unknown'}`;
    stats.requests[key] = (stats.requests[key] ?? 0) + 1;
    const requestId = request.headers['x-request-id'];
    if (typeof requestId === 'string') stats.requestIds = [...stats.requestIds.slice(-99), requestId];
    return applyFaults(faults, request, reply);
  });
  registerApiRoutes(app, state);
  app.get('/sso/login', async (request: FastifyRequest<{ Querystring: { session?: string } }>, reply) => {
    const { status, html } = state.sso.consume(request.query.session);
    return reply.code(status).type('text/html; charset=utf-8').send(html);
  });
  registerControlRoutes(app, {
    get: () => faults,
    set: (patch) => (faults = mergeFaults(faults, patch)),
    reset: () => sim.reset(),
    stats: () => stats,
    push: (body) => sim.push(body),
  });

  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  self.url = (options.publicUrl ?? baseUrl('http', host, port)).replace(/\/$/, '');
  const url = self.url;

  const sim: MynaportalSimulator = {
    url,
    faults: () => ({ ...faults }),
    setFaults: (patch) => (faults = mergeFaults(faults, patch)),
    reset: () => {
      faults = noFaults();
      stats = { requests: {}, requestIds: [] };
      state.read.clear();
      state.sso.clear();
    },
    stats: () => structuredClone(stats),
    push: (body) => sendWebhook(webhookUrl, body, webhookSecret),
    close: () => app.close(),
  };
  return sim;
}
