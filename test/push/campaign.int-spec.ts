import { DataSource } from 'typeorm';
import { TokenCipher } from '../../src/common/crypto/token-cipher.js';
import { CampaignQueryService, signWebhook } from '../../src/modules/push/index.js';
import { startFcmSimulator, type FcmSimulator } from '../simulators/fcm/fcm-simulator.js';
import { startTestApp, type TestApp } from '../support/test-app';
import { seedDevices } from './push-fixture';

const DEVICES = 10_000;

describe('push campaign to 10,000 devices through the FCM simulator', () => {
  let sim: FcmSimulator;
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    sim = await startFcmSimulator({ projectId: 'myna-dev' });
    t = await startTestApp({
      env: {
        APP_ROLE: 'all',
        FCM_PROJECT_ID: 'myna-dev',
        FCM_SIMULATOR_URL: sim.url,
        FCM_SIMULATOR_CA: sim.ca,
      },
    });
    db = t.app.get(DataSource);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it('completes with exact totals, dead tokens removed, every live token received exactly once', async () => {
    const tokens = Array.from({ length: DEVICES }, (_, i) =>
      i % 100 === 0 ? `dead-${i}` : i % 100 === 1 ? `flaky-${i}` : `ok-${i}`,
    );
    await seedDevices(db, t.app.get(TokenCipher), tokens);

    const raw = JSON.stringify({
      notificationId: 'camp-10k',
      noticeId: 'ntc-9',
      category: 'agency',
      audience: { type: 'all' },
      message: { title: { ja: 'お知らせ', en: 'Notice' }, body: { ja: '本文', en: 'Body' } },
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/webhooks/push',
      headers: {
        'content-type': 'application/json',
        'x-myna-signature': signWebhook('dev-webhook-secret', raw, Math.floor(Date.now() / 1000)),
      },
      payload: raw,
    });
    expect(res.statusCode).toBe(202);
    const { campaignId } = res.json<{ campaignId: string }>();

    const query = t.app.get(CampaignQueryService);
    const deadline = Date.now() + 150_000;
    let view = await query.get(campaignId);
    while (!['completed', 'failed', 'cancelled'].includes(view.status) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      view = await query.get(campaignId);
    }
    expect(view.status).toBe('completed');
    expect(view.targeted).toBe(DEVICES);
    expect(view.invalidTokens).toBe(DEVICES / 100);
    expect(view.failed).toBe(0); // flaky tokens fail once, then their retry succeeds
    expect(view.cancelledTokens).toBe(0);
    expect(view.sent + view.failed + view.invalidTokens + view.cancelledTokens).toBe(view.targeted);
    expect(view.sent).toBe(DEVICES - DEVICES / 100 - view.failed);

    const left: { n: string }[] = await db.query(
      `SELECT count(*) AS n FROM push_registrations WHERE device_link_id IN (SELECT id FROM device_links)`,
    );
    expect(Number(left[0].n)).toBe(DEVICES - DEVICES / 100);

    const stats = sim.stats();
    expect(stats.duplicates).toEqual([]);
    const perToken = stats.tokens ?? {};
    const live = tokens.filter((tok) => !tok.startsWith('dead-'));
    const liveSuccesses = live.filter((tok) => perToken[tok]?.successes === 1).length;
    expect(liveSuccesses).toBe(view.sent);
    expect(live.every((tok) => (perToken[tok]?.successes ?? 0) <= 1)).toBe(true);

    const deliveries: { n: string }[] = await db.query(
      `SELECT count(*) AS n FROM push_deliveries WHERE campaign_id = $1`,
      [campaignId],
    );
    expect(Number(deliveries[0].n)).toBe(view.sent);
  }, 180_000);
});
