import type { Client } from 'pg';
import { TokenCipher } from '../../src/common/crypto/token-cipher';
import { startFcmSimulator, type FcmSimulator } from '../simulators/fcm/fcm-simulator';
import { TcpProxy } from '../support/tcp-proxy';
import { startTestApp, type TestApp } from '../support/test-app';
import {
  broadcast,
  campaignTokens,
  campaignTotals,
  connectDb,
  expectNothingLost,
  postWebhook,
  seedDevices,
  waitForEnd,
  waitUntil,
} from './push-fixture';

const DEVICES = 3000;

/**
 * TARGETS.md "Reliability": PostgreSQL unavailable → requests answer 503 quickly, no half-written
 * campaign. The app (API and workers in one process) reaches PostgreSQL through a TCP proxy that
 * drops every connection the moment the app sends one chosen statement: the database goes away in
 * the middle of the webhook, and in the middle of recording a batch's outcome.
 */
describe('PostgreSQL lost in the middle of a webhook or a broadcast', () => {
  let pg: TcpProxy;
  let sim: FcmSimulator;
  let t: TestApp;
  let db: Client;

  beforeAll(async () => {
    pg = TcpProxy.forUrl(process.env.DATABASE_URL!, 5432);
    await pg.start();
    sim = await startFcmSimulator({ projectId: 'myna-dev', latencyMs: 5 });
    t = await startTestApp({
      env: {
        DATABASE_URL: pg.rewrite(process.env.DATABASE_URL!),
        FCM_PROJECT_ID: 'myna-dev',
        FCM_SIMULATOR_URL: sim.url,
        FCM_SIMULATOR_CA: sim.ca,
        // one batch a second: the cut catches one batch in flight, not several
        FCM_RATE_LIMIT_PER_SECOND: '500',
      },
    });
    db = await connectDb(); // the test's own connection goes around the proxy
  }, 60_000);
  afterAll(async () => {
    await pg.restore().catch(() => undefined);
    await db?.end();
    await t?.close();
    await sim?.close();
    await pg.stop();
  }, 60_000);

  const campaignsOf = async (notificationId: string): Promise<number> =>
    (
      await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM push_campaigns WHERE notification_id = $1`,
        [notificationId],
      )
    ).rows[0].n;

  it('answers the webhook 503 fast with nothing written, and the retried webhook is one campaign', async () => {
    const post = () =>
      postWebhook((o) => t.app.inject(o), {
        notificationId: 'pg-cut-webhook',
        noticeId: null,
        audience: { type: 'all' },
        message: { title: { ja: 'お知らせ' }, body: { ja: '本文' } },
      });
    const cut = pg.cutWhenClientSends('INSERT INTO push_campaigns');
    const started = Date.now();
    const res = await post();
    await cut;
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      requestId: res.headers['x-request-id'],
    });
    expect(Date.now() - started).toBeLessThan(5000);
    await pg.restore();
    expect(await campaignsOf('pg-cut-webhook')).toBe(0);

    // the Mynaportal backend retries: one campaign, which ends (there is no audience yet)
    const again = await post();
    expect(again.statusCode).toBe(202);
    const id = again.json<{ campaignId: string }>().campaignId;
    expect(await campaignsOf('pg-cut-webhook')).toBe(1);
    expect((await waitForEnd(db, id, 30_000)).status).toBe('completed');
  }, 60_000);

  it('completes a broadcast whose database went away while a batch was being recorded: exact totals', async () => {
    const tokens = campaignTokens(DEVICES, 'pgcut');
    await seedDevices(db, t.app.get(TokenCipher), tokens);
    const id = await broadcast((o) => t.app.inject(o), 'pg-cut-broadcast');
    await waitUntil(async () => (await campaignTotals(db, id)).batchesRecorded >= 1, 60_000, 'a first batch');

    // the next batch's outcome transaction loses the database after its tokens were sent
    await pg.cutWhenClientSends('INSERT INTO push_deliveries');
    const during = await campaignTotals(db, id);
    expect(during.status).toBe('sending');
    await new Promise((r) => setTimeout(r, 1000));
    await pg.restore();

    const totals = await waitForEnd(db, id, 120_000);
    // the batch whose recording was lost is sent again: its tokens may arrive twice, no others
    expectNothingLost(totals, tokens, sim.stats(), 500);
  }, 180_000);
});
