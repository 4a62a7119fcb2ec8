import { startTestApp, type TestApp } from '../support/test-app';
import { ADMIN_TOKEN, ADMIN_TOKEN_OLD, BOB_TOKEN, adminEnv, asAdmin } from './admin-env';

interface OpenApi {
  paths: Record<string, Record<string, unknown>>;
}

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const SAMPLE_ID = '0b5e7a4e-3f7a-4c55-9a7e-6f3d2b1c0a99';

describe('operator authentication on every /admin route', () => {
  let t: TestApp;
  let adminRoutes: { method: string; url: string }[];

  beforeAll(async () => {
    t = await startTestApp({ env: adminEnv });
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/openapi.json' })).json<OpenApi>();
    adminRoutes = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/admin'))
      .flatMap(([path, ops]) =>
        HTTP_METHODS.filter((m) => m in ops).map((method) => ({
          method: method.toUpperCase(),
          url: path.replace(/\{[^}]+\}/g, (p) => (p === '{dataset}' ? 'devices' : SAMPLE_ID)),
        })),
      );
  });
  afterAll(async () => {
    await t.close();
  });

  it('the OpenAPI document lists the admin routes', () => {
    expect(adminRoutes.length).toBeGreaterThanOrEqual(2);
    expect(adminRoutes).toContainEqual({ method: 'GET', url: '/admin/v1/system' });
  });

  const refusals: [string, Record<string, string>][] = [
    ['no Authorization header', {}],
    ['a wrong token', { authorization: 'Bearer not-an-operator-token' }],
    ['a token differing in one character', { authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}X` }],
    ['the token without the Bearer scheme', { authorization: ADMIN_TOKEN }],
    [
      'Basic credentials',
      { authorization: `Basic ${Buffer.from(`alice:${ADMIN_TOKEN}`).toString('base64')}` },
    ],
    [
      'the sha256 from config instead of the token',
      { authorization: `Bearer ${adminEnv.ADMIN_TOKENS.split(',')[0].split(':')[1]}` },
    ],
  ];

  it.each(refusals)(
    '%s → 401 ADMIN_AUTH_REQUIRED problem+json on every admin route',
    async (_label, headers) => {
      for (const route of adminRoutes) {
        const res = await t.app.inject({ method: route.method as 'GET', url: route.url, headers });
        expect({ route, status: res.statusCode }).toEqual({ route, status: 401 });
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.json<{ code: string }>().code).toBe('ADMIN_AUTH_REQUIRED');
      }
    },
  );

  it('accepts every configured token, old and new, and names the operator in the audit log', async () => {
    for (const token of [ADMIN_TOKEN, ADMIN_TOKEN_OLD, BOB_TOKEN]) {
      const res = await t.app.inject({ method: 'GET', url: '/admin/v1/system', headers: asAdmin(token) });
      expect(res.statusCode).toBe(200);
    }
    const audit = t.logs.filter((l) => l.event === 'admin.request' && l.outcome === 'succeeded');
    expect(audit.map((l) => l.operator)).toEqual(expect.arrayContaining(['alice', 'bob']));
    expect(audit[0]).toMatchObject({ route: '/admin/v1/system', method: 'GET', statusCode: 200 });
  });

  it('audit-logs refusals too, and never writes a token into the logs', async () => {
    await t.app.inject({
      method: 'GET',
      url: '/admin/v1/system',
      headers: { authorization: 'Bearer guess-123' },
    });
    const denied = t.logs.filter((l) => l.event === 'admin.request' && l.outcome === 'denied');
    expect(denied.length).toBeGreaterThan(0);
    expect(denied.at(-1)).toMatchObject({ route: '/admin/v1/system', reason: 'unknown', statusCode: 401 });
    const raw = t.rawLogs();
    for (const secret of [ADMIN_TOKEN, ADMIN_TOKEN_OLD, BOB_TOKEN, 'guess-123'])
      expect(raw).not.toContain(secret);
  });

  it('GET /admin/v1/system lists queues and breakers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/admin/v1/system', headers: asAdmin() });
    const body = res.json<{ queues: { name: string; waiting: number }[]; breakers: unknown[] }>();
    expect(body.queues.map((q) => q.name)).toContain('token-revocation');
    expect(typeof body.queues[0].waiting).toBe('number');
    expect(Array.isArray(body.breakers)).toBe(true);
  });

  describe('Bull Board (/admin/queues)', () => {
    it('refuses without the session cookie, and refuses the bearer token (cookie only)', async () => {
      for (const headers of [
        {},
        asAdmin(),
        { cookie: 'myna_admin_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
      ]) {
        const res = await t.app.inject({ method: 'GET', url: '/admin/queues', headers });
        expect(res.statusCode).toBe(401);
        expect(res.json<{ code: string }>().code).toBe('ADMIN_AUTH_REQUIRED');
      }
      const api = await t.app.inject({ method: 'GET', url: '/admin/queues/api/queues' });
      expect(api.statusCode).toBe(401);
    });

    it('opens with the cookie from POST /admin/v1/session (HttpOnly, SameSite=Strict, scoped path)', async () => {
      const session = await t.app.inject({ method: 'POST', url: '/admin/v1/session', headers: asAdmin() });
      expect(session.statusCode).toBe(204);
      const setCookie = String(session.headers['set-cookie']);
      expect(setCookie).toMatch(/HttpOnly/);
      expect(setCookie).toMatch(/SameSite=Strict/);
      expect(setCookie).toMatch(/Path=\/admin\/queues/);
      expect(setCookie).not.toContain(ADMIN_TOKEN);
      const cookie = setCookie.split(';')[0];
      const page = await t.app.inject({ method: 'GET', url: '/admin/queues', headers: { cookie } });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      const api = await t.app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: { cookie } });
      expect(api.statusCode).toBe(200);
      expect(JSON.stringify(api.json())).toContain('token-revocation');
    });
  });

  it('serves the dashboard page without a token, with a strict CSP', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/admin' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });
});
