import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as client from 'openid-client';
import { startMynaportalSimulator, type MynaportalSimulator } from './mynaportal/mynaportal-simulator.js';
import { signWebhook } from './mynaportal/webhook.js';
import { generateClientKeys } from './oidc/client-keys.js';
import { DEFAULT_REDIRECT_URI, startOidcSimulator, type OidcSimulator } from './oidc/oidc-simulator.js';
import { discoverAsRp, linkPersona } from './oidc/rp-client.js';
import { personaById } from './personas.js';

const keys = generateClientKeys();

async function tokenFor(rp: client.Configuration, persona: string): Promise<string> {
  const { tokens } = await linkPersona(rp, persona, DEFAULT_REDIRECT_URI, 'openid');
  return tokens.access_token;
}

describe('Mynaportal backend simulator', () => {
  let oidc: OidcSimulator;
  let rp: client.Configuration;
  let portal: MynaportalSimulator;
  const token: Record<string, string> = {};

  const get = (path: string, bearer?: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${portal.url}${path}`, {
      ...init,
      headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...init.headers },
    });
  const control = (body: unknown): Promise<Response> =>
    fetch(`${portal.url}/__control`, { method: 'PUT', body: JSON.stringify(body) });

  beforeAll(async () => {
    oidc = await startOidcSimulator({ clientJwks: keys.publicJwk });
    rp = await discoverAsRp(oidc, keys);
    portal = await startMynaportalSimulator({ verifyAccessToken: oidc.verifyAccessToken });
    for (const p of ['sato-hanako', 'tanaka-many', 'family-member', 'ito-empty'])
      token[p] = await tokenFor(rp, p);
  });
  afterAll(async () => {
    await portal.close();
    await oidc.close();
  });
  afterEach(() => portal.reset());

  describe('bearer tokens', () => {
    it('rejects a missing or unknown token with 401 and a JSON body', async () => {
      for (const bearer of [undefined, 'unknown-token']) {
        const res = await get('/api/v1/notices', bearer);
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
        expect(await res.json()).toMatchObject({ error: 'invalid_token' });
      }
    });

    it('rejects a revoked token', async () => {
      const bearer = await tokenFor(rp, 'sato-hanako');
      expect((await get('/api/v1/notices', bearer)).status).toBe(200);
      await client.tokenRevocation(rp, bearer);
      expect((await get('/api/v1/notices', bearer)).status).toBe(401);
    });

    it('rejects an expired token (checked by introspection at the provider)', async () => {
      const shortOidc = await startOidcSimulator({ clientJwks: keys.publicJwk, accessTokenTtl: 3 });
      // exp is whole seconds after a whole-second iat: a 1 s lifetime could already be over at first use
      const shortPortal = await startMynaportalSimulator({
        introspection: {
          introspectionUrl: `${shortOidc.issuer}/protocol/openid-connect/token/introspect`,
          ...shortOidc.introspectionClient,
        },
      });
      try {
        const bearer = await tokenFor(await discoverAsRp(shortOidc, keys), 'sato-hanako');
        const auth = { authorization: `Bearer ${bearer}` };
        expect((await fetch(`${shortPortal.url}/api/v1/todos`, { headers: auth })).status).toBe(200);
        expect(shortOidc.stats().introspection).toBe(1);
        await new Promise((r) => setTimeout(r, 3100));
        const expired = await fetch(`${shortPortal.url}/api/v1/todos`, { headers: auth });
        expect(expired.status).toBe(401);
        expect(await expired.json()).toMatchObject({ error: 'invalid_token' });
      } finally {
        await shortPortal.close();
        await shortOidc.close();
      }
    });
  });

  it('pages all 5,000 notices of tanaka-many newest first, without duplicates or gaps', async () => {
    const ids: string[] = [];
    const times: number[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(
        `/api/v1/notices?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
        token['tanaka-many'],
      );
      expect(res.status).toBe(200);
      const page = (await res.json()) as {
        notices: { noticeId: string; publishedAt: string }[];
        nextCursor: string | null;
        totalCount: number;
      };
      expect(page.totalCount).toBe(5000);
      for (const n of page.notices) {
        ids.push(n.noticeId);
        times.push(Date.parse(n.publishedAt));
      }
      cursor = page.nextCursor;
    } while (cursor);
    expect(ids).toHaveLength(5000);
    expect(new Set(ids).size).toBe(5000);
    expect(times.every((t, i) => i === 0 || t < times[i - 1])).toBe(true);
  });

  it('serves deterministic notices with Japanese (and some English) text', async () => {
    const first = await (await get('/api/v1/notices?limit=48', token['sato-hanako'])).json();
    const again = await (await get('/api/v1/notices?limit=48', token['sato-hanako'])).json();
    expect(again).toEqual(first);
    const notices = (first as { notices: { title: { ja: string; en?: string }; publishedAt: string }[] })
      .notices;
    expect(notices.every((n) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(n.title.ja))).toBe(true);
    expect(notices.some((n) => n.title.en)).toBe(true);
    expect(notices.some((n) => !n.title.en)).toBe(true);
    expect(notices[0].publishedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$/);
  });

  it('marks a notice read when its detail is fetched, per person', async () => {
    const list = async (): Promise<{ noticeId: string; isRead: boolean }[]> =>
      ((await (await get('/api/v1/notices?limit=3', token['sato-hanako'])).json()) as { notices: [] })
        .notices;
    const before = await list();
    expect(before.map((n) => n.isRead)).toEqual([false, false, false]);

    const detail = await get(`/api/v1/notices/${before[1].noticeId}`, token['sato-hanako']);
    expect(detail.status).toBe(200);
    expect(await detail.json()).toMatchObject({
      noticeId: before[1].noticeId,
      isRead: true,
      body: { ja: expect.any(String) },
      links: [{ url: expect.stringMatching(/^https:/) }],
    });
    expect((await list()).map((n) => n.isRead)).toEqual([false, true, false]);

    const othersView = await get(`/api/v1/notices/${before[1].noticeId}`, token['tanaka-many']);
    expect(othersView.status).toBe(404);
    expect((await get('/api/v1/notices/ntc-nope', token['sato-hanako'])).status).toBe(404);
  });

  it('rejects a bad limit or a cursor of another person', async () => {
    expect((await get('/api/v1/notices?limit=0', token['sato-hanako'])).status).toBe(400);
    expect((await get('/api/v1/notices?limit=101', token['sato-hanako'])).status).toBe(400);
    const page = (await (await get('/api/v1/notices?limit=1', token['tanaka-many'])).json()) as {
      nextCursor: string;
    };
    const res = await get(`/api/v1/notices?cursor=${page.nextCursor}`, token['sato-hanako']);
    expect(res.status).toBe(400);
  });

  it('lists todos with cursor paging', async () => {
    const first = (await (await get('/api/v1/todos?limit=4', token['sato-hanako'])).json()) as {
      todos: { todoId: string; status: string; dueDate: string | null }[];
      nextCursor: string;
    };
    expect(first.todos).toHaveLength(4);
    const rest = (await (
      await get(`/api/v1/todos?cursor=${first.nextCursor}`, token['sato-hanako'])
    ).json()) as {
      todos: { todoId: string }[];
      nextCursor: string | null;
    };
    expect(rest.todos).toHaveLength(2);
    expect(rest.nextCursor).toBeNull();
    expect(first.todos.every((t) => ['OPEN', 'DONE'].includes(t.status))).toBe(true);
  });

  it('answers the insurance qualification in オンライン資格確認 field names', async () => {
    const family = await (await get('/api/v1/insurance/qualification', token['family-member'])).json();
    expect(family).toMatchObject({
      InsurerNumber: '01130012',
      InsuredBranchNumber: '02',
      PersonalFamilyClassification: '2',
      QualificationDate: expect.stringMatching(/^\d{8}$/),
      InsuredCardValidDate: expect.stringMatching(/^\d{8}$/),
      InsuredCardExpirationDate: expect.stringMatching(/^\d{8}$/),
      InsuredPartialContributionRatio: '20',
    });
    const none = await get('/api/v1/insurance/qualification', token['ito-empty']);
    expect(none.status).toBe(404);
    const empty = await (await get('/api/v1/notices', token['ito-empty'])).json();
    expect(empty).toEqual({ notices: [], totalCount: 0, nextCursor: null });
  });

  it('creates single-use SSO login URLs whose page shows who is logged in', async () => {
    const res = await get('/api/v1/sso/sessions', token['sato-hanako'], {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ returnTo: '/notices?from=app' }),
    });
    expect(res.status).toBe(201);
    const { loginUrl } = (await res.json()) as { loginUrl: string };
    const page = await fetch(loginUrl);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('佐藤 花子');
    expect(html).toContain(personaById('sato-hanako')!.subject);
    expect(html).toContain('/notices?from=app');
    expect((await fetch(loginUrl)).status).toBe(400);
  });

  describe('fault knobs', () => {
    it('adds latency', async () => {
      await control({ latencyMs: 150 });
      const started = Date.now();
      expect((await get('/api/v1/todos', token['sato-hanako'])).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    });

    it('fails a share of requests with 500', async () => {
      await control({ errorRate: 1 });
      expect((await get('/api/v1/todos', token['sato-hanako'])).status).toBe(500);
      await control({ errorRate: 0.5 });
      const statuses = await Promise.all(
        Array.from({ length: 80 }, async () => (await get('/api/v1/todos', token['sato-hanako'])).status),
      );
      const failed = statuses.filter((s) => s === 500).length;
      expect(failed).toBeGreaterThan(15);
      expect(failed).toBeLessThan(65);
      expect(statuses.every((s) => s === 200 || s === 500)).toBe(true);
    });

    it('forces a status', async () => {
      await control({ status: 503 });
      const res = await get('/api/v1/notices', token['sato-hanako']);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ error: 'simulated_status', status: 503 });
    });

    it('refuses connections', async () => {
      await control({ down: 'refuse' });
      await expect(get('/api/v1/notices', token['sato-hanako'])).rejects.toThrow();
    });

    it('hangs', async () => {
      await control({ down: 'hang' });
      await expect(
        get('/api/v1/notices', token['sato-hanako'], { signal: AbortSignal.timeout(300) }),
      ).rejects.toMatchObject({ name: 'TimeoutError' });
    });

    it('answers garbage', async () => {
      await control({ garbage: true });
      const res = await get('/api/v1/notices', token['sato-hanako']);
      expect(res.status).toBe(200);
      await expect(res.json()).rejects.toMatchObject({ name: 'SyntaxError' });
    });

    it('validates knobs, resets, and counts requests', async () => {
      expect((await control({ errorRate: 2 })).status).toBe(400);
      expect((await control({ nope: true })).status).toBe(400);
      await control({ status: 500, latencyMs: 10 });
      await fetch(`${portal.url}/__control/reset`, { method: 'POST' });
      expect((await get('/api/v1/notices', token['sato-hanako'])).status).toBe(200);
      const stats = await (await fetch(`${portal.url}/__control/stats`)).json();
      expect(stats).toEqual({ requests: { 'GET /api/v1/notices': 1 }, requestIds: [] });
    });
  });

  it('signs with every configured secret during a rotation', () => {
    const header = signWebhook('{"a":1}', ['old-secret', 'new-secret'], 1_790_000_000);
    const expected = (secret: string): string =>
      createHmac('sha256', secret).update('1790000000.{"a":1}').digest('hex');
    expect(header).toBe(`t=1790000000,v1=${expected('old-secret')},v1=${expected('new-secret')}`);
  });

  describe('push webhook sender', () => {
    let receiver: Server;
    let received: { headers: Record<string, unknown>; raw: string }[];
    let sender: MynaportalSimulator;
    const secret = 'test-webhook-secret';

    beforeAll(async () => {
      received = [];
      receiver = createServer((req, res) => {
        let raw = '';
        req.setEncoding('utf8');
        req.on('data', (c: string) => (raw += c));
        req.on('end', () => {
          received.push({ headers: req.headers, raw });
          res.writeHead(202, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ campaignId: 'c-1', status: 'queued', duplicate: false }));
        });
      });
      await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
      const { port } = receiver.address() as AddressInfo;
      sender = await startMynaportalSimulator({
        verifyAccessToken: oidc.verifyAccessToken,
        webhookUrl: `http://127.0.0.1:${port}/v1/webhooks/push`,
        webhookSecret: secret,
      });
    });
    afterAll(async () => {
      await sender.close();
      await new Promise((r) => receiver.close(r));
    });

    it('signs the body as API.md says and returns the BFF answer', async () => {
      const body = {
        notificationId: 'n-20261125-1',
        noticeId: null,
        audience: { type: 'users', subjects: [personaById('sato-hanako')!.subject] },
        message: { title: { ja: 'お知らせ' }, body: { ja: '新しいお知らせがあります' } },
      };
      const res = await fetch(`${sender.url}/__control/push`, { method: 'POST', body: JSON.stringify(body) });
      expect(await res.json()).toEqual({
        status: 202,
        body: { campaignId: 'c-1', status: 'queued', duplicate: false },
      });

      expect(received).toHaveLength(1);
      const [{ headers, raw }] = received;
      expect(JSON.parse(raw)).toEqual(body);
      const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(headers['x-myna-signature']));
      expect(match).not.toBeNull();
      const [, t, v1] = match!;
      expect(Math.abs(Number(t) - Date.now() / 1000)).toBeLessThan(5);
      const expected = createHmac('sha256', secret).update(`${t}.${raw}`).digest();
      expect(timingSafeEqual(expected, Buffer.from(v1, 'hex'))).toBe(true);
    });
  });
});
