import { linkDevice } from '../support/link-helper';
import { PrivateRedis } from '../support/redis-server';
import { startLinkStack, type LinkStack } from './account-link-stack';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * TARGETS.md: "Redis down during unlink → unlink answers 204 at once, revocation recovered by the
 * sweep". The app runs on a private redis-server child (the shared one is never stopped).
 */
describe('unlink while Redis is down', () => {
  let redis: PrivateRedis;
  let s: LinkStack;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    s = await startLinkStack({ env: { REDIS_URL: redis.url } });
  });
  afterAll(async () => {
    await s?.close();
    await redis?.stop();
  });

  it('answers 204 at once, writes the audit line, and the revocation is done once Redis returns', async () => {
    const device = await linkDevice(s.app, 'sato-hanako');
    const pending = async (): Promise<number> =>
      (await s.db.query(`SELECT 1 FROM token_revocations WHERE person_id = $1`, [device.userId])).rowCount ??
      0;
    for (let i = 0; i < 100 && (await pending()) > 0; i++) await sleep(100);
    s.oidc.resetStats();

    await redis.stop();
    const started = Date.now();
    const res = await s.as(device, { method: 'DELETE', url: '/v1/link' });
    const ms = Date.now() - started;
    expect(res.statusCode).toBe(204);
    expect(ms).toBeLessThan(2000); // the enqueue is bounded (500 ms); before, this never answered
    expect(s.app.logs.some((l) => l.event === 'link.unlinked' && l.userId === device.userId)).toBe(true);
    expect(await pending()).toBe(1); // the durable outbox row
    expect((await s.as(device, { method: 'GET', url: '/v1/link' })).statusCode).toBe(401);

    await redis.start();
    const deadline = Date.now() + 25_000;
    while ((await pending()) > 0 && Date.now() < deadline) await sleep(200);
    expect(await pending()).toBe(0);
    expect(s.oidc.stats().revocation).toBe(1);
  });
});
