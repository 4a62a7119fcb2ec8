import type { Client } from 'pg';
import { TokenCipher } from '../../src/common/crypto/token-cipher';
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
import { buildApp, WorkerProcess } from './worker-process';

const DEVICES = 6000;

/**
 * TARGETS.md "Reliability": the worker SIGKILLed mid-broadcast and started again → the campaign
 * completes, nothing lost, duplicates at most one batch (the batch sent but not yet recorded when
 * the process died). The API runs in this process; the worker role is a real `node main.js` child.
 */
describe('push broadcast while the worker process is SIGKILLed and restarted', () => {
  let sim: FcmSimulator;
  let api: TestApp;
  let db: Client;
  let app: { main: string; remove: () => void };
  let worker: WorkerProcess | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    app = await buildApp();
    sim = await startFcmSimulator({ projectId: 'myna-dev', latencyMs: 5 });
    env = {
      DATABASE_URL: process.env.DATABASE_URL!,
      REDIS_KEY_PREFIX: process.env.REDIS_KEY_PREFIX!,
      FCM_PROJECT_ID: 'myna-dev',
      FCM_SIMULATOR_URL: sim.url,
      FCM_SIMULATOR_CA: sim.ca,
      // one batch a second: the process dies with at most one batch in its hands
      FCM_RATE_LIMIT_PER_SECOND: '500',
    };
    api = await startTestApp({ env: { ...env, APP_ROLE: 'api' } });
    db = await connectDb();
  }, 120_000);
  afterAll(async () => {
    await worker?.kill();
    await db?.end();
    await api?.close();
    await sim?.close();
    app?.remove();
  }, 60_000);

  it('completes after a restart with exact totals; duplicates at most one batch', async () => {
    const tokens = campaignTokens(DEVICES, 'kill');
    await seedDevices(db, api.app.get(TokenCipher), tokens);
    worker = await WorkerProcess.start(app.main, env);
    const id = await broadcast((o) => api.app.inject(o), 'camp-worker-kill');

    await waitUntil(
      async () => {
        if (!worker!.running) throw new Error(`worker exited:\n${worker!.tail()}`);
        return (await campaignTotals(db, id)).batchesRecorded >= 3;
      },
      90_000,
      'three batches',
    );
    await worker.kill('SIGKILL');
    const atKill = await campaignTotals(db, id);
    expect(atKill.status).toBe('sending');
    expect(atKill.batchesRecorded).toBeLessThan(DEVICES / 500);

    worker = await WorkerProcess.start(app.main, env);
    // the jobs the dead process held are found stalled (BullMQ's lock expires) and run again
    const totals = await waitForEnd(db, id, 150_000);
    expectNothingLost(totals, tokens, sim.stats(), 500);
  }, 300_000);
});
