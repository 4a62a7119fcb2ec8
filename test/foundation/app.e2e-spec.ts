import request from 'supertest';
import { getQueueToken } from '@nestjs/bullmq';
import { ProbeModule } from './probe.module';
import { startTestApp, type TestApp } from '../support/test-app';
import { assertTestDatabase } from '../support/test-services';

describe('operations endpoints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves Prometheus text with the request duration histogram by route and status, and process metrics', async () => {
    await request(t.app.getHttpServer()).get('/health/live');
    const res = await request(t.app.getHttpServer()).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(
      /http_request_duration_seconds_bucket\{[^}]*route="\/health\/live"[^}]*status_code="200"/,
    );
    expect(res.text).toContain('process_resident_memory_bytes');
    expect(res.text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('serves Swagger UI and the OpenAPI document with the contract paths', async () => {
    const ui = await request(t.app.getHttpServer()).get('/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
    const doc = await request(t.app.getHttpServer()).get('/docs/openapi.json');
    expect(doc.status).toBe(200);
    for (const path of ['/v1/link/start', '/v1/link/complete', '/v1/link', '/health/ready']) {
      expect(Object.keys(doc.body.paths)).toContain(path);
    }
    expect(doc.body.paths['/v1/link/start'].post.requestBody).toBeDefined();
  });
});

describe('roles', () => {
  it('the worker role serves health and metrics but no app routes', async () => {
    const t = await startTestApp({ env: { APP_ROLE: 'worker' } });
    try {
      expect((await request(t.app.getHttpServer()).get('/health/live')).status).toBe(200);
      expect((await request(t.app.getHttpServer()).get('/metrics')).status).toBe(200);
      const link = await request(t.app.getHttpServer())
        .post('/v1/link/start')
        .send({ deviceId: 'device-0001', platform: 'ios' });
      expect(link.status).toBe(404);
      const queue = t.app.get(getQueueToken('token-revocation'), { strict: false });
      expect((await queue.getWorkers()).length).toBeGreaterThanOrEqual(1);
    } finally {
      await t.close();
    }
  });

  it('the api role serves app routes and runs no queue processors', async () => {
    const t = await startTestApp({ env: { APP_ROLE: 'api' } });
    try {
      const res = await request(t.app.getHttpServer()).get('/v1/link');
      expect(res.status).toBe(401);
      const queue = t.app.get(getQueueToken('token-revocation'), { strict: false });
      expect(queue).toBeDefined();
      expect(await queue.getWorkers()).toHaveLength(0);
    } finally {
      await t.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('finishes a request in flight, then stops accepting connections', async () => {
    const t = await startTestApp({ imports: [ProbeModule], listen: true });
    const inFlight = fetch(`${t.url}/__probe/slow`).then(async (r) => ({
      status: r.status,
      body: await r.json(),
    }));
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    const closing = t.close();
    expect(await inFlight).toEqual({ status: 200, body: { finished: true } });
    await closing;
    // Not held open until the 65 s keep-alive timeout by the connection that carried the request.
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect(fetch(`${t.url}/health/live`)).rejects.toThrow();
  });
});

describe('test harness', () => {
  it('refuses a database whose name does not contain "test"', () => {
    expect(() => assertTestDatabase('postgres://u@localhost:5432/production')).toThrow(/must contain "test"/);
    expect(assertTestDatabase('postgres://u@localhost:5432/myna_test_x')).toBe('myna_test_x');
  });
});
