import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import {
  startMynaportalSimulator,
  type MynaportalSimulator,
} from '../simulators/mynaportal/mynaportal-simulator';
import { startOidcSimulator, type OidcSimulator } from '../simulators/oidc/oidc-simulator';
import { linkDevice, type LinkedDevice } from '../support/link-helper';
import { startTestApp, type TestApp } from '../support/test-app';

/** The OIDC and Mynaportal simulators and the real app wired to them. */
export interface ContentStack {
  oidc: OidcSimulator;
  portal: MynaportalSimulator;
  app: TestApp;
  link(persona: string): Promise<LinkedDevice>;
  /** An injected GET with the session (`Authorization: DPoP`) and a fresh proof by its key. */
  get(path: string, session: LinkedDevice, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function startContentStack(
  env: Record<string, string> = {},
  oidcOptions: { accessTokenTtl?: number } = {},
): Promise<ContentStack> {
  const oidc = await startOidcSimulator({
    clientJwks: JSON.parse(process.env.TEST_OIDC_CLIENT_PUBLIC_JWK!) as never,
    ...oidcOptions,
  });
  const portal = await startMynaportalSimulator({ verifyAccessToken: oidc.verifyAccessToken });
  const app = await startTestApp({
    env: { OIDC_ISSUER: oidc.issuer, MYNAPORTAL_BASE_URL: portal.url, ...env },
  });
  const fastify = app.app.getHttpAdapter().getInstance();
  const inject = (options: InjectOptions): Promise<LightMyRequestResponse> => fastify.inject(options);
  return {
    oidc,
    portal,
    app,
    link: (persona) => linkDevice(app, persona),
    inject,
    get: async (path, session, headers = {}) =>
      inject({ method: 'GET', url: path, headers: { ...(await session.auth('GET', path)), ...headers } }),
    close: async () => {
      await app.close();
      await portal.close();
      await oidc.close();
    },
  };
}
