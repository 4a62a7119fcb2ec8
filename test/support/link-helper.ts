import { randomBytes } from 'node:crypto';
import { driveLogin } from '../simulators/oidc/drive-login';
import type { TestApp } from './test-app';

export interface LinkedDevice {
  sessionToken: string;
  userId: string;
  deviceId: string;
}

export interface LinkOptions {
  deviceId?: string;
  platform?: 'ios' | 'android';
}

/**
 * Links a device for a simulator persona through the real routes, as the app does:
 * POST /v1/link/start → login at the OIDC simulator (login_hint=persona) → POST /v1/link/complete.
 * The app must have been started with OIDC_ISSUER pointing at a running OIDC simulator.
 */
export async function linkDevice(
  testApp: Pick<TestApp, 'app'>,
  persona: string,
  options: LinkOptions = {},
): Promise<LinkedDevice> {
  const fastify = testApp.app.getHttpAdapter().getInstance();
  const deviceId = options.deviceId ?? `dev-${randomBytes(6).toString('hex')}`;
  const start = await fastify.inject({
    method: 'POST',
    url: '/v1/link/start',
    payload: { deviceId, platform: options.platform ?? 'ios' },
  });
  if (start.statusCode !== 201) throw new Error(`link start answered ${start.statusCode}: ${start.body}`);
  const { authorizationUrl } = start.json<{ authorizationUrl: string }>();
  const login = await driveLogin(authorizationUrl, persona);
  const complete = await fastify.inject({
    method: 'POST',
    url: '/v1/link/complete',
    payload: { state: login.state, code: login.code, deviceId },
  });
  if (complete.statusCode !== 201) {
    throw new Error(`link complete answered ${complete.statusCode}: ${complete.body}`);
  }
  const { sessionToken, userId } = complete.json<{ sessionToken: string; userId: string }>();
  return { sessionToken, userId, deviceId };
}
