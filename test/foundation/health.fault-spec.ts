import request from 'supertest';
import { DpopClient } from '../support/dpop-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { TcpProxy } from '../support/tcp-proxy';

async function readiness(t: TestApp): Promise<{ status: number; body: Record<string, any> }> {
  const res = await request(t.app.getHttpServer()).get('/health/ready');
  return { status: res.status, body: res.body };
}

async function eventually(t: TestApp, expected: number, timeoutMs = 15000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  let last = await readiness(t);
  while (last.status !== expected && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    last = await readiness(t);
  }
  expect(last.status).toBe(expected);
  return last.body;
}

describe('readiness follows PostgreSQL and Redis (fault injection through TCP proxies)', () => {
  let t: TestApp;
  let pg: TcpProxy;
  let redis: TcpProxy;

  beforeAll(async () => {
    pg = TcpProxy.forUrl(process.env.DATABASE_URL!, 5432);
    redis = TcpProxy.forUrl(process.env.REDIS_URL!, 6379);
    await Promise.all([pg.start(), redis.start()]);
    t = await startTestApp({
      env: {
        DATABASE_URL: pg.rewrite(process.env.DATABASE_URL!),
        REDIS_URL: redis.rewrite(process.env.REDIS_URL!),
        // The api role: readiness is what is under test. A BullMQ worker whose Redis connection
        // dropped can hang in close() (taskforcesh/bullmq#4656); in production main.ts bounds
        // shutdown by SHUTDOWN_TIMEOUT_MS.
        APP_ROLE: 'api',
      },
    });
  });

  afterAll(async () => {
    await pg.restore().catch(() => undefined);
    await redis.restore().catch(() => undefined);
    await t.close();
    await Promise.all([pg.stop(), redis.stop()]);
  }, 30000);

  it('is ready when both answer, listing each check and the breakers', async () => {
    const { status, body } = await readiness(t);
    expect(status).toBe(200);
    expect(body.details).toMatchObject({
      database: { status: 'up' },
      redis: { status: 'up' },
      upstreams: { status: 'up', breakers: expect.any(Object) },
    });
  });

  it('answers 503 while PostgreSQL is down and 200 again when it returns, without a restart', async () => {
    await pg.cut();
    const down = await eventually(t, 503);
    expect(down.details.database.status).toBe('down');
    expect(down.details.redis.status).toBe('up');

    const live = await request(t.app.getHttpServer()).get('/health/live');
    expect(live.status).toBe(200);

    await pg.restore();
    const up = await eventually(t, 200);
    expect(up.details.database.status).toBe('up');
  });

  it('answers app requests with a fast 503 UPSTREAM_UNAVAILABLE, not a 500, while PostgreSQL is down', async () => {
    await pg.cut();
    try {
      const token = 'a'.repeat(43);
      const headers = await (
        await DpopClient.create()
      ).injectHeaders(t.config.app.publicBaseUrl, 'GET', '/v1/link', token);
      const started = Date.now();
      const res = await request(t.app.getHttpServer())
        .get('/v1/link')
        .set(headers)
        .set('accept-language', 'en');
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
      expect(res.headers['retry-after']).toBe('1');
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await pg.restore();
    }
    await eventually(t, 200);
  });

  it('answers link completion with a fast 503 while Redis (link state) is down', async () => {
    await redis.cut();
    try {
      await eventually(t, 503);
      // Completion checks the proof's jti and reads the link state in Redis before anything else.
      const proof = await (
        await DpopClient.create()
      ).injectHeaders(t.config.app.publicBaseUrl, 'POST', '/v1/link/complete');
      const res = await request(t.app.getHttpServer())
        .post('/v1/link/complete')
        .set(proof)
        .send({ state: 's'.repeat(43), code: 'some-code', deviceId: 'device-redis-down' });
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('UPSTREAM_UNAVAILABLE');
    } finally {
      await redis.restore();
    }
    await eventually(t, 200);
  });

  it('answers 503 while Redis is down and 200 again when it returns, without a restart', async () => {
    await redis.cut();
    const started = Date.now();
    const down = await eventually(t, 503);
    expect(Date.now() - started).toBeLessThan(10000);
    expect(down.details.redis.status).toBe('down');
    expect(down.details.database.status).toBe('up');

    await redis.restore();
    const up = await eventually(t, 200);
    expect(up.details.redis.status).toBe('up');
  });
});
