import type { LinkedDevice } from '../support/link-helper';
import { startTestApp, type TestApp } from '../support/test-app';
import { startContentStack, type ContentStack } from './content-harness';

const TIMEOUT_MS = 400;

async function timed<T>(call: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await call();
  return { result, ms: performance.now() - started };
}

describe('Mynaportal outages: deadline, circuit breaker, recovery', () => {
  let stack: ContentStack;
  let session: LinkedDevice;

  beforeAll(async () => {
    stack = await startContentStack({
      MYNAPORTAL_TIMEOUT_MS: String(TIMEOUT_MS),
      UPSTREAM_BREAKER_VOLUME_THRESHOLD: '3',
      UPSTREAM_BREAKER_ERROR_THRESHOLD_PERCENT: '50',
      UPSTREAM_BREAKER_RESET_MS: '1000',
    });
    session = await stack.link('sato-hanako');
  });
  afterAll(() => stack.close());

  const breakerState = async (): Promise<string> => {
    const res = await stack.inject({ method: 'GET', url: '/health/ready' });
    const body = res.json<{ info?: Record<string, { breakers?: Record<string, string> }> }>();
    return body.info?.upstreams?.breakers?.mynaportal ?? 'missing';
  };

  it('answers 503 within the deadline on a hang, opens the breaker, fails fast, then recovers by itself', async () => {
    const stackTraceLimit = Error.stackTraceLimit;
    expect((await stack.get('/v1/notices', session)).statusCode).toBe(200);
    expect(await breakerState()).toBe('closed');

    stack.portal.setFaults({ down: 'hang' });
    // volume threshold 3 calls, 50 %: one success and two timeouts open it
    for (let i = 0; i < 2; i += 1) {
      const { result, ms } = await timed(() => stack.get('/v1/notices', session));
      expect(result.statusCode).toBe(503);
      expect(result.json()).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503 });
      expect(Number(result.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
      expect(ms).toBeLessThan(TIMEOUT_MS + 500);
    }
    expect(await breakerState()).toBe('open');

    const before = stack.portal.stats().requests['GET /api/v1/notices'];
    const fast: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const { result, ms } = await timed(() => stack.get('/v1/notices', session));
      expect(result.statusCode).toBe(503);
      expect(result.json()).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
      expect(result.headers['retry-after']).toBe('1');
      fast.push(ms);
    }
    // Under 50 ms typically (bench:api measures the p99); a loaded CI machine may pause one call, so
    // the median is held to 50 ms and every call to less than the upstream deadline it never waits for.
    const sorted = [...fast].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(50);
    expect(sorted[sorted.length - 1]).toBeLessThan(TIMEOUT_MS);
    // an open breaker does not even try (and does not retry)
    expect(stack.portal.stats().requests['GET /api/v1/notices']).toBe(before);
    // its refusals are built without a stack trace, and the process's own limit is left as it was
    expect(Error.stackTraceLimit).toBe(stackTraceLimit);
    // other routes of the same upstream fail fast too
    const insurance = await timed(() => stack.get('/v1/insurance/qualification', session));
    expect(insurance.result.statusCode).toBe(503);
    expect(insurance.ms).toBeLessThan(TIMEOUT_MS);
    const metrics = await stack.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/upstream_breaker_state\{upstream="mynaportal"\} 2/);
    expect(metrics.body).toMatch(
      /upstream_requests_total\{upstream="mynaportal",operation="notices.list",outcome="open"\} \d+/,
    );
    // the opening is one warn line; the refusals after it are counted, not each logged at warn
    const lines = stack.app.logs;
    const opened = lines.filter((l) => l.msg === 'circuit breaker opened: calls are refused with 503');
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ upstream: 'mynaportal', level: 'warn' });
    const failedUpstream = lines.filter((l) => l.msg === 'request failed upstream');
    expect(failedUpstream.map((l) => l.reason)).toEqual([
      'Error: mynaportal: timeout',
      'Error: mynaportal: timeout',
    ]);
    const answered503 = lines.filter((l) => l.statusCode === 503);
    expect(answered503.length).toBeGreaterThanOrEqual(23);
    // readiness stays up: the task is healthy, the dependency is not
    expect((await stack.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);

    stack.portal.setFaults({ down: null });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await breakerState()).toBe('halfOpen');
    const recovered = await stack.get('/v1/notices', session);
    expect(recovered.statusCode).toBe(200);
    expect(await breakerState()).toBe('closed');
    expect(stack.app.logs.filter((l) => l.msg === 'circuit breaker closed')).toHaveLength(1);
    expect((await stack.get('/v1/todos', session)).statusCode).toBe(200);
  });
});

describe('Mynaportal error answers', () => {
  let stack: ContentStack;
  let session: LinkedDevice;

  beforeAll(async () => {
    // a breaker that will not open during these tests: each case is about one answer's mapping
    stack = await startContentStack({
      UPSTREAM_BREAKER_VOLUME_THRESHOLD: '1000',
      MYNAPORTAL_MAX_RETRIES: '1',
    });
    session = await stack.link('sato-hanako');
  });
  afterEach(() => stack.portal.reset());
  afterAll(() => stack.close());

  const expectNoLeak = (body: string): void => {
    for (const upstreamText of [
      'simulated',
      'internal_error',
      'invalid_token',
      'noticeId',
      'ntc-',
      'error_description',
    ]) {
      expect(body).not.toContain(upstreamText);
    }
  };

  it('garbage JSON → 502 UPSTREAM_ERROR, not retried, nothing of the body passed on', async () => {
    stack.portal.setFaults({ garbage: true });
    for (const path of [
      '/v1/notices',
      '/v1/notices/ntc-0000000000-000001',
      '/v1/todos',
      '/v1/insurance/qualification',
    ]) {
      const res = await stack.get(path, session);
      expect(res.statusCode).toBe(502);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ code: 'UPSTREAM_ERROR', status: 502 });
      expectNoLeak(res.body);
    }
    expect(stack.portal.stats().requests['GET /api/v1/notices']).toBe(1);
  });

  it('a 500 → 502 UPSTREAM_ERROR after one jittered retry of the GET', async () => {
    stack.portal.setFaults({ status: 500 });
    const res = await stack.get('/v1/notices', session);
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({ code: 'UPSTREAM_ERROR' });
    expectNoLeak(res.body);
    expect(stack.portal.stats().requests['GET /api/v1/notices']).toBe(2);
  });

  it('a 429 → 502 UPSTREAM_ERROR without an immediate retry', async () => {
    stack.portal.setFaults({ status: 429 });
    const res = await stack.get('/v1/notices', session);
    expect(res.statusCode).toBe(502);
    expect(stack.portal.stats().requests['GET /api/v1/notices']).toBe(1);
  });

  it('a 4xx other than 401/404 is not retried', async () => {
    stack.portal.setFaults({ status: 422 });
    const res = await stack.get('/v1/todos', session);
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({ code: 'UPSTREAM_ERROR' });
    expect(stack.portal.stats().requests['GET /api/v1/todos']).toBe(1);
  });

  it('a connection refused → 503 UPSTREAM_UNAVAILABLE quickly', async () => {
    stack.portal.setFaults({ down: 'refuse' });
    const { result, ms } = await timed(() => stack.get('/v1/notices', session));
    expect(result.statusCode).toBe(503);
    expect(result.json()).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(result.headers['retry-after']).toBeDefined();
    expect(ms).toBeLessThan(1000);
  });

  it('a 401 that survives the one refresh → 502 UPSTREAM_ERROR, exactly one refresh', async () => {
    stack.oidc.resetStats();
    stack.portal.setFaults({ status: 401 });
    const res = await stack.get('/v1/notices', session);
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({ code: 'UPSTREAM_ERROR' });
    expectNoLeak(res.body);
    expect(stack.oidc.stats().token.refresh_token).toBe(1);
    expect(stack.portal.stats().requests['GET /api/v1/notices']).toBe(2);
    // the refreshed token is good once the backend accepts tokens again
    stack.portal.setFaults({ status: null });
    expect((await stack.get('/v1/notices', session)).statusCode).toBe(200);
  });

  it('never writes tokens or upstream bodies to the logs', async () => {
    stack.portal.setFaults({ garbage: true });
    await stack.get('/v1/notices', session);
    stack.portal.setFaults({ garbage: false, status: 500 });
    await stack.get('/v1/notices', session);
    const logs = stack.app.rawLogs();
    expect(logs).not.toContain(session.sessionToken);
    expect(logs).not.toContain('"notices":[');
    expect(logs).not.toContain('simulated_status');
    expect(logs).toContain('UPSTREAM_ERROR');
  });
});

describe('two API tasks sharing a person whose access token expires', () => {
  let stack: ContentStack;
  let second: TestApp;

  beforeAll(async () => {
    stack = await startContentStack({}, { accessTokenTtl: 2 });
    second = await startTestApp({
      env: { OIDC_ISSUER: stack.oidc.issuer, MYNAPORTAL_BASE_URL: stack.portal.url },
    });
  });
  afterAll(async () => {
    await second.close();
    await stack.close();
  });

  it('each task reuses what it read, yet the expired token is refreshed exactly once and both go on', async () => {
    const session = await stack.link('tanaka-many');
    const viaSecond = async (): Promise<{ statusCode: number }> =>
      second.app
        .getHttpAdapter()
        .getInstance()
        .inject({ method: 'GET', url: '/v1/todos', headers: await session.auth('GET', '/v1/todos') });
    // both tasks read (and remember) the tokens
    expect((await stack.get('/v1/todos', session)).statusCode).toBe(200);
    expect((await viaSecond()).statusCode).toBe(200);
    stack.oidc.resetStats();
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    const answers = await Promise.all([
      ...Array.from({ length: 10 }, () => stack.get('/v1/todos', session)),
      ...Array.from({ length: 10 }, () => viaSecond()),
    ]);
    expect(answers.map((a) => a.statusCode)).toEqual(Array(20).fill(200));
    expect(stack.oidc.stats().token.refresh_token).toBe(1);
  });
});
