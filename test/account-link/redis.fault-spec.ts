import { randomBytes } from 'node:crypto';
import { driveLogin } from '../simulators/oidc/drive-login';
import { linkDevice } from '../support/link-helper';
import { PrivateRedis } from '../support/redis-server';
import { DpopClient } from '../support/dpop-client';
import { startLinkStack, type LinkStack } from './account-link-stack';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(100);
  }
}

/**
 * TARGETS.md "Reliability": Redis down during link / unlink → unlink answers 204 at once and the
 * revocation is recovered by the sweep; link answers 503 fast. The app uses a redis-server of this
 * test's own, which the test kills (SIGKILL: connections drop, every key is lost) and starts again.
 */
describe('Redis lost and back during link and unlink', () => {
  let redis: PrivateRedis;
  let s: LinkStack;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    // API and workers in one process (the default role): the workers' shutdown after this outage
    // must finish too (src/queue/graceful-worker.ts).
    s = await startLinkStack({ env: { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'fault' } });
  });
  afterAll(async () => {
    await redis.start().catch(() => undefined);
    await s.close();
    await redis.stop();
  }, 30_000);

  const ready = async (): Promise<boolean> =>
    (await s.inject({ method: 'GET', url: '/health/ready' })).statusCode === 200;

  it('answers link start 503 fast while Redis is down, and links again once it is back', async () => {
    await redis.stop();
    const started = Date.now();
    const res = await s.injectDpop(await DpopClient.create(), {
      method: 'POST',
      url: '/v1/link/start',
      payload: { deviceId: 'device-redis-down', platform: 'ios' },
    });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      requestId: res.headers['x-request-id'],
    });
    expect(res.headers['retry-after']).toBeDefined();
    expect(Date.now() - started).toBeLessThan(3000);

    await redis.start();
    await waitFor(ready, 15_000);
    const device = await linkDevice(s.app, 'sato-hanako');
    expect((await s.as(device, { method: 'GET', url: '/v1/link' })).statusCode).toBe(200);
  });

  it('answers link completion 503 fast while Redis is down; after a restart the lost state is refused, a new link works', async () => {
    const deviceId = `dev-${randomBytes(6).toString('hex')}`;
    const key = await DpopClient.create();
    const start = await s.injectDpop(key, {
      method: 'POST',
      url: '/v1/link/start',
      payload: { deviceId, platform: 'android' },
    });
    expect(start.statusCode).toBe(201);
    const login = await driveLogin(
      start.json<{ authorizationUrl: string }>().authorizationUrl,
      'suzuki-ichiro',
    );

    await redis.stop();
    const started = Date.now();
    const complete = { state: login.state, code: login.code, deviceId };
    const down = await s.injectDpop(key, { method: 'POST', url: '/v1/link/complete', payload: complete });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(3000);

    await redis.start();
    await waitFor(ready, 15_000);
    // the restarted Redis lost the single-use state: refused, never a half-made link
    const lost = await s.injectDpop(key, { method: 'POST', url: '/v1/link/complete', payload: complete });
    expect(lost.statusCode).toBe(400);
    expect(lost.json()).toMatchObject({ code: 'LINK_STATE_INVALID' });
    const { rows } = await s.db.query(`SELECT 1 FROM device_links WHERE device_id = $1`, [deviceId]);
    expect(rows).toHaveLength(0);
    await linkDevice(s.app, 'suzuki-ichiro');
  });

  // Unlink while Redis is down: unlink-redis-down.fault-spec.ts.
});
