import request from 'supertest';
import { ProbeModule } from './probe.module';
import { startTestApp, type TestApp } from '../support/test-app';

describe('request logging', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ imports: [ProbeModule] });
  });
  afterAll(async () => {
    await t.close();
  });

  it('writes one access line per request with method, route, status and latency, and never the bearer value', async () => {
    const res = await request(t.app.getHttpServer())
      .post('/__probe')
      .set('authorization', 'Bearer secret-value')
      .set('cookie', 'sid=cookie-secret-value')
      .set('x-request-id', 'logging-test-0001')
      .send({ deviceId: 'device-0001', platform: 'android' });
    expect(res.status).toBe(201);

    const lines = t.logs.filter((l) => l.requestId === 'logging-test-0001');
    const access = lines.filter((l) => l.msg === 'request completed');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({ method: 'POST', route: '/__probe', statusCode: 201, level: 'info' });
    expect(typeof access[0].durationMs).toBe('number');
    expect(t.rawLogs()).not.toContain('secret-value');
  });

  it('logs an unexpected error with its request id, without the Authorization value', async () => {
    await request(t.app.getHttpServer())
      .post('/__probe/boom')
      .set('authorization', 'Bearer another-secret-value')
      .set('x-request-id', 'logging-test-0002');
    const errorLine = t.logs.find((l) => l.requestId === 'logging-test-0002' && l.level === 'error');
    expect(errorLine).toMatchObject({ msg: 'request failed', errorCode: 'INTERNAL' });
    expect(t.rawLogs()).not.toContain('another-secret-value');
  });

  it('logs the route template, not a URL with query values', async () => {
    await request(t.app.getHttpServer()).get('/health/live?ticket=very-secret-ticket');
    expect(t.rawLogs()).not.toContain('very-secret-ticket');
  });
});
