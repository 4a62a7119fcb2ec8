import { DataSource } from 'typeorm';
import { signWebhook } from '../../src/modules/push/index.js';
import { startTestApp, type TestApp } from '../support/test-app';

const SECRET = 'dev-webhook-secret';

describe('POST /v1/webhooks/push', () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await startTestApp({ env: { APP_ROLE: 'api' } });
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  const body = (notificationId: string, extra: Record<string, unknown> = {}) => ({
    notificationId,
    noticeId: 'ntc-1',
    audience: { type: 'all' },
    message: { title: { ja: 'お知らせ', en: 'Notice' }, body: { ja: '新着があります' } },
    ...extra,
  });
  const post = (raw: string, signature?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/webhooks/push',
      headers: {
        'content-type': 'application/json',
        ...(signature ? { 'x-myna-signature': signature } : {}),
      },
      payload: raw,
    });
  const now = () => Math.floor(Date.now() / 1000);
  const signed = (value: unknown, at = now(), secret = SECRET) => {
    const raw = JSON.stringify(value);
    return post(raw, signWebhook(secret, raw, at));
  };

  it('accepts a signed campaign: 202 queued, one row', async () => {
    const res = await signed(body('wh-ok-1'));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ notificationId: 'wh-ok-1', status: 'queued', duplicate: false });
    const rows = await db.query(
      `SELECT status, ttl_seconds FROM push_campaigns WHERE notification_id = 'wh-ok-1'`,
    );
    expect(rows).toEqual([{ status: 'queued', ttl_seconds: 259200 }]);
  });

  it('stores a users audience exactly as sent, in order; an all audience without subjects', async () => {
    // characters that need quoting in an array literal or escaping in JSON, and non-ASCII
    const subjects = ['sub-2', 'a,b', 'q"uote', 'back\\slash', '{brace}', 'NULL', ' sp ', '利用者', 'sub-1'];
    const res = await signed(body('wh-subjects-1', { audience: { type: 'users', subjects } }));
    expect(res.statusCode).toBe(202);
    const [stored] = await db.query(
      `SELECT audience_subjects FROM push_campaigns WHERE notification_id = 'wh-subjects-1'`,
    );
    expect(stored.audience_subjects).toEqual(subjects);
    const [all] = await db.query(
      `SELECT audience_subjects FROM push_campaigns WHERE notification_id = 'wh-ok-1'`,
    );
    expect(all.audience_subjects).toBeNull();
  });

  it('schedules a campaign with sendAt in the future', async () => {
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    const res = await signed(body('wh-sched-1', { sendAt }));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ status: 'scheduled', duplicate: false });
  });

  it('refuses a wrong signature, a missing one and an old timestamp with 401 SIGNATURE_INVALID', async () => {
    const raw = JSON.stringify(body('wh-bad-1'));
    for (const res of [
      await post(raw, signWebhook('another-secret-of-16+', raw, now())),
      await post(raw),
      await post(raw, signWebhook(SECRET, raw, now() - 301)),
      await post(raw, signWebhook(SECRET, raw, now() + 301)),
      await post(raw + ' ', signWebhook(SECRET, raw, now())),
    ]) {
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('SIGNATURE_INVALID');
    }
    const rows = await db.query(`SELECT 1 FROM push_campaigns WHERE notification_id = 'wh-bad-1'`);
    expect(rows).toHaveLength(0);
  });

  it('accepts any of several v1= signatures (rotation)', async () => {
    const raw = JSON.stringify(body('wh-rot-1'));
    const t0 = now();
    const wrong = signWebhook('old-secret-no-longer-valid', raw, t0).split(',')[1];
    const res = await post(raw, `${signWebhook(SECRET, raw, t0)},${wrong}`);
    expect(res.statusCode).toBe(202);
  });

  it('refuses malformed bodies and unknown fields with 400 VALIDATION_FAILED', async () => {
    for (const value of [
      { ...body('wh-mal-1'), extra: 1 },
      body('wh-mal-2', { audience: { type: 'users' } }),
      body('wh-mal-3', { message: { title: { en: 'x' }, body: { ja: 'y' } } }),
      body('wh-mal-4', { ttlSeconds: 10 }),
      body('wh-mal-5', { sendAt: 'tomorrow' }),
      // U+0000, which PostgreSQL text cannot hold (a 500 before; found by the fuzzer)
      body('wh-mal-6', { category: 'a\u0000b' }),
      body('wh-mal-7', { message: { title: { ja: 'お\u0000知らせ' }, body: { ja: 'y' } } }),
      body('wh-mal-8', { audience: { type: 'users', subjects: ['sub\u0000'] } }),
    ]) {
      const res = await signed(value);
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    }
  });

  it('refuses 10,001 subjects with 400 and accepts 10,000', async () => {
    const subjects = (n: number) => Array.from({ length: n }, (_, i) => `sub-${i}`);
    const over = await signed(body('wh-10001', { audience: { type: 'users', subjects: subjects(10_001) } }));
    expect(over.statusCode).toBe(400);
    expect(over.json().code).toBe('VALIDATION_FAILED');
    const ok = await signed(body('wh-10000', { audience: { type: 'users', subjects: subjects(10_000) } }));
    expect(ok.statusCode).toBe(202);
  });

  it('refuses a 2 MiB body with 413; other routes keep 64 KiB', async () => {
    const big = JSON.stringify(body('wh-big', { category: 'x'.repeat(2 * 1024 * 1024) }));
    const res = await post(big, signWebhook(SECRET, big, now()));
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('PAYLOAD_TOO_LARGE');
    const other = await t.app.inject({
      method: 'POST',
      url: '/v1/link/start',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ deviceId: 'x'.repeat(100 * 1024), platform: 'ios' }),
    });
    expect(other.statusCode).toBe(413);
  });

  it('is one campaign for the same notificationId, also sent at the same moment', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => signed(body('wh-dup-1'))));
    expect(results.map((r) => r.statusCode)).toEqual(Array(8).fill(202));
    const ids = new Set(results.map((r) => r.json().campaignId));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.json().duplicate === false)).toHaveLength(1);
    const rows = await db.query(`SELECT id FROM push_campaigns WHERE notification_id = 'wh-dup-1'`);
    expect(rows).toHaveLength(1);
  });

  describe('replay (issue 12: session and token attacks)', () => {
    it('a captured request sent again is the same campaign, never a second send', async () => {
      const raw = JSON.stringify(body('wh-replay-1'));
      const signature = signWebhook(SECRET, raw, now());
      const first = await post(raw, signature);
      const again = await post(raw, signature);
      expect([first.statusCode, again.statusCode]).toEqual([202, 202]);
      expect(again.json()).toMatchObject({ campaignId: first.json().campaignId, duplicate: true });
      const rows = await db.query(`SELECT id FROM push_campaigns WHERE notification_id = 'wh-replay-1'`);
      expect(rows).toHaveLength(1);
    });

    it('a captured signature cannot carry another body, nor a shifted timestamp', async () => {
      const raw = JSON.stringify(body('wh-replay-2'));
      const at = now();
      const signature = signWebhook(SECRET, raw, at);
      // the same signature over a body to everyone with another notificationId
      const forged = await post(JSON.stringify(body('wh-replay-3')), signature);
      // the same v1= value under a fresh t= (to pass the 300 s tolerance)
      const shifted = await post(raw, signature.replace(`t=${at}`, `t=${at + 1}`));
      for (const res of [forged, shifted]) {
        expect(res.statusCode).toBe(401);
        expect(res.json()).toMatchObject({ code: 'SIGNATURE_INVALID' });
        expect(res.headers['x-request-id']).toBeDefined();
      }
      const rows = await db.query(
        `SELECT id FROM push_campaigns WHERE notification_id IN ('wh-replay-2', 'wh-replay-3')`,
      );
      expect(rows).toHaveLength(0);
    });

    it('a request captured more than 300 s ago is refused even with its valid signature', async () => {
      const raw = JSON.stringify(body('wh-replay-4'));
      const res = await post(raw, signWebhook(SECRET, raw, now() - 301));
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ code: 'SIGNATURE_INVALID' });
    });
  });
});
