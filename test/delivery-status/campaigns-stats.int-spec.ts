import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { DataSource } from 'typeorm';
import { signWebhook } from '../../src/modules/push';
import { startTestApp, type TestApp } from '../support/test-app';
import { adminEnv, asAdmin } from './admin-env';

const WEBHOOK_SECRET = 'admin-test-webhook-secret';

interface Campaign {
  id: string;
  notificationId: string;
  status: string;
  createdAt: string;
  targeted: number;
  sent: number;
  cancelledTokens: number;
  openRate: number;
}

describe('admin campaigns and delivery statistics', () => {
  let t: TestApp;
  let db: DataSource;
  const tag = randomUUID().slice(0, 8);

  async function scheduleCampaign(n: number): Promise<string> {
    const body = JSON.stringify({
      notificationId: `admin-${tag}-${n}`,
      noticeId: null,
      category: 'operator',
      audience: { type: 'users', subjects: [`nobody-${tag}`] },
      message: { title: { ja: `お知らせ${n}`, en: `Notice ${n}` }, body: { ja: '本文です', en: 'Body' } },
      sendAt: '2099-01-01T00:00:00Z',
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/webhooks/push',
      headers: {
        'content-type': 'application/json',
        'x-myna-signature': signWebhook(WEBHOOK_SECRET, body, Math.floor(Date.now() / 1000)),
      },
      payload: body,
    });
    expect(res.statusCode).toBe(202);
    const [row] = await db.query<{ id: string }[]>(
      `SELECT id FROM push_campaigns WHERE notification_id = $1`,
      [`admin-${tag}-${n}`],
    );
    return row.id;
  }

  beforeAll(async () => {
    t = await startTestApp({ env: { ...adminEnv, WEBHOOK_SECRETS: WEBHOOK_SECRET } });
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists campaigns newest first with cursor paging, and shows one by id', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await scheduleCampaign(i));
    const first = await t.app.inject({
      method: 'GET',
      url: '/admin/v1/campaigns?limit=2',
      headers: asAdmin(),
    });
    expect(first.statusCode).toBe(200);
    const page1 = first.json<{ items: Campaign[]; nextCursor: string | null }>();
    expect(page1.items).toHaveLength(2);
    expect(page1.nextCursor).not.toBeNull();
    const second = await t.app.inject({
      method: 'GET',
      url: `/admin/v1/campaigns?limit=100&cursor=${page1.nextCursor}`,
      headers: asAdmin(),
    });
    const all = [...page1.items, ...second.json<{ items: Campaign[] }>().items];
    const created = all.map((c) => Date.parse(c.createdAt));
    expect(created).toEqual([...created].sort((a, b) => b - a));
    const mine = all.filter((c) => c.notificationId.startsWith(`admin-${tag}-`)).map((c) => c.id);
    expect(mine).toEqual([...ids].reverse());

    const one = await t.app.inject({
      method: 'GET',
      url: `/admin/v1/campaigns/${ids[0]}`,
      headers: asAdmin(),
    });
    expect(one.statusCode).toBe(200);
    expect(one.json<Campaign>()).toMatchObject({ id: ids[0], status: 'scheduled', sent: 0, openRate: 0 });
  });

  it('cancels a scheduled campaign (202), then answers 409 CAMPAIGN_ENDED', async () => {
    const id = await scheduleCampaign(10);
    const res = await t.app.inject({
      method: 'POST',
      url: `/admin/v1/campaigns/${id}/cancel`,
      headers: asAdmin(),
    });
    expect(res.statusCode).toBe(202);
    expect(res.json<Campaign>()).toMatchObject({ id, status: 'cancelled' });
    const again = await t.app.inject({
      method: 'POST',
      url: `/admin/v1/campaigns/${id}/cancel`,
      headers: asAdmin(),
    });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ code: string }>().code).toBe('CAMPAIGN_ENDED');
    const audit = t.logs.filter(
      (l) => l.event === 'admin.request' && l.route === '/admin/v1/campaigns/:id/cancel',
    );
    expect(audit.map((l) => [l.operator, l.outcome, l.statusCode])).toEqual([
      ['alice', 'succeeded', 202],
      ['alice', 'failed', 409],
    ]);
  });

  it('an unknown campaign is 404 NOT_FOUND; a malformed id 400', async () => {
    const unknown = await t.app.inject({
      method: 'GET',
      url: `/admin/v1/campaigns/${randomUUID()}`,
      headers: asAdmin(),
    });
    expect(unknown.statusCode).toBe(404);
    const bad = await t.app.inject({
      method: 'GET',
      url: '/admin/v1/campaigns/not-a-uuid',
      headers: asAdmin(),
    });
    expect(bad.statusCode).toBe(400);
  });

  describe('daily and monthly figures from the per-day counters', () => {
    beforeAll(async () => {
      // push's counters as the sending pipeline keeps them (2024: no other test writes these days)
      const rows: [string, string, number, number, number, number, number][] = [
        // day, category, notifications, targeted, sent, failed, opened
        ['2024-03-30', 'operator', 1, 1000, 990, 10, 99],
        ['2024-03-31', 'nws', 2, 4000, 3900, 50, 390],
        ['2024-04-01', 'operator', 1, 500, 500, 0, 250],
        ['2024-04-01', 'nws', 1, 300, 0, 0, 0],
      ];
      for (const [day, category, notifications, targeted, sent, failed, opened] of rows) {
        await db.query(
          `INSERT INTO push_daily_stats (day, category, notifications, targeted, sent, failed, received, opened)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
          [day, category, notifications, targeted, sent, failed, opened],
        );
      }
    });

    it('daily: one row per day, categories added, empty days zero', async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: '/admin/v1/stats/daily?from=2024-03-30&to=2024-04-02',
        headers: asAdmin(),
      });
      expect(res.statusCode).toBe(200);
      const items = res.json<{ items: { day: string; sent: number; failed: number; opened: number }[] }>()
        .items;
      expect(items.map((d) => [d.day, d.sent, d.failed, d.opened])).toEqual([
        ['2024-03-30', 990, 10, 99],
        ['2024-03-31', 3900, 50, 390],
        ['2024-04-01', 500, 0, 250],
        ['2024-04-02', 0, 0, 0],
      ]);
    });

    it('monthly: rows by month and category with open rate = opened / sent (0 when nothing sent)', async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: '/admin/v1/stats/monthly?from=2024-03&to=2024-04',
        headers: asAdmin(),
      });
      expect(res.statusCode).toBe(200);
      expect(res.json<{ items: unknown[] }>().items).toEqual([
        {
          month: '2024-03',
          category: 'nws',
          notifications: 2,
          targeted: 4000,
          sent: 3900,
          opened: 390,
          openRate: 0.1,
        },
        {
          month: '2024-03',
          category: 'operator',
          notifications: 1,
          targeted: 1000,
          sent: 990,
          opened: 99,
          openRate: 0.1,
        },
        {
          month: '2024-04',
          category: 'nws',
          notifications: 1,
          targeted: 300,
          sent: 0,
          opened: 0,
          openRate: 0,
        },
        {
          month: '2024-04',
          category: 'operator',
          notifications: 1,
          targeted: 500,
          sent: 500,
          opened: 250,
          openRate: 0.5,
        },
      ]);
    });

    it('refuses malformed or too long month ranges', async () => {
      for (const q of ['from=2024-3&to=2024-04', 'from=2024-05&to=2024-04', 'from=2020-01&to=2024-04']) {
        const res = await t.app.inject({
          method: 'GET',
          url: `/admin/v1/stats/monthly?${q}`,
          headers: asAdmin(),
        });
        expect({ q, status: res.statusCode }).toEqual({ q, status: 400 });
      }
    });
  });
});

describe('campaign and daily-stats CSV exports', () => {
  let t: TestApp;
  let db: DataSource;
  const tag = randomUUID().slice(0, 8);

  beforeAll(async () => {
    t = await startTestApp({ env: { ...adminEnv, WEBHOOK_SECRETS: WEBHOOK_SECRET } });
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t.close();
  });

  it('campaigns.csv parses back to the API numbers, Japanese text intact, both routes alike', async () => {
    const body = JSON.stringify({
      notificationId: `csv-${tag}`,
      noticeId: null,
      category: '=デジタル庁・"引用",改行\nあり',
      audience: { type: 'users', subjects: [`nobody-${tag}`] },
      message: { title: { ja: 'タイトル' }, body: { ja: '本文' } },
      sendAt: '2099-01-01T00:00:00Z',
    });
    const hook = await t.app.inject({
      method: 'POST',
      url: '/v1/webhooks/push',
      headers: {
        'content-type': 'application/json',
        'x-myna-signature': signWebhook(WEBHOOK_SECRET, body, Math.floor(Date.now() / 1000)),
      },
      payload: body,
    });
    expect(hook.statusCode).toBe(202);
    const [row] = await db.query<{ id: string }[]>(
      `SELECT id FROM push_campaigns WHERE notification_id = $1`,
      [`csv-${tag}`],
    );
    const api = (
      await t.app.inject({ method: 'GET', url: `/admin/v1/campaigns/${row.id}`, headers: asAdmin() })
    ).json<Record<string, unknown>>();
    for (const url of ['/admin/v1/campaigns/export.csv', '/admin/v1/export/campaigns.csv']) {
      const res = await t.app.inject({ method: 'GET', url, headers: asAdmin() });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      const records: Record<string, string>[] = parse(res.body, { bom: true, columns: true });
      const mine = records.find((r) => r.id === row.id);
      expect(mine).toBeDefined();
      // formula injection neutralised with a leading ', the rest intact through RFC 4180 quoting
      expect(mine!.category).toBe('\'=デジタル庁・"引用",改行\nあり');
      expect(mine!.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$/);
      expect(mine!.status).toBe('scheduled');
      for (const k of [
        'targeted',
        'sent',
        'failed',
        'invalidTokens',
        'cancelledTokens',
        'received',
        'opened',
        'openRate',
      ]) {
        expect(Number(mine![k])).toBe(api[k]);
      }
      expect(res.body).not.toContain(WEBHOOK_SECRET);
      expect(res.body).not.toContain('タイトル');
    }
  });

  it('daily-stats.csv has one row per day and category from the counters', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/admin/v1/export/daily-stats.csv',
      headers: asAdmin(),
    });
    expect(res.statusCode).toBe(200);
    const header = res.body.replace(/^\uFEFF/, '').split('\r\n')[0];
    expect(header).toBe('day,campaigns,targeted,sent,failed,invalidTokens,received,opened,openRate');
  });
});
