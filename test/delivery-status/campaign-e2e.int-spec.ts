import { createHash } from 'node:crypto';
import { startFcmSimulator, type FcmSimulator } from '../simulators/fcm/fcm-simulator';
import type { FcmStatsReport } from '../simulators/fcm/fcm-stats';
import { personaById } from '../simulators/personas';
import { startLinkStack, type LinkStack } from '../account-link/account-link-stack';
import { linkDevice, type LinkedDevice } from '../support/link-helper';
import { ADMIN_TOKEN, adminEnv } from './admin-env';
import {
  adminGet,
  exportCsv,
  sendWebhook,
  seedDevices,
  waitForCampaign,
  type AdminCampaign,
  type SeededDevice,
} from './campaign-helpers';

const SECRET = 'e2e-webhook-secret';
const OPERATOR = '運営主体お知らせ';
const AGENCY = 'NWS・省庁連携';

interface DailyItem {
  day: string;
  notifications: number;
  targeted: number;
  sent: number;
  failed: number;
  invalidTokens: number;
  received: number;
  opened: number;
  openRate: number;
}
interface MonthlyItem {
  month: string;
  category: string;
  notifications: number;
  targeted: number;
  sent: number;
  opened: number;
  openRate: number;
}

const jstDay = (d: Date): string => new Date(d.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
const sum = <T>(rows: T[], f: (r: T) => number): number => rows.reduce((n, r) => n + f(r), 0);

/** Successful sends per token (a token that succeeded more than once would be a duplicate). */
const successes = (stats: FcmStatsReport): number =>
  Object.values(stats.tokens ?? {}).filter((t) => t.successes === 1).length;
const failedFor = (stats: FcmStatsReport, status: string): number =>
  Object.values(stats.tokens ?? {}).filter((t) => t.successes === 0 && (t.failures[status] ?? 0) > 0).length;

/**
 * One operator campaign to everyone and one agency campaign to two people, through the whole chain:
 * signed webhook → fan-out → send worker → real firebase-admin → FCM simulator, then the app's
 * received/opened events and a notice-detail read; the admin figures and every CSV export must
 * equal what the simulator received and what the events endpoint recorded.
 */
describe('delivery status after a simulated campaign, end to end', () => {
  let sim: FcmSimulator;
  let s: LinkStack;
  const devices: Record<string, LinkedDevice> = {};
  let seeded: SeededDevice[] = [];
  let noticeId: string;
  let operator: AdminCampaign;
  let agency: AdminCampaign;
  let simOperator: FcmStatsReport;
  let simAgency: FcmStatsReport;

  const event = async (who: string, notificationId: string, type: string): Promise<number> =>
    (
      await s.as(devices[who], {
        method: 'POST',
        url: `/v1/notifications/${notificationId}/events`,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ type }),
      })
    ).statusCode;

  beforeAll(async () => {
    sim = await startFcmSimulator({ projectId: 'myna-dev' });
    s = await startLinkStack({
      env: {
        ...adminEnv,
        APP_ROLE: 'all',
        WEBHOOK_SECRETS: SECRET,
        FCM_PROJECT_ID: 'myna-dev',
        FCM_SIMULATOR_URL: sim.url,
        FCM_SIMULATOR_CA: sim.ca,
        PUSH_BATCH_SIZE: '100',
      },
    });
    // four people link through the real routes and register their push tokens
    for (const [persona, locale] of [
      ['sato-hanako', 'ja'],
      ['suzuki-ichiro', 'ja'],
      ['tanaka-many', 'en'],
      ['garcia-maria', 'en'],
    ] as const) {
      devices[persona] = await linkDevice(s.app, persona);
      const put = await s.as(devices[persona], {
        method: 'PUT',
        url: '/v1/devices/current/push',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ pushToken: `ok-e2e-${persona}`, enabled: true, locale }),
      });
      expect(put.statusCode).toBe(204);
    }
    // and 1,400 more in SQL (more than one chunk of the devices export): every 50th token dead,
    // two that FCM always refuses, some with pushes disabled, some never registered, some unlinked
    seeded = await seedDevices(s.db, s.app.app, 1400, (i) => ({
      // (prefixes the FCM simulator knows; never hex-only, so no UUID in an export can contain one)
      token:
        i % 7 === 6 ? null : i < 2 ? `unavailable-${i}` : i % 50 === 0 ? `dead-token-${i}` : `ok-seed-${i}`,
      enabled: i % 11 !== 10,
      revoked: i % 97 === 96,
    }));
    const list = await s.as(devices['sato-hanako'], { method: 'GET', url: '/v1/notices?limit=1' });
    noticeId = list.json<{ items: { id: string }[] }>().items[0].id;

    const operatorId = await sendWebhook(s.app.app, SECRET, {
      notificationId: 'e2e-operator-1',
      noticeId,
      category: OPERATOR,
      audience: { type: 'all' },
      message: {
        title: { ja: 'マイナンバーカードの更新', en: 'Renew your card' },
        body: { ja: 'ご案内', en: 'Info' },
      },
    });
    operator = await waitForCampaign(s.app.app, operatorId);
    simOperator = sim.stats();
    sim.reset();
    const agencyId = await sendWebhook(s.app.app, SECRET, {
      notificationId: 'e2e-agency-1',
      noticeId: null,
      category: AGENCY,
      audience: {
        type: 'users',
        subjects: [personaById('suzuki-ichiro')!.subject, personaById('garcia-maria')!.subject],
      },
      message: { title: { ja: '防災情報' }, body: { ja: '避難所のご案内' } },
    });
    agency = await waitForCampaign(s.app.app, agencyId);
    simAgency = sim.stats();

    // the app reports: some received, some opened (twice: idempotent), one opens by reading the notice
    for (let i = 0; i < 2; i++) {
      for (const who of ['sato-hanako', 'suzuki-ichiro', 'tanaka-many', 'garcia-maria'])
        expect(await event(who, 'e2e-operator-1', 'received')).toBe(204);
      expect(await event('suzuki-ichiro', 'e2e-operator-1', 'opened')).toBe(204);
      expect(await event('suzuki-ichiro', 'e2e-agency-1', 'received')).toBe(204);
      expect(await event('suzuki-ichiro', 'e2e-agency-1', 'opened')).toBe(204);
      expect(await event('garcia-maria', 'e2e-agency-1', 'received')).toBe(204);
    }
    // not in the agency campaign's audience, and an unknown notification: 404, nothing counted
    expect(await event('sato-hanako', 'e2e-agency-1', 'opened')).toBe(404);
    expect(await event('sato-hanako', 'e2e-nothing', 'opened')).toBe(404);
    const read = await s.as(devices['sato-hanako'], { method: 'GET', url: `/v1/notices/${noticeId}` });
    expect(read.statusCode).toBe(200);
    // the notice-detail attribution is recorded off the request path: wait for it to land
    operator = await waitForCampaign(s.app.app, operatorId, (c) => c.opened >= 2, 10_000);
    agency = await adminGet<AdminCampaign>(s.app.app, `/admin/v1/campaigns/${agencyId}`);
  }, 240_000);

  afterAll(async () => {
    await s?.close();
    await sim?.close();
  });

  it('campaign detail equals what the FCM simulator received and the events endpoint recorded', () => {
    const sendable = seeded.filter((d) => d.token && d.enabled && !d.revoked);
    expect(operator).toMatchObject({
      status: 'completed',
      category: OPERATOR,
      noticeId,
      targeted: 4 + sendable.length,
      invalidTokens: sendable.filter((d) => d.token!.startsWith('dead-')).length,
      failed: 2,
      cancelledTokens: 0,
      received: 4,
      opened: 2,
    });
    expect(simOperator.duplicates).toEqual([]);
    expect(operator.sent).toBe(successes(simOperator));
    expect(operator.sent).toBe(simOperator.successes);
    // UNREGISTERED comes as HTTP 404 status NOT_FOUND; the always-503 tokens after every retry
    expect(operator.invalidTokens).toBe(failedFor(simOperator, 'NOT_FOUND'));
    expect(operator.failed).toBe(failedFor(simOperator, 'UNAVAILABLE'));
    expect(operator.sent + operator.failed + operator.invalidTokens + operator.cancelledTokens).toBe(
      operator.targeted,
    );
    expect(operator.openRate).toBe(2 / operator.sent);

    expect(agency).toMatchObject({
      status: 'completed',
      category: AGENCY,
      targeted: 2,
      sent: 2,
      failed: 0,
      invalidTokens: 0,
      received: 2,
      opened: 1,
      openRate: 0.5,
    });
    expect(simAgency.successes).toBe(2);
    expect(Object.keys(simAgency.tokens ?? {}).sort()).toEqual([
      'ok-e2e-garcia-maria',
      'ok-e2e-suzuki-ichiro',
    ]);
  });

  it('the campaign list shows both, newest first', async () => {
    const page = await adminGet<{ items: AdminCampaign[] }>(s.app.app, '/admin/v1/campaigns?limit=10');
    expect(page.items.map((c) => c.notificationId)).toEqual(['e2e-agency-1', 'e2e-operator-1']);
    expect(page.items[1]).toEqual(operator);
  });

  it('daily stats add up to the campaign totals (open rate = opened / sent)', async () => {
    const today = new Date();
    const from = jstDay(new Date(today.getTime() - 86_400_000));
    const days = (
      await adminGet<{ items: DailyItem[] }>(
        s.app.app,
        `/admin/v1/stats/daily?from=${from}&to=${jstDay(today)}`,
      )
    ).items;
    expect(days.map((d) => d.day)).toEqual([from, jstDay(today)]);
    const both = [operator, agency];
    for (const k of ['targeted', 'sent', 'failed', 'invalidTokens', 'received', 'opened'] as const)
      expect({ k, n: sum(days, (d) => d[k]) }).toEqual({ k, n: sum(both, (c) => c[k]) });
    expect(sum(days, (d) => d.notifications)).toBe(2);
    for (const d of days) expect(d.openRate).toBe(d.sent === 0 ? 0 : d.opened / d.sent);
  });

  it('monthly stats have one row per category with the requirements’ 件数 / 開封件数 / 開封率', async () => {
    const now = new Date(Date.now() + 9 * 3_600_000);
    const month = now.toISOString().slice(0, 7);
    const prev = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
    const items = (
      await adminGet<{ items: MonthlyItem[] }>(s.app.app, `/admin/v1/stats/monthly?from=${prev}&to=${month}`)
    ).items;
    expect(new Set(items.map((i) => i.category))).toEqual(new Set([OPERATOR, AGENCY]));
    for (const c of [operator, agency]) {
      const rows = items.filter((i) => i.category === c.category);
      expect({
        notifications: sum(rows, (r) => r.notifications),
        targeted: sum(rows, (r) => r.targeted),
        sent: sum(rows, (r) => r.sent),
        opened: sum(rows, (r) => r.opened),
      }).toEqual({ notifications: 1, targeted: c.targeted, sent: c.sent, opened: c.opened });
      for (const r of rows) expect(r.openRate).toBe(r.sent === 0 ? 0 : r.opened / r.sent);
    }
  });

  it('campaigns.csv and daily-stats.csv parse back to the same numbers, Japanese text intact', async () => {
    const { records } = await exportCsv(s.app.app, 'campaigns');
    expect(records.map((r) => r.notificationId)).toEqual(['e2e-agency-1', 'e2e-operator-1']);
    for (const [row, api] of [
      [records[0], agency],
      [records[1], operator],
    ] as const) {
      expect(row.category).toBe(api.category);
      expect(row.status).toBe('completed');
      for (const k of [
        'targeted',
        'sent',
        'failed',
        'invalidTokens',
        'cancelledTokens',
        'received',
        'opened',
      ] as const)
        expect({ k, v: Number(row[k]) }).toEqual({ k, v: api[k] });
      expect(Number(row.openRate)).toBeCloseTo(api.openRate, 4);
    }
    const daily = (await exportCsv(s.app.app, 'daily-stats')).records;
    expect(sum(daily, (d) => Number(d.sent))).toBe(operator.sent + agency.sent);
    expect(sum(daily, (d) => Number(d.opened))).toBe(3);
    expect(sum(daily, (d) => Number(d.received))).toBe(6);
    expect(sum(daily, (d) => Number(d.campaigns))).toBe(2);
  });

  it('events.csv has one row per recorded event, oldest first, the notice read attributed', async () => {
    const { records } = await exportCsv(s.app.app, 'events');
    expect(Object.keys(records[0])).toEqual([
      'campaignId',
      'notificationId',
      'userId',
      'type',
      'source',
      'recordedAt',
    ]);
    const key = (r: Record<string, string>): string =>
      `${r.notificationId}|${r.userId}|${r.type}|${r.source}`;
    const uid = (who: string): string => devices[who].userId;
    expect(records.map(key).sort()).toEqual(
      [
        ...['sato-hanako', 'suzuki-ichiro', 'tanaka-many', 'garcia-maria'].map(
          (w) => `e2e-operator-1|${uid(w)}|received|app`,
        ),
        `e2e-operator-1|${uid('suzuki-ichiro')}|opened|app`,
        `e2e-operator-1|${uid('sato-hanako')}|opened|notice_detail`,
        `e2e-agency-1|${uid('suzuki-ichiro')}|received|app`,
        `e2e-agency-1|${uid('suzuki-ichiro')}|opened|app`,
        `e2e-agency-1|${uid('garcia-maria')}|received|app`,
      ].sort(),
    );
    for (const c of [operator, agency]) {
      const mine = records.filter((r) => r.campaignId === c.id);
      expect(mine.filter((r) => r.type === 'received')).toHaveLength(c.received);
      expect(mine.filter((r) => r.type === 'opened')).toHaveLength(c.opened);
      expect(new Set(mine.map((r) => r.notificationId))).toEqual(new Set([c.notificationId]));
    }
    const times = records.map((r) => r.recordedAt);
    for (const t of times) expect(t).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$/);
    expect(times).toEqual([...times].sort());
  });

  it('devices.csv carries every link with its push flags from the push module', async () => {
    const { records } = await exportCsv(s.app.app, 'devices');
    expect(records).toHaveLength(4 + seeded.length);
    const byId = new Map(records.map((r) => [r.deviceLinkId, r]));
    for (const d of seeded) {
      // dead tokens were removed by the campaign; unlinked links never had a registration
      const registered = d.token !== null && !d.revoked && !(d.enabled && d.token.startsWith('dead-'));
      expect({
        id: d.deviceLinkId,
        flags: [byId.get(d.deviceLinkId)?.pushRegistered, byId.get(d.deviceLinkId)?.pushEnabled],
      }).toEqual({
        id: d.deviceLinkId,
        flags: [String(registered), String(registered && d.enabled)],
      });
    }
    for (const who of Object.keys(devices)) {
      const row = records.find((r) => r.userId === devices[who].userId);
      expect(row).toMatchObject({ pushRegistered: 'true', pushEnabled: 'true', revokedAt: '' });
    }
    expect(records.find((r) => r.userId === devices['tanaka-many'].userId)!.locale).toBe('en');
  });

  it('no export contains a token, a token hash, a ciphertext or a DPoP key of any kind', async () => {
    const secrets: string[] = [ADMIN_TOKEN, SECRET];
    for (const d of Object.values(devices)) {
      const hash = createHash('sha256').update(d.sessionToken).digest();
      const jwk = d.key['keyObject'].export({ format: 'jwk' });
      secrets.push(
        d.sessionToken,
        hash.toString('hex'),
        hash.toString('base64'),
        hash.toString('base64url'),
        d.key.thumbprint,
        d.key.publicJwk.x!,
        d.key.publicJwk.y!,
        jwk.d!,
        d.deviceId,
      );
    }
    for (const persona of Object.keys(devices))
      secrets.push(`ok-e2e-${persona}`, personaById(persona)!.subject);
    for (const d of seeded) if (d.token) secrets.push(d.token);
    const stored = await s.db.query<{ v: Buffer }>(
      `SELECT token_enc AS v FROM push_registrations WHERE token_enc IS NOT NULL
       UNION ALL SELECT session_token_hash FROM device_links
       UNION ALL SELECT access_token_enc FROM provider_tokens
       UNION ALL SELECT refresh_token_enc FROM provider_tokens WHERE refresh_token_enc IS NOT NULL`,
    );
    expect(stored.rows.length).toBeGreaterThan(seeded.length);
    for (const { v } of stored.rows)
      secrets.push(v.toString('hex'), v.toString('base64'), v.toString('base64url'));

    const bodies = await Promise.all(
      ['devices', 'campaigns', 'daily-stats', 'events'].map(async (d) => ({
        d,
        body: (await exportCsv(s.app.app, d)).body,
      })),
    );
    const legacy = await s.app.app.inject({
      method: 'GET',
      url: '/admin/v1/campaigns/export.csv',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    bodies.push({ d: 'campaigns/export', body: legacy.body });
    for (const { d, body } of bodies) {
      const found = secrets.filter((x) => body.includes(x));
      expect({ d, found }).toEqual({ d, found: [] });
      expect({ d, jwt: /eyJ[A-Za-z0-9_-]{10,}/.test(body) }).toEqual({ d, jwt: false });
    }
  });
});
