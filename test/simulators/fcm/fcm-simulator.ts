import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import { baseUrl, closeServer, listen, readJson, sendJson, sleep } from '../shared/http.js';
import { generateSimulatorCertificate, type SimulatorCertificate } from './certificate.js';
import * as errors from './fcm-errors.js';
import { FcmStats, type FcmStatsReport } from './fcm-stats.js';
import { validateSendRequest } from './validate-message.js';

/** The bearer token the simulator accepts; the BFF's simulator credential returns it. */
export const DEV_FCM_ACCESS_TOKEN = 'dev-fcm-access-token';

export interface FcmSimulatorOptions {
  port?: number;
  host?: string;
  /** when set, other projects are refused (403) */
  projectId?: string;
  accessToken?: string;
  latencyMs?: number;
  /** messages per second before 429 QUOTA_EXCEEDED (0 = unlimited) */
  quotaPerSecond?: number;
  /** seconds in the Retry-After of a 429 (default 1) */
  retryAfterSeconds?: number;
  /** FCM down: every send answers 503 UNAVAILABLE */
  down?: boolean;
  /** reuse a certificate (e.g. across restarts); a fresh one is generated otherwise */
  tls?: SimulatorCertificate;
}

export interface FcmSettings {
  latencyMs: number;
  quotaPerSecond: number;
  retryAfterSeconds: number;
  down: boolean;
}

export interface FcmSimulator {
  /** https://127.0.0.1:<port> */
  url: string;
  /** PEM of the self-signed certificate: the client's only trusted CA for the simulator */
  ca: string;
  stats(): FcmStatsReport;
  reset(): void;
  settings(): FcmSettings;
  configure(patch: Partial<FcmSettings>): FcmSettings;
  close(): Promise<void>;
}

const SEND_PATH = /^\/v1\/projects\/([^/]+)\/messages:send$/;

export async function startFcmSimulator(options: FcmSimulatorOptions = {}): Promise<FcmSimulator> {
  const host = options.host ?? '127.0.0.1';
  const accessToken = options.accessToken ?? DEV_FCM_ACCESS_TOKEN;
  const tls = options.tls ?? (await generateSimulatorCertificate());
  const initial = (): FcmSettings => ({
    latencyMs: options.latencyMs ?? 0,
    quotaPerSecond: options.quotaPerSecond ?? 0,
    retryAfterSeconds: options.retryAfterSeconds ?? 1,
    down: options.down ?? false,
  });
  let settings = initial();
  const stats = new FcmStats();
  // fixed one-second windows, like a per-second quota
  let window = { second: 0, used: 0 };

  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    void route(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, errors.badRequest(`Invalid JSON payload received. ${String(err)}`));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://sim');
    if (url.pathname.startsWith('/__control')) return control(req, res, url);
    const match = SEND_PATH.exec(url.pathname);
    if (!match || req.method !== 'POST') return send(res, errors.notFound());

    if (settings.latencyMs > 0) await sleep(settings.latencyMs);
    if (settings.down) {
      stats.refused();
      return send(res, errors.unavailable());
    }
    if (req.headers.authorization !== `Bearer ${accessToken}`) return send(res, errors.unauthenticated());
    const project = decodeURIComponent(match[1]);
    if (options.projectId && project !== options.projectId)
      return send(res, errors.permissionDenied(project));

    const checked = validateSendRequest(await readJson(req));
    if ('status' in checked) return send(res, checked);
    if (checked.validateOnly)
      return sendJson(res, 200, { name: `projects/${project}/messages/fake_message_id` });

    const key =
      checked.target.kind === 'token'
        ? checked.target.token
        : `${checked.target.kind}:${checked.target.value}`;
    stats.received(key);
    const second = Math.floor(Date.now() / 1000);
    if (window.second !== second) window = { second, used: 0 };
    if (settings.quotaPerSecond > 0 && window.used >= settings.quotaPerSecond) {
      return send(res, errors.quotaExceeded(settings.retryAfterSeconds), key);
    }
    window.used += 1;

    const failure = checked.target.kind === 'token' ? outcomeFor(checked.target.token, stats) : undefined;
    if (failure) return send(res, failure, key);
    stats.succeeded(key);
    sendJson(res, 200, { name: `projects/${project}/messages/${randomBytes(8).toString('hex')}` });
  }

  function send(res: ServerResponse, error: errors.FcmError, key?: string): void {
    if (key) stats.failed(key, error.body.error.status);
    sendJson(res, error.status, error.body, error.headers);
  }

  async function control(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname.replace(/\/$/, '');
    if (path === '/__control/stats' && req.method === 'GET') {
      return sendJson(res, 200, stats.report(url.searchParams.get('summary') === 'true'));
    }
    if (path === '/__control/reset' && req.method === 'POST') {
      sim.reset();
      return sendJson(res, 200, settings);
    }
    if (path === '/__control' && req.method === 'GET') return sendJson(res, 200, settings);
    if (path === '/__control' && (req.method === 'PUT' || req.method === 'POST')) {
      const patch = (await readJson(req)) as Partial<FcmSettings>;
      return sendJson(res, 200, sim.configure(patch));
    }
    sendJson(res, 404, { error: 'not_found' });
  }

  const address = await listen(server, options.port ?? 0, host);
  const sim: FcmSimulator = {
    url: baseUrl('https', host, address.port),
    ca: tls.cert,
    stats: () => stats.report(false),
    reset: () => {
      stats.clear();
      window = { second: 0, used: 0 };
      settings = initial();
    },
    settings: () => ({ ...settings }),
    configure: (patch) => {
      const num = (v: unknown, current: number): number =>
        v === undefined ? current : Math.max(0, Number(v));
      settings = {
        latencyMs: num(patch.latencyMs, settings.latencyMs),
        quotaPerSecond: num(patch.quotaPerSecond, settings.quotaPerSecond),
        retryAfterSeconds: num(patch.retryAfterSeconds, settings.retryAfterSeconds),
        down: patch.down === undefined ? settings.down : patch.down === true,
      };
      return { ...settings };
    },
    close: () => closeServer(server),
  };
  return sim;
}

/** The outcome a token's prefix asks for; undefined means success. */
function outcomeFor(token: string, stats: FcmStats): errors.FcmError | undefined {
  if (token.startsWith('dead-')) return errors.unregistered();
  if (token.startsWith('invalid-')) return errors.invalidToken();
  if (token.startsWith('mismatch-')) return errors.senderIdMismatch();
  if (token.startsWith('unavailable-')) return errors.unavailable();
  if (token.startsWith('internal-')) return errors.internal();
  // the first attempt of a flaky token fails, any retry succeeds
  if (token.startsWith('flaky-') && stats.count(token) === 1) return errors.unavailable();
  return undefined;
}
