import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { PUSH_SEND_QUEUE } from '../../src/queue/queues';
import { startFcmSimulator, type FcmSimulator } from '../simulators/fcm/fcm-simulator';
import { startTestApp, type TestApp } from '../support/test-app';
import { adminEnv, asAdmin } from './admin-env';
import { adminGet, sendWebhook, seedDevices, waitForCampaign, type AdminCampaign } from './campaign-helpers';

const SECRET = 'cancel-webhook-secret';
const AUDIENCE = 800;
const BATCH = 10;
const CONCURRENCY = 2;

/**
 * A broadcast slowed to ~40 messages/s (the send queue's rate limit, 10-token batches, 2 at a time,
 * 50 ms FCM latency) so it is still sending when the operator cancels it.
 */
describe('cancel of a running campaign', () => {
  let sim: FcmSimulator;
  let t: TestApp;

  beforeAll(async () => {
    sim = await startFcmSimulator({ projectId: 'myna-dev', latencyMs: 50 });
    t = await startTestApp({
      env: {
        ...adminEnv,
        APP_ROLE: 'all',
        WEBHOOK_SECRETS: SECRET,
        FCM_PROJECT_ID: 'myna-dev',
        FCM_SIMULATOR_URL: sim.url,
        FCM_SIMULATOR_CA: sim.ca,
        PUSH_BATCH_SIZE: String(BATCH),
        PUSH_SEND_CONCURRENCY: String(CONCURRENCY),
        FCM_RATE_LIMIT_PER_SECOND: '40',
      },
    });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it('stops new sends at the answer; in-flight batches finish; the totals still add up', async () => {
    const db = t.app.get(DataSource);
    await seedDevices(db, t.app, AUDIENCE, (i) => ({
      token: `ok-cancel-${i}`,
      enabled: true,
      revoked: false,
    }));
    const id = await sendWebhook(t.app, SECRET, {
      notificationId: 'cancel-running-1',
      noticeId: null,
      category: '運営主体お知らせ',
      audience: { type: 'all' },
      message: { title: { ja: '中止されるお知らせ' }, body: { ja: '本文' } },
    });
    const running = await waitForCampaign(t.app, id, () => sim.stats().successes >= 3 * BATCH);
    expect(running.status).toBe('sending');

    const answer = await t.app.inject({
      method: 'POST',
      url: `/admin/v1/campaigns/${id}/cancel`,
      headers: asAdmin(),
    });
    const requestsAtCancel = sim.stats().requests;
    expect(answer.statusCode).toBe(202);
    // still running: batches in flight finish, the campaign ends when they are recorded
    expect(answer.json<AdminCampaign>()).toMatchObject({ id, status: 'sending' });

    const ended = await waitForCampaign(t.app, id);
    expect(ended.status).toBe('cancelled');
    const queue = t.app.get<Queue>(getQueueToken(PUSH_SEND_QUEUE));
    const left = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
    expect(Object.values(left).reduce((a, b) => a + b, 0)).toBe(0);

    // after the answer, at most the batches already being sent reached FCM; nothing is left to send
    const stats = sim.stats();
    expect(stats.requests - requestsAtCancel).toBeLessThanOrEqual(CONCURRENCY * BATCH);
    expect(stats.duplicates).toEqual([]);
    expect(ended.sent).toBe(stats.successes);
    expect(ended.sent).toBeLessThan(AUDIENCE);
    expect(ended.cancelledTokens).toBeGreaterThan(0);
    expect(ended.targeted).toBeLessThanOrEqual(AUDIENCE);
    expect(ended.sent + ended.failed + ended.invalidTokens + ended.cancelledTokens).toBe(ended.targeted);

    // the day's counters saw the same sends
    const today = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
    const daily = await adminGet<{ items: { sent: number; targeted: number }[] }>(
      t.app,
      `/admin/v1/stats/daily?from=${today}&to=${today}`,
    );
    expect(daily.items[0]).toMatchObject({ sent: ended.sent, targeted: ended.targeted });

    const again = await t.app.inject({
      method: 'POST',
      url: `/admin/v1/campaigns/${id}/cancel`,
      headers: asAdmin(),
    });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ code: string }>().code).toBe('CAMPAIGN_ENDED');
  }, 120_000);
});
