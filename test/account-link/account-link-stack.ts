import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { Client } from 'pg';
import {
  startMynaportalSimulator,
  type MynaportalSimulator,
} from '../simulators/mynaportal/mynaportal-simulator';
import {
  startOidcSimulator,
  type OidcSimulator,
  type OidcSimulatorOptions,
} from '../simulators/oidc/oidc-simulator';
import { startTestApp, type TestApp } from '../support/test-app';
import type { DpopClient } from '../support/dpop-client';
import { injectWithDpop, type LinkedDevice } from '../support/link-helper';
import { TokenCipher } from '../../src/common/crypto/token-cipher';
import { loadConfig } from '../../src/config/load-config';

export interface LinkStack {
  oidc: OidcSimulator;
  portal: MynaportalSimulator;
  apps: TestApp[];
  app: TestApp;
  db: Client;
  inject(options: InjectOptions, appIndex?: number): Promise<LightMyRequestResponse>;
  /** An injected request signed by `key` (and with the session, when given). */
  injectDpop(
    key: DpopClient,
    options: InjectOptions & { method: string; url: string },
    sessionToken?: string,
    appIndex?: number,
  ): Promise<LightMyRequestResponse>;
  /** An injected session call of a linked device: `Authorization: DPoP` and a proof by its key. */
  as(
    device: LinkedDevice,
    options: InjectOptions & { method: string; url: string },
    appIndex?: number,
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The provider and Mynaportal simulators, one or more app instances on the run's database, and a pg client. */
export async function startLinkStack(
  options: { apps?: number; env?: Record<string, string>; oidc?: Partial<OidcSimulatorOptions> } = {},
): Promise<LinkStack> {
  const oidc = await startOidcSimulator({
    clientJwks: JSON.parse(process.env.TEST_OIDC_CLIENT_PUBLIC_JWK!) as never,
    ...options.oidc,
  });
  const portal = await startMynaportalSimulator({ verifyAccessToken: oidc.verifyAccessToken });
  const apps: TestApp[] = [];
  for (let i = 0; i < (options.apps ?? 1); i++) {
    apps.push(
      await startTestApp({
        env: {
          OIDC_ISSUER: oidc.issuer,
          MYNAPORTAL_BASE_URL: portal.url,
          OIDC_TIMEOUT_MS: '1000',
          ...options.env,
        },
      }),
    );
  }
  const db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  return {
    oidc,
    portal,
    apps,
    app: apps[0],
    db,
    inject: (injectOptions, appIndex = 0) =>
      apps[appIndex].app.getHttpAdapter().getInstance().inject(injectOptions),
    injectDpop: (key, injectOptions, sessionToken, appIndex = 0) =>
      injectWithDpop(apps[appIndex], key, injectOptions, sessionToken),
    as: (device, injectOptions, appIndex = 0) =>
      injectWithDpop(apps[appIndex], device.key, injectOptions, device.sessionToken),
    close: async () => {
      await db.end();
      for (const app of apps) await app.close();
      await portal.close();
      await oidc.close();
    },
  };
}

/** The app's cipher with this run's keys, to read what the app stored. */
export function testCipher(): TokenCipher {
  const config = loadConfig(process.env);
  return new TokenCipher({ get: () => config.tokenEncryption } as never);
}
