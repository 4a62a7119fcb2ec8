import { createHash } from 'node:crypto';
import {
  startMynaportalSimulator,
  type MynaportalSimulator,
} from '../simulators/mynaportal/mynaportal-simulator';
import { startOidcSimulator, type OidcSimulator } from '../simulators/oidc/oidc-simulator';
import { startTestApp, type TestApp } from '../support/test-app';
import { Credentials } from './credentials';
import { fuzzOperations, summarize, type RouteReport } from './fuzz-runner';
import { listOperations, type OpenApiDocument } from './openapi-operations';
import { send } from './http-client';

/**
 * The generated fuzzer over every operation of the served OpenAPI document (see test/fuzz/README.md).
 * Fixed seed, a modest count per route so `npm test` stays quick; `npm run fuzz` runs ≥ 10,000 per
 * route against a running system. FUZZ_SEED / FUZZ_CASES override both here.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const CASES = Number(process.env.FUZZ_CASES ?? 200);
const WEBHOOK_SECRET = 'fuzz-webhook-secret';
const ADMIN_TOKEN = 'fuzz-admin-token';

describe('generated fuzzing of every documented operation', () => {
  let oidc: OidcSimulator;
  let portal: MynaportalSimulator;
  let app: TestApp;
  let reports: RouteReport[];

  beforeAll(async () => {
    oidc = await startOidcSimulator({
      clientJwks: JSON.parse(process.env.TEST_OIDC_CLIENT_PUBLIC_JWK!) as never,
    });
    portal = await startMynaportalSimulator({ verifyAccessToken: oidc.verifyAccessToken });
    app = await startTestApp({
      listen: true,
      env: {
        OIDC_ISSUER: oidc.issuer,
        MYNAPORTAL_BASE_URL: portal.url,
        // the fuzzer re-links whenever a generated DELETE /v1/link ended its session
        LINK_RATE_LIMIT_PER_IP: '100000',
        LINK_RATE_LIMIT_PER_DEVICE: '100000',
        RATE_LIMIT_PER_IP: '100000',
        RATE_LIMIT_PER_SESSION: '100000',
        LOG_LEVEL: 'warn',
        // signed webhooks and operator calls get past authentication, so their bodies and
        // parameters are fuzzed too (the campaigns they create are never sent: no worker role here)
        APP_ROLE: 'api',
        WEBHOOK_SECRETS: WEBHOOK_SECRET,
        ADMIN_TOKENS: `fuzz:${createHash('sha256').update(ADMIN_TOKEN).digest('hex')}`,
      },
    });
  });
  afterAll(async () => {
    await app.close();
    await portal.close();
    await oidc.close();
  });

  it(`answers ${CASES} generated requests per route without a 5xx, each error a problem+json 4xx with X-Request-Id`, async () => {
    const doc = JSON.parse(
      (await send(app.url, { method: 'GET', target: '/docs/openapi.json', headers: {} })).body,
    ) as OpenApiDocument;
    const only = process.env.FUZZ_ONLY ? new RegExp(process.env.FUZZ_ONLY) : undefined;
    const operations = listOperations(doc).filter((o) => !only || only.test(`${o.method} ${o.path}`));
    process.stdout.write(`fuzzing ${operations.map((o) => `${o.method} ${o.path}`).join(', ')}\n`);
    if (!only) expect(operations.length).toBeGreaterThanOrEqual(12);
    const credentials = new Credentials({
      baseUrl: app.url,
      persona: 'sato-hanako',
      webhookSecret: WEBHOOK_SECRET,
      adminToken: ADMIN_TOKEN,
    });
    reports = await fuzzOperations({
      baseUrl: app.url,
      operations,
      credentials,
      casesPerRoute: CASES,
      seed: SEED,
    });
    process.stdout.write(`fuzz (seed ${SEED}):\n${summarize(reports)}\n`);
    for (const report of reports) expect(report.cases).toBe(CASES);
    expect(reports.flatMap((r) => r.failures)).toEqual([]);
    // the session routes were reached with a live session, not only refused
    const notices = reports.find((r) => r.route === 'GET /v1/notices');
    expect(notices?.statuses['200']).toBeGreaterThan(0);
    // and the process survived all of it
    expect((await send(app.url, { method: 'GET', target: '/health/live', headers: {} })).status).toBe(200);
  }, 600_000);
});
