import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { DEV_WEBHOOK_SECRET, devAdminTokens, devBanner } from './dev-banner.js';
import { startFcmSimulator } from './fcm/fcm-simulator.js';
import { startMynaportalSimulator } from './mynaportal/mynaportal-simulator.js';
import { generateClientKeys } from './oidc/client-keys.js';
import { DEFAULT_REDIRECT_URI, startOidcSimulator } from './oidc/oidc-simulator.js';
import { envInt, envList, envString } from './shared/env.js';

/**
 * `npm run dev`: the three simulators in this process on fixed ports, then the BFF's migrations,
 * API and worker as child processes wired to them. Development settings only.
 */
const ROOT = resolve(__dirname, '../../..');
const APP_ENTRY = resolve(ROOT, 'dist/main.js');
const MIGRATE_ENTRY = resolve(ROOT, 'dist/database/migrate.js');
const FCM_PROJECT_ID = 'myna-dev';

async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      console.log(`created database ${name}`);
    }
  } finally {
    await admin.end();
  }
}

function run(entry: string, env: NodeJS.ProcessEnv, name: string): ChildProcess {
  // process.execPath: the Node 24 that runs this script, not whatever `node` is on PATH
  const child = spawn(process.execPath, [entry], { env, stdio: 'inherit' });
  child.on('error', (err) => console.error(`[${name}] ${err.message}`));
  return child;
}

function exited(child: ChildProcess): Promise<number> {
  return new Promise((done) => child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0))));
}

async function main(): Promise<void> {
  const apiPort = envInt('PORT', 3000);
  const workerPort = envInt('WORKER_PORT', apiPort + 1);
  const keys = generateClientKeys('myna-bff-dev');
  const redirectUri = envString('OIDC_REDIRECT_URI', DEFAULT_REDIRECT_URI);

  const oidc = await startOidcSimulator({
    port: envInt('SIM_OIDC_PORT', 4010),
    clientJwks: keys.publicJwk,
    redirectUris: envList('SIM_OIDC_REDIRECT_URIS', [redirectUri]),
    accessTokenTtl: envInt('SIM_OIDC_ACCESS_TOKEN_TTL', 300),
    refreshTokenTtl: envInt('SIM_OIDC_REFRESH_TOKEN_TTL', 3600),
  });
  const portal = await startMynaportalSimulator({
    port: envInt('SIM_MYNAPORTAL_PORT', 4020),
    verifyAccessToken: oidc.verifyAccessToken,
    webhookUrl: envString('SIM_WEBHOOK_URL', `http://127.0.0.1:${apiPort}/v1/webhooks/push`),
    webhookSecret: envString('SIM_WEBHOOK_SECRET', DEV_WEBHOOK_SECRET),
  });
  const fcm = await startFcmSimulator({ port: envInt('SIM_FCM_PORT', 4030), projectId: FCM_PROJECT_ID });
  const closeSimulators = (): Promise<unknown> =>
    Promise.allSettled([oidc.close(), portal.close(), fcm.close()]);

  const databaseUrl = envString('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/myna_dev');
  await ensureDatabase(databaseUrl);

  const env: NodeJS.ProcessEnv = {
    // development defaults, which the caller's environment may override
    DATABASE_URL: databaseUrl,
    REDIS_URL: 'redis://127.0.0.1:6379',
    PUBLIC_BASE_URL: `http://localhost:${apiPort}`,
    // the webhook secret and admin token (operator `dev`) printed in the banner
    WEBHOOK_SECRETS: DEV_WEBHOOK_SECRET,
    ADMIN_TOKENS: devAdminTokens(),
    // coloured one-line logs marked [api] / [worker] (pino-pretty); LOG_PRETTY=false for JSON lines
    LOG_PRETTY: 'true',
    OIDC_ALLOW_INSECURE_HTTP: 'true',
    // fixed, so tokens stored in myna_dev stay readable across restarts
    TOKEN_ENCRYPTION_KEYS: `dev:${createHash('sha256').update('myna-bff development only').digest('base64')}`,
    TOKEN_ENCRYPTION_ACTIVE_KEY_ID: 'dev',
    ...process.env,
    // the wiring to the simulators started above always wins
    NODE_ENV: 'development',
    PORT: String(apiPort),
    OIDC_ISSUER: oidc.issuer,
    OIDC_CLIENT_ID: oidc.clientId,
    OIDC_CLIENT_PRIVATE_JWK: JSON.stringify(keys.privateJwk),
    OIDC_REDIRECT_URI: redirectUri,
    MYNAPORTAL_BASE_URL: portal.url,
    FCM_PROJECT_ID,
    FCM_SIMULATOR_URL: fcm.url,
    FCM_SIMULATOR_CA: fcm.ca,
  };

  if (existsSync(MIGRATE_ENTRY)) {
    const code = await exited(run(MIGRATE_ENTRY, env, 'migrate'));
    if (code !== 0) {
      await closeSimulators();
      throw new Error(`migrations failed (exit ${code})`);
    }
  }

  const children = [
    run(APP_ENTRY, { ...env, APP_ROLE: 'api' }, 'api'),
    // the worker serves its own health and metrics, so it needs a port of its own
    run(APP_ENTRY, { ...env, APP_ROLE: 'worker', PORT: String(workerPort) }, 'worker'),
  ];

  console.log(
    devBanner({
      apiPort,
      workerPort,
      oidcIssuer: oidc.issuer,
      oidcUrl: oidc.url,
      portalUrl: portal.url,
      fcmUrl: fcm.url,
      fcmProjectId: FCM_PROJECT_ID,
    }),
  );

  let stopping = false;
  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode === null ? exited(c) : Promise.resolve(c.exitCode))));
    await closeSimulators();
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
  // one role dying takes the stack down: a half-running stack misleads
  for (const [i, child] of children.entries()) {
    void exited(child).then((code) => {
      if (!stopping) console.error(`${i === 0 ? 'api' : 'worker'} exited with ${code}; stopping the stack`);
      return stop(code === 0 ? 1 : code);
    });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
