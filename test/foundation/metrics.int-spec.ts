import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import parsePrometheusTextFormat, { type PrometheusFamily } from 'parse-prometheus-text-format';
import { ALL_QUEUES, PUSH_FANOUT_QUEUE, PushFanoutJobName } from '../../src/queue/queues';
import { startContentStack, type ContentStack } from '../content/content-harness';
import type { LinkedDevice } from '../support/link-helper';

/**
 * GET /metrics read by a real Prometheus text-format parser (parse-prometheus-text-format), after
 * real traffic: the exposition parses, and the series on-call relies on are there with their labels
 * — HTTP by route template, upstream calls by upstream/operation/outcome, breaker state per
 * upstream, and the process defaults (event-loop lag, heap, RSS).
 * The parser folds every label set of a histogram into one sample (its buckets, no labels), so the
 * labels of a histogram are read from its `_count` series, parsed as one sample per line.
 */
describe('GET /metrics (Prometheus exposition)', () => {
  let stack: ContentStack;
  let session: LinkedDevice;
  let families: Map<string, PrometheusFamily>;
  let text: string;

  beforeAll(async () => {
    stack = await startContentStack();
    session = await stack.link('sato-hanako');
    expect((await stack.get('/v1/notices', session)).statusCode).toBe(200);
    expect((await stack.get('/v1/notices/does-not-exist', session)).statusCode).toBe(404);
    // two refused proofs: the session token as Bearer, and with no DPoP header at all
    for (const authorization of [`Bearer ${session.sessionToken}`, `DPoP ${session.sessionToken}`]) {
      const refused = await stack.inject({ method: 'GET', url: '/v1/notices', headers: { authorization } });
      expect(refused.json()).toMatchObject({ code: 'DPOP_PROOF_INVALID' });
    }
    const res = await stack.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    text = res.body;
    // throws on any line that is not valid exposition format
    families = new Map(parsePrometheusTextFormat(text).map((f) => [f.name, f]));
  });
  afterAll(() => stack.close());

  /** The `<name>_count` samples of a histogram, with their labels (see above). */
  const histogramSeries = (name: string): { labels: Record<string, string>; count: number }[] => {
    const lines = text.split('\n').filter((l) => l.startsWith(`${name}_count{`));
    const parsed = parsePrometheusTextFormat(`# TYPE ${name}_count counter\n${lines.join('\n')}\n`);
    return (parsed[0]?.metrics ?? []).map((m) => ({ labels: m.labels ?? {}, count: Number(m.value) }));
  };

  const family = (name: string, type: PrometheusFamily['type']): PrometheusFamily => {
    const found = families.get(name);
    expect(found).toBeDefined();
    expect(found!.type).toBe(type);
    expect(found!.help.length).toBeGreaterThan(0);
    return found!;
  };

  it('has HTTP durations by method, route template and status, never a raw URL', () => {
    const http = family('http_request_duration_seconds', 'HISTOGRAM');
    expect(Object.keys(http.metrics[0].buckets ?? {})).toEqual(
      expect.arrayContaining(['0.005', '0.1', '1', '3', '5', '+Inf']),
    );
    const series = histogramSeries('http_request_duration_seconds');
    const list = series.find(
      (m) => m.labels.route === '/v1/notices' && m.labels.method === 'GET' && m.labels.status_code === '200',
    );
    expect(list?.count).toBeGreaterThanOrEqual(1);
    expect(series.some((m) => m.labels.route === '/v1/notices/:id' && m.labels.status_code === '404')).toBe(
      true,
    );
    for (const m of series) {
      expect(Object.keys(m.labels).sort()).toEqual(['method', 'route', 'status_code']);
      expect(m.labels.route).not.toMatch(/does-not-exist|\?/);
    }
  });

  it('has upstream calls by upstream, operation and outcome, as a counter and a histogram', () => {
    const calls = family('upstream_requests_total', 'COUNTER');
    const listCall = calls.metrics.find(
      (m) =>
        m.labels?.upstream === 'mynaportal' &&
        m.labels.operation === 'notices.list' &&
        m.labels.outcome === 'ok',
    );
    expect(Number(listCall?.value)).toBeGreaterThanOrEqual(1);
    family('upstream_request_duration_seconds', 'HISTOGRAM');
    const durations = histogramSeries('upstream_request_duration_seconds');
    for (const m of [...calls.metrics.map((c) => ({ labels: c.labels ?? {} })), ...durations])
      expect(Object.keys(m.labels).sort()).toEqual(['operation', 'outcome', 'upstream']);
    expect(
      durations.some((m) => m.labels.upstream === 'mynaportal' && m.labels.operation === 'notices.list'),
    ).toBe(true);
  });

  it('has the breaker state per upstream (0 closed)', () => {
    const breaker = family('upstream_breaker_state', 'GAUGE');
    expect(breaker.metrics.find((m) => m.labels?.upstream === 'mynaportal')?.value).toBe('0');
  });

  it('has the process defaults: event-loop lag, heap, RSS, CPU', () => {
    expect(
      Number(family('nodejs_eventloop_lag_p99_seconds', 'GAUGE').metrics[0].value),
    ).toBeGreaterThanOrEqual(0);
    expect(family('nodejs_heap_size_used_bytes', 'GAUGE').metrics).toHaveLength(1);
    expect(Number(family('process_resident_memory_bytes', 'GAUGE').metrics[0].value)).toBeGreaterThan(0);
    expect(family('process_cpu_seconds_total', 'COUNTER').metrics).toHaveLength(1);
  });

  const value = (name: string, type: PrometheusFamily['type'], labels: Record<string, string> = {}) =>
    Number(
      family(name, type).metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
        ?.value ?? NaN,
    );

  it('has DPoP rejections by reason, and session lookups by source (cache or database)', () => {
    expect(value('dpop_rejections_total', 'COUNTER', { reason: 'bearer' })).toBe(1);
    expect(value('dpop_rejections_total', 'COUNTER', { reason: 'missing' })).toBe(1);
    // the link-status call of stack.link and the two content calls: the first one read the database
    expect(value('session_lookups_total', 'COUNTER', { source: 'database' })).toBeGreaterThanOrEqual(1);
    expect(value('session_lookups_total', 'COUNTER', { source: 'cache' })).toBeGreaterThanOrEqual(1);
  });

  it('declares token refreshes by outcome (counted: provider-token.service.spec)', () => {
    expect(text).toContain('# TYPE token_refreshes_total counter');
  });

  it('has the PostgreSQL pool by state and whether Redis is connected', () => {
    expect(value('db_pool_connections', 'GAUGE', { state: 'total' })).toBeGreaterThanOrEqual(1);
    expect(value('db_pool_connections', 'GAUGE', { state: 'idle' })).toBeGreaterThanOrEqual(0);
    expect(value('db_pool_connections', 'GAUGE', { state: 'waiting' })).toBe(0);
    expect(value('redis_connected', 'GAUGE')).toBe(1);
  });

  it('has the depth of every queue by state and the age of its oldest waiting job', async () => {
    // one delayed job in the fan-out queue (a campaign scheduled for tomorrow), then a scrape
    const fanout = stack.app.app.get<Queue>(getQueueToken(PUSH_FANOUT_QUEUE), { strict: false });
    const job = await fanout.add(
      PushFanoutJobName.fanout,
      { campaignId: 'metrics-test' },
      { delay: 86_400_000 },
    );
    try {
      const scraped = new Map(
        parsePrometheusTextFormat((await stack.inject({ method: 'GET', url: '/metrics' })).body).map((f) => [
          f.name,
          f,
        ]),
      );
      const jobs = scraped.get('queue_jobs')!;
      expect(jobs.type).toBe('GAUGE');
      const of = (queue: string, state: string): number =>
        Number(jobs.metrics.find((m) => m.labels?.queue === queue && m.labels?.state === state)?.value);
      for (const queue of ALL_QUEUES)
        for (const state of ['wait', 'prioritized', 'delayed', 'active', 'failed'])
          expect(Number.isFinite(of(queue, state))).toBe(true);
      expect(of(PUSH_FANOUT_QUEUE, 'delayed')).toBeGreaterThanOrEqual(1);
      const age = scraped.get('queue_oldest_waiting_age_seconds')!;
      expect(age.metrics.map((m) => m.labels?.queue).sort()).toEqual([...ALL_QUEUES].sort());
    } finally {
      await job.remove();
    }
  });
});
