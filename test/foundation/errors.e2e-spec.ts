import request from 'supertest';
import { ProbeModule } from './probe.module';
import { startTestApp, type TestApp } from '../support/test-app';

describe('problem+json errors (API.md common rules)', () => {
  let t: TestApp;
  const valid = { deviceId: 'device-0001', platform: 'ios' };

  beforeAll(async () => {
    t = await startTestApp({ imports: [ProbeModule] });
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (body: string, lang?: string) => {
    const req = request(t.app.getHttpServer()).post('/__probe').set('content-type', 'application/json');
    if (lang) void req.set('accept-language', lang);
    return req.send(body);
  };

  it('accepts a valid body', async () => {
    const res = await post(JSON.stringify(valid));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ ok: true, deviceId: 'device-0001' });
  });

  it.each([
    ['ja', undefined, '入力内容に誤りがあります', 'この項目は指定できません。'],
    ['en', 'en-US,en;q=0.9', 'The request is invalid', 'is not allowed.'],
  ])('rejects an unknown field in %s', async (_lang, header, title, message) => {
    const res = await post(JSON.stringify({ ...valid, isAdmin: true }), header);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: '/problems/validation-failed',
      title,
      status: 400,
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'isAdmin', message }],
    });
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
  });

  it.each([
    ['ja', 'ja', '文字列で指定してください。', '次のいずれかを指定してください: ios, android'],
    ['en', 'en', 'must be a string.', 'must be one of: ios, android'],
  ])('rejects wrong types field by field in %s', async (_lang, header, stringMsg, enumMsg) => {
    const res = await post(JSON.stringify({ deviceId: 12345678, platform: 'windows' }), header);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'deviceId', message: stringMsg },
        { field: 'platform', message: enumMsg },
      ]),
    );
  });

  it('names a missing field and gives the length rule with its bounds', async () => {
    const res = await post(JSON.stringify({ deviceId: 'short' }), 'en');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'deviceId', message: 'must be 8 to 128 characters long.' },
        { field: 'platform', message: 'must be one of: ios, android' },
      ]),
    );
  });

  it.each([
    ['ja', 'ja', 'リクエストが大きすぎます'],
    ['en', 'en', 'Payload too large'],
  ])('rejects a 100 KiB body with 413 in %s', async (_lang, header, title) => {
    const big = JSON.stringify({ ...valid, padding: 'x'.repeat(100 * 1024) });
    const res = await post(big, header);
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE', title });
    expect(res.body.requestId).toEqual(expect.any(String));
  });

  it.each([
    ['ja', 'ja', 'JSONとして解析できません。'],
    ['en', 'en', 'is not valid JSON.'],
  ])('rejects malformed JSON in %s', async (_lang, header, message) => {
    const res = await post('{"deviceId": "device-0001", ', header);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'body', message }] });
  });

  it('rejects a JSON array or primitive as the body', async () => {
    for (const body of ['[1,2]', '"text"', 'null']) {
      const res = await post(body, 'en');
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('rejects a non-JSON content type', async () => {
    const res = await request(t.app.getHttpServer())
      .post('/__probe')
      .set('content-type', 'text/plain')
      .set('accept-language', 'en')
      .send('hello');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'Content-Type' }] });
  });

  it('answers an unknown route with 404 NOT_FOUND', async () => {
    const res = await request(t.app.getHttpServer()).get('/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'NOT_FOUND', title: '見つかりません' });
  });

  it('hides internal details of a 500', async () => {
    const res = await request(t.app.getHttpServer()).post('/__probe/boom').set('accept-language', 'en');
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ code: 'INTERNAL', status: 500, title: 'Internal error' });
    expect(JSON.stringify(res.body)).not.toMatch(/SELECT|secret|stack|at /);
  });

  it('echoes a valid X-Request-Id and replaces an invalid one', async () => {
    const mine = 'req-abc-12345678';
    const echoed = await request(t.app.getHttpServer()).get('/health/live').set('x-request-id', mine);
    expect(echoed.headers['x-request-id']).toBe(mine);
    const replaced = await request(t.app.getHttpServer())
      .get('/health/live')
      .set('x-request-id', 'bad id with spaces');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
