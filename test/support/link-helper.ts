import { randomBytes } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { driveLogin } from '../simulators/oidc/drive-login';
import { DpopClient, type DpopHeaders } from './dpop-client';
import type { TestApp } from './test-app';

export interface LinkedDevice {
  sessionToken: string;
  userId: string;
  deviceId: string;
  /** The device's DPoP key: every session call is signed by it. */
  key: DpopClient;
  /** `authorization: DPoP <token>` and a fresh proof for one injected call (path may carry a query). */
  auth(method: string, path: string): Promise<DpopHeaders>;
}

export interface LinkOptions {
  deviceId?: string;
  platform?: 'ios' | 'android';
  /** The device key; default a new one (a fresh installation). */
  key?: DpopClient;
}

type AppLike = Pick<TestApp, 'app' | 'config'>;

/** The DPoP headers for an injected call to `app` (htu = its PUBLIC_BASE_URL + the path). */
export function dpopHeaders(
  testApp: AppLike,
  key: DpopClient,
  method: string,
  path: string,
  sessionToken?: string,
): Promise<DpopHeaders> {
  return key.injectHeaders(testApp.config.app.publicBaseUrl, method, path, sessionToken);
}

/** fastify.inject with a fresh DPoP proof by `key` (and the session, when given). */
export async function injectWithDpop(
  testApp: AppLike,
  key: DpopClient,
  options: InjectOptions & { method: string; url: string },
  sessionToken?: string,
): Promise<LightMyRequestResponse> {
  const headers = await dpopHeaders(testApp, key, options.method, options.url, sessionToken);
  const res = await testApp.app
    .getHttpAdapter()
    .getInstance()
    .inject({ ...options, headers: { ...headers, ...(options.headers as Record<string, string>) } });
  key.observe(res.headers);
  return res;
}

/** The session of a linked device, ready to sign calls. */
export function linkedDevice(
  testApp: AppLike,
  fields: { sessionToken: string; userId: string; deviceId: string; key: DpopClient },
): LinkedDevice {
  return {
    ...fields,
    auth: (method, path) => dpopHeaders(testApp, fields.key, method, path, fields.sessionToken),
  };
}

/**
 * Links a device for a simulator persona through the real routes, as the app does:
 * POST /v1/link/start → login at the OIDC simulator (login_hint=persona) → POST /v1/link/complete,
 * both signed by the device's DPoP key. The app must have been started with OIDC_ISSUER pointing at
 * a running OIDC simulator.
 */
export async function linkDevice(
  testApp: AppLike,
  persona: string,
  options: LinkOptions = {},
): Promise<LinkedDevice> {
  const key = options.key ?? (await DpopClient.create());
  const deviceId = options.deviceId ?? `dev-${randomBytes(6).toString('hex')}`;
  const start = await injectWithDpop(testApp, key, {
    method: 'POST',
    url: '/v1/link/start',
    payload: { deviceId, platform: options.platform ?? 'ios' },
  });
  if (start.statusCode !== 201) throw new Error(`link start answered ${start.statusCode}: ${start.body}`);
  const { authorizationUrl } = start.json<{ authorizationUrl: string }>();
  const login = await driveLogin(authorizationUrl, persona);
  const complete = await injectWithDpop(testApp, key, {
    method: 'POST',
    url: '/v1/link/complete',
    payload: { state: login.state, code: login.code, deviceId },
  });
  if (complete.statusCode !== 201) {
    throw new Error(`link complete answered ${complete.statusCode}: ${complete.body}`);
  }
  const { sessionToken, userId } = complete.json<{ sessionToken: string; userId: string }>();
  return linkedDevice(testApp, { sessionToken, userId, deviceId, key });
}
