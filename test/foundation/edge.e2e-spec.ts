import request from 'supertest';
import { ProbeModule } from './probe.module';
import { startTestApp, type TestApp } from '../support/test-app';
import { rawRequest, type RawResponse } from '../support/raw-http';

/** The answer is API.md's problem+json with the request id in header and body. */
function expectProblem(res: RawResponse, status: number, code: string): Record<string, unknown> {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(res.body) as Record<string, unknown>;
  expect(body).toMatchObject({ status, code });
  expect(res.headers['x-request-id']).toEqual(expect.any(String));
  expect(body.requestId).toBe(res.headers['x-request-id']);
  return body;
}

describe('the edge: errors raised before Nest sees the request are problem+json too', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ imports: [ProbeModule], listen: true });
  });
  afterAll(async () => {
    await t.close();
  });

  const raw = (head: string, body = ''): Promise<RawResponse> =>
    rawRequest(t.url, `${head}\r\nHost: localhost\r\nConnection: close\r\n\r\n${body}`);

  it('a malformed percent-encoding in the path (FST_ERR_BAD_URL) → 400 VALIDATION_FAILED', async () => {
    const res = await raw('GET /v1/notices/%ED%A0%80 HTTP/1.1\r\nAccept-Language: en');
    const body = expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(body.errors).toEqual([{ field: 'path', message: 'is not a valid URL path.' }]);
  });

  it('headers over the 16 KiB limit → 400 VALIDATION_FAILED naming the headers (not a bare 431)', async () => {
    const res = await raw(`GET /health/live HTTP/1.1\r\nAccept-Language: en\r\nX-Pad: ${'a'.repeat(20_000)}`);
    const body = expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(body.errors).toEqual([{ field: 'headers', message: 'are too large (at most 16 KiB).' }]);
  });

  it.each([
    ['a control character in a header', 'GET /health/live HTTP/1.1\r\nX-Bad: a\x01b', ''],
    [
      'Content-Length with Transfer-Encoding (request smuggling)',
      'POST /__probe HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked',
      '0\r\n\r\n',
    ],
    ['a method Node does not know', 'BREW /health/live HTTP/1.1', ''],
  ])('%s → 400 VALIDATION_FAILED in Japanese by default', async (_name, head, body) => {
    const res = await raw(head, body);
    const problem = expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(problem.title).toBe('入力内容に誤りがあります');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('an HTTP/1.1 request without Host → 400 VALIDATION_FAILED (Node would answer a bare 400)', async () => {
    const res = await rawRequest(
      t.url,
      'GET /health/live HTTP/1.1\r\nAccept-Language: en\r\nConnection: close\r\n\r\n',
    );
    const body = expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(body.errors).toEqual([{ field: 'Host', message: expect.any(String) }]);
  });

  it('an unknown route, and a known path with a method it does not have, → 404 NOT_FOUND', async () => {
    for (const [method, path] of [
      ['GET', '/v1/nothing-here'],
      ['PUT', '/v1/link'],
      ['PATCH', '/v1/notices'],
      ['PROPFIND', '/v1/link'],
    ]) {
      const res = await raw(`${method} ${path} HTTP/1.1\r\nAccept-Language: en`);
      const body = expectProblem(res, 404, 'NOT_FOUND');
      expect(body.title).toBe('Not found');
    }
  });

  it('refuses JSON nested deeper than 32 levels with 400 before any transformation, cheaply', async () => {
    const deep = `{"deviceId":"device-0001","platform":"ios","x":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    expect(deep.length).toBeLessThan(64 * 1024);
    const res = await request(t.app.getHttpServer())
      .post('/__probe')
      .set('content-type', 'application/json')
      .set('accept-language', 'en')
      .send(deep);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'body', message: 'is nested too deeply (at most 32 levels).' }],
    });
    // 32 levels pass the parser and reach validation (here: an unknown field).
    const ok = `{"deviceId":"device-0001","platform":"ios","x":${'['.repeat(31)}${']'.repeat(31)}}`;
    const shallow = await request(t.app.getHttpServer())
      .post('/__probe')
      .set('content-type', 'application/json')
      .set('accept-language', 'en')
      .send(ok);
    expect(shallow.status).toBe(400);
    expect(shallow.body.errors).toEqual([{ field: 'x', message: 'is not allowed.' }]);
  });

  it('keeps the raw body for signature checks, byte for byte', async () => {
    const text = '{ "a" :  "é",\n "b": [1, 2] }';
    const res = await request(t.app.getHttpServer())
      .post('/__probe/raw')
      .set('content-type', 'application/json; charset=utf-8')
      .send(text);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ raw: text });
  });

  it('still refuses prototype poisoning in JSON', async () => {
    const res = await request(t.app.getHttpServer())
      .post('/__probe')
      .set('content-type', 'application/json')
      .send('{"deviceId":"device-0001","platform":"ios","__proto__":{"isAdmin":true}}');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });
});

describe('the edge: client IP behind the ALB and rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      imports: [ProbeModule],
      env: { TRUST_PROXY_HOPS: '1', RATE_LIMIT_PER_IP: '3', RATE_LIMIT_PER_SESSION: '2' },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const fromClient = (xff: string) =>
    request(t.app.getHttpServer())
      .get('/__probe/ip')
      .set('x-forwarded-for', xff)
      .set('accept-language', 'en');

  it('takes the address the ALB appended, not the leftmost one the client wrote', async () => {
    const res = await fromClient('6.6.6.6, 203.0.113.50');
    expect(res.body).toEqual({ ip: '203.0.113.50' });
  });

  it('a forged X-Forwarded-For cannot change the rate-limit key: 429 RATE_LIMITED with Retry-After', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await fromClient(`198.51.100.${i}, 203.0.113.7`)).status).toBe(200);
    }
    const limited = await fromClient('9.9.9.9, 8.8.8.8, 203.0.113.7');
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.body).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.body.requestId).toBe(limited.headers['x-request-id']);
    // another real client is not affected
    expect((await fromClient('198.51.100.1, 203.0.113.8')).status).toBe(200);
  });

  it('limits per session: one session used up does not limit another', async () => {
    const call = (token: string) =>
      request(t.app.getHttpServer()).get('/__probe/per-session').set('authorization', `DPoP ${token}`);
    expect((await call('session-a')).status).toBe(200);
    expect((await call('session-a')).status).toBe(200);
    const limited = await call('session-a');
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await call('session-b')).status).toBe(200);
  });
});

describe('the edge: without trusted proxies', () => {
  it('ignores X-Forwarded-For entirely (TRUST_PROXY_HOPS=0)', async () => {
    const t = await startTestApp({ imports: [ProbeModule], env: { TRUST_PROXY_HOPS: '0' } });
    try {
      const res = await request(t.app.getHttpServer())
        .get('/__probe/ip')
        .set('x-forwarded-for', '203.0.113.9');
      expect(res.body.ip).not.toBe('203.0.113.9');
    } finally {
      await t.close();
    }
  });
});

describe('the edge: security headers and CORS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ imports: [ProbeModule] });
  });
  afterAll(async () => {
    await t.close();
  });

  it('every answer carries API security headers and no-store, errors included', async () => {
    for (const path of ['/health/live', '/v1/link', '/v1/notices', '/v1/nothing-here']) {
      const res = await request(t.app.getHttpServer()).get(path);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-powered-by']).toBeUndefined();
      // HSTS only in production (NODE_ENV=test here)
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('CORS is closed: no origin is allowed, a preflight is not granted', async () => {
    const simple = await request(t.app.getHttpServer())
      .get('/health/live')
      .set('origin', 'https://evil.example');
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await request(t.app.getHttpServer())
      .options('/v1/link')
      .set('origin', 'https://evil.example')
      .set('access-control-request-method', 'DELETE')
      .set('access-control-request-headers', 'authorization');
    expect(preflight.status).toBe(404);
    expect(preflight.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('Swagger UI at /docs works under its own CSP: same-origin scripts, no inline script, no framing', async () => {
    const ui = await request(t.app.getHttpServer()).get('/docs');
    expect(ui.status).toBe(200);
    const csp = ui.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("script-src 'self' 'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'none'");
    // every script of the page is an external same-origin file the CSP allows
    const scripts = [...ui.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, inline] of scripts) {
      expect(inline.trim()).toBe('');
      const src = /src="([^"]+)"/.exec(attributes)?.[1] ?? '';
      expect(src).toMatch(/^\.?\/?(docs\/)?[\w.-]+\.js$/);
      const asset = await request(t.app.getHttpServer()).get(new URL(src, 'http://x/docs').pathname);
      expect(asset.status).toBe(200);
    }
  });
});
