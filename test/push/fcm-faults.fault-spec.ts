import type { Client } from 'pg';
import { TokenCipher } from '../../src/common/crypto/token-cipher';
import { BreakerRegistry } from '../../src/upstream/breaker-registry';
import { startFcmSimulator, type FcmSimulator } from '../simulators/fcm/fcm-simulator';
import { startTestApp, type TestApp } from '../support/test-app';
import {
  broadcast,
  campaignTokens,
  campaignTotals,
  connectDb,
  expectNothingLost,
  seedDevices,
  waitForEnd,
  waitUntil,
} from './push-fixture';

const DEVICES = 5000;

/**
 * TARGETS.md "Reliability": FCM answering 429 with Retry-After → sending slows and completes with
 * exact totals; FCM down → the breaker opens, sending pauses, and resumes by itself when FCM is back.
 */
describe('push broadcast while FCM throttles or is down', () => {
  let sim: FcmSimulator;
  let t: TestApp;
  let db: Client;

  beforeAll(async () => {
    sim = await startFcmSimulator({ projectId: 'myna-dev', latencyMs: 2 });
    t = await startTestApp({
      env: {
        FCM_PROJECT_ID: 'myna-dev',
        FCM_SIMULATOR_URL: sim.url,
        FCM_SIMULATOR_CA: sim.ca,
        FCM_RATE_LIMIT_PER_SECOND: '1500',
        UPSTREAM_BREAKER_RESET_MS: '2000',
        // a campaign of 10 batches: enough failed batches to judge FCM down
        UPSTREAM_BREAKER_VOLUME_THRESHOLD: '4',
      },
    });
    db = await connectDb();
  }, 60_000);
  afterAll(async () => {
    await db?.end();
    await t?.close();
    await sim?.close();
  }, 60_000);
  beforeEach(async () => {
    sim.reset();
    await db.query(`TRUNCATE push_registrations, device_links, people CASCADE`);
  });

  const metric = async (line: RegExp): Promise<number> => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    const m = line.exec(res.body);
    return m ? Number(m[1]) : 0;
  };

  it('slows down on 429 with Retry-After and completes with exact totals', async () => {
    const tokens = campaignTokens(DEVICES, 'quota');
    await seedDevices(db, t.app.get(TokenCipher), tokens);
    sim.configure({ quotaPerSecond: 600, retryAfterSeconds: 1 });
    const throttledBefore = await metric(/^push_messages_total\{outcome="throttled"\} (\d+)/m);

    const id = await broadcast((o) => t.app.inject(o), 'camp-fcm-quota');
    const totals = await waitForEnd(db, id, 150_000);

    const stats = sim.stats();
    expect(stats.failures).toBeGreaterThan(0);
    const throttledAnswers = Object.values(stats.tokens ?? {}).reduce(
      (n, s) => n + (s.failures.RESOURCE_EXHAUSTED ?? 0),
      0,
    );
    expect(throttledAnswers).toBeGreaterThan(0);
    expect(await metric(/^push_messages_total\{outcome="throttled"\} (\d+)/m)).toBe(
      throttledBefore + throttledAnswers,
    );
    expect(t.logs.some((l) => l.msg === 'FCM throttled; sending slowed')).toBe(true);
    expectNothingLost(totals, tokens, stats, 0);
  }, 180_000);

  it('opens the breaker while FCM is down, pauses, and resumes by itself when it returns', async () => {
    const tokens = campaignTokens(DEVICES, 'down');
    await seedDevices(db, t.app.get(TokenCipher), tokens);
    const breaker = (): string => t.app.get(BreakerRegistry).states().fcm;
    expect(breaker()).toBe('closed');

    const id = await broadcast((o) => t.app.inject(o), 'camp-fcm-down');
    await waitUntil(async () => (await campaignTotals(db, id)).batchesRecorded >= 1, 60_000, 'a first batch');
    sim.configure({ down: true });
    await waitUntil(async () => breaker() === 'open', 90_000, 'the FCM breaker to open');

    // paused: nothing more is recorded while FCM is down (no token counted as failed for the outage)
    const paused = await campaignTotals(db, id);
    await new Promise((r) => setTimeout(r, 3000));
    const later = await campaignTotals(db, id);
    expect(later.status).toBe('sending');
    expect(later.batchesRecorded).toBe(paused.batchesRecorded);
    expect(later.failed).toBe(0);
    expect(sim.stats().refused).toBeGreaterThan(0);
    expect(t.logs.some((l) => l.msg === 'FCM unavailable; sending paused')).toBe(true);

    sim.configure({ down: false });
    const totals = await waitForEnd(db, id, 150_000);
    expect(breaker()).toBe('closed');
    // a batch FCM refused entirely is tried again whole; one cut off between its retry rounds re-sends
    // what its first round delivered: at most one batch of duplicates
    expectNothingLost(totals, tokens, sim.stats(), 500);
  }, 240_000);
});
