import { DataSource } from 'typeorm';
import { TokenCipher } from '../../src/common/crypto/token-cipher.js';
import { CampaignQueryService } from '../../src/modules/push/index.js';
import { startFcmSimulator, type FcmSimulator } from '../simulators/fcm/fcm-simulator.js';
import { startTestApp, type TestApp } from '../support/test-app';
import { postWebhook, seedDevices } from './push-fixture';

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

    const res = await postWebhook((o) => t.app.inject(o), {
      notificationId: 'camp-10k',
      noticeId: 'ntc-9',
      category: 'agency',
      audience: { type: 'all' },
      message: { title: { ja: 'お知らせ', en: 'Notice' }, body: { ja: '本文', en: 'Body' } },
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

  it('sends a users campaign to the people linked when it is sent, unknown subjects skipped', async () => {
    const cipher = t.app.get(TokenCipher);
    await seedDevices(db, cipher, ['ok-users-early'], ['subject-users-early']);
    const res = await postWebhook((o) => t.app.inject(o), {
      notificationId: 'camp-users-1',
      noticeId: null,
      audience: {
        type: 'users',
        subjects: ['subject-users-early', 'subject-users-late', 'subject-never-linked'],
      },
      message: { title: { ja: 'お知らせ' }, body: { ja: '本文' } },
      sendAt: new Date(Date.now() + 3000).toISOString(),
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ status: 'scheduled' });
    const { campaignId } = res.json<{ campaignId: string }>();
    // this person links after the webhook, before the campaign is sent
    await seedDevices(db, cipher, ['ok-users-late'], ['subject-users-late']);

    const query = t.app.get(CampaignQueryService);
    const deadline = Date.now() + 60_000;
    let view = await query.get(campaignId);
    while (!['completed', 'failed', 'cancelled'].includes(view.status) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      view = await query.get(campaignId);
    }
    expect(view).toMatchObject({ status: 'completed', targeted: 2, sent: 2 });
    const perToken = sim.stats().tokens ?? {};
    expect([perToken['ok-users-early']?.successes, perToken['ok-users-late']?.successes]).toEqual([1, 1]);
    // resolved once; the subjects themselves are not kept
    const [row]: { ids: number; subjects: string[] | null }[] = await db.query(
      `SELECT cardinality(audience_person_ids) AS ids, audience_subjects AS subjects FROM push_campaigns WHERE id = $1`,
      [campaignId],
    );
    expect(row).toEqual({ ids: 2, subjects: null });
  }, 90_000);
});
