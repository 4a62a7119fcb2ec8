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

  it('headers over the 16 KiB limit → 413 PAYLOAD_TOO_LARGE (not a bare 431)', async () => {
    const res = await raw(`GET /health/live HTTP/1.1\r\nAccept-Language: en\r\nX-Pad: ${'a'.repeat(20_000)}`);
    const body = expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
    expect(body.title).toBe('Payload too large');
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
