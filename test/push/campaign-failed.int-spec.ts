import type { Client } from 'pg';
import { TokenCipher } from '../../src/common/crypto/token-cipher';
import { CampaignQueryService } from '../../src/modules/push/index';
import { startFcmSimulator, type FcmSimulator } from '../simulators/fcm/fcm-simulator';
import { startTestApp, type TestApp } from '../support/test-app';
import { broadcast, connectDb, seedDevices, waitForEnd } from './push-fixture';

/**
 * ADR 0019: a batch whose send job spends every attempt is recorded unrecoverable (its tokens
 * counted failed) and the campaign ends `failed` instead of staying `sending`; the totals add up.
 * The fault: one registration whose stored token no longer decrypts (e.g. a key rotated wrongly).
 */
describe('a push campaign with an unrecoverable batch', () => {
  let sim: FcmSimulator;
  let t: TestApp;
  let db: Client;

  beforeAll(async () => {
    sim = await startFcmSimulator({ projectId: 'myna-dev' });
    t = await startTestApp({
      env: {
        FCM_PROJECT_ID: 'myna-dev',
        FCM_SIMULATOR_URL: sim.url,
        FCM_SIMULATOR_CA: sim.ca,
        PUSH_SEND_ATTEMPTS: '2',
      },
    });
    db = await connectDb();
  }, 60_000);
  afterAll(async () => {
    await db?.end();
    await t?.close();
    await sim?.close();
  });

  it('ends failed with sent + failed + invalidTokens + cancelledTokens = targeted', async () => {
    const tokens = Array.from({ length: 1200 }, (_, i) => (i % 100 === 0 ? `dead-f-${i}` : `ok-f-${i}`));
    await seedDevices(db, t.app.get(TokenCipher), tokens);
    const { rows } = await db.query<{ device_link_id: string }>(
      `SELECT device_link_id FROM push_registrations ORDER BY device_link_id OFFSET 700 LIMIT 1`,
    );
    const broken = rows[0].device_link_id;
    await db.query(`UPDATE push_registrations SET token_enc = '\\x00ff' WHERE device_link_id = $1`, [broken]);

    const id = await broadcast((o) => t.app.inject(o), 'camp-unrecoverable');
    const totals = await waitForEnd(db, id, 60_000);

    expect(totals.status).toBe('failed');
    expect(totals.targeted).toBe(1200);
    expect(totals.batchesRecorded).toBe(totals.batchesTotal);
    expect(totals.sent + totals.failed + totals.invalidTokens + totals.cancelledTokens).toBe(1200);
    const batches = await db.query<{ unrecoverable: boolean; failed: number; n: number; has: boolean }>(
      `SELECT unrecoverable, failed, cardinality(device_link_ids) AS n, $2::uuid = ANY(device_link_ids) AS has
         FROM push_batches WHERE campaign_id = $1 ORDER BY batch_no`,
      [id, broken],
    );
    const bad = batches.rows.filter((b) => b.unrecoverable);
    expect(bad).toHaveLength(1);
    expect(bad[0].has).toBe(true);
    expect(totals.failed).toBe(bad[0].n);
    expect(bad[0].failed).toBe(bad[0].n);
    // the other batches went out in full: nothing of the broken batch reached FCM
    const sentToFcm = sim.stats().successes;
    expect(sentToFcm).toBe(totals.sent);
    expect(totals.sent + totals.invalidTokens).toBe(1200 - bad[0].n);

    // what operators read (GET /admin/v1/campaigns/{id})
    const view = await t.app.get(CampaignQueryService).get(id);
    expect(view).toMatchObject({ status: 'failed', targeted: 1200, failed: bad[0].n, sent: totals.sent });
    expect(view.completedAt).not.toBeNull();
  }, 90_000);
});
