import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { CloudWatchEmfPublisher } from '../../src/metrics/cloudwatch-emf.publisher';
import { startTestApp, type TestApp } from '../support/test-app';

describe('CloudWatch metrics as EMF log lines', () => {
  let t: TestApp;
  beforeAll(async () => {
    // api role: the queue is there to measure, no worker drains it.
    t = await startTestApp({ env: { APP_ROLE: 'api', CLOUDWATCH_EMF_INTERVAL_MS: '100' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('publishes breaker states and queue depth and age for the alarms and autoscaling', async () => {
    const queue = t.app.get<Queue>(getQueueToken('token-revocation'), { strict: false });
    await queue.add('revoke', { revocationId: 'emf-test' }, { jobId: 'emf-test' });
    await new Promise((r) => setTimeout(r, 1100));
    const lines = await t.app.get(CloudWatchEmfPublisher).publish();

    const breaker = lines.find((l) => l.Upstream === 'digital-auth');
    expect(breaker).toMatchObject({
      CircuitBreakerOpen: 0,
      _aws: { CloudWatchMetrics: [{ Namespace: 'MynaBff', Dimensions: [['Upstream']] }] },
    });
    const depth = lines.find((l) => l.Queue === 'token-revocation');
    expect(depth).toMatchObject({ QueueWaiting: 1 });
    expect(depth!.QueueOldestWaitingAgeSeconds).toBeGreaterThanOrEqual(1);

    // The timer writes them too, as top-level EMF documents in the JSON log.
    const logged = t.logs.filter((l) => l.msg === 'cloudwatch metrics' && l.Queue === 'token-revocation');
    expect(logged.length).toBeGreaterThanOrEqual(2);
    expect(logged[0]._aws).toBeDefined();
    await queue.obliterate({ force: true });
  });
});
