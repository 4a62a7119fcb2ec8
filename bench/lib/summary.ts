import { TARGETS, check, round, type Check } from './targets.js';

/** One row of the suite's table (bench/run.ts), built from a benchmark's bench/results/<name>.json. */
export interface SummaryRow {
  benchmark: string;
  scenario: string;
  /** 'ok' with figures, 'failed' (the benchmark exited non-zero or wrote nothing), 'not present' */
  status: 'ok' | 'failed' | 'not present';
  throughput?: number;
  throughputUnit?: string;
  latencyMs?: { p50?: number; p90?: number; p99?: number; max?: number };
  errors?: number;
  /** CPU milliseconds per request (or per completion / message) of every measured process */
  cpuMsPerRequest?: Record<string, number>;
  peakRssMiB?: number;
  /** throughput ÷ the peer's, where TARGETS.md names a peer */
  ratioToPeer?: number;
  peer?: string;
  checks: Check[];
  /** every check met; null when the row has no target */
  met: boolean | null;
  note?: string;
}

export interface TimePoint {
  t: number;
  sent: number;
}

type Json = Record<string, unknown>;

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function row(fields: Omit<SummaryRow, 'met' | 'status'> & { status?: SummaryRow['status'] }): SummaryRow {
  return {
    status: 'ok',
    ...fields,
    met: fields.checks.length ? fields.checks.every((c) => c.met) : null,
  };
}

function perRequest(cpuSeconds: unknown, count: number): Record<string, number> | undefined {
  if (!cpuSeconds || typeof cpuSeconds !== 'object' || count <= 0) return undefined;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(cpuSeconds as Record<string, number>))
    if (typeof v === 'number') out[k] = round((v * 1000) / count);
  return out;
}

interface ApiRun {
  scenario: string;
  target: 'bff' | 'proxy';
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  cpuSeconds?: Record<string, number>;
}

export function apiRows(result: Json): SummaryRow[] {
  const runs = (result.runs as ApiRun[] | undefined) ?? [];
  const peakRss = num(result.bffPeakRssMiB);
  const readyRss = num(result.bffReadyRssMiB);
  const rows: SummaryRow[] = [];
  for (const [scenario, t] of [
    ['notice list', TARGETS.api.noticeList],
    ['notice detail', TARGETS.api.noticeDetail],
  ] as const) {
    const bff = runs.find((r) => r.scenario === scenario && r.target === 'bff');
    const proxy = runs.find((r) => r.scenario === scenario && r.target === 'proxy');
    if (!bff) continue;
    const cpu = perRequest(bff.cpuSeconds, bff.total);
    const proxyCpu = proxy ? perRequest(proxy.cpuSeconds, proxy.total) : undefined;
    const ratio =
      proxy && proxy.requestsPerSecond > 0 ? bff.requestsPerSecond / proxy.requestsPerSecond : undefined;
    rows.push(
      row({
        benchmark: 'api',
        scenario: `${scenario} (BFF)`,
        throughput: bff.requestsPerSecond,
        throughputUnit: 'req/s',
        latencyMs: bff.latencyMs,
        errors: bff.errors + bff.timeouts + bff.non2xx,
        cpuMsPerRequest: cpu,
        peakRssMiB: peakRss,
        ratioToPeer: ratio === undefined ? undefined : round(ratio),
        peer: 'bare proxy',
        checks: [
          check(
            `BFF CPU ≤ ${t.bffCpuMsPerRequest} ms/req`,
            cpu?.bff,
            (v) => v <= t.bffCpuMsPerRequest,
            ' ms',
          ),
          check(`≥ ${t.minShareOfProxy * 100} % of proxy`, ratio, (v) => v >= t.minShareOfProxy),
          check(
            `p99 ≤ proxy p99 + ${t.p99OverProxyMs} ms`,
            proxy ? bff.latencyMs.p99 - proxy.latencyMs.p99 : undefined,
            (v) => v <= t.p99OverProxyMs,
            ' ms over',
          ),
        ],
      }),
    );
    if (proxy)
      rows.push(
        row({
          benchmark: 'api',
          scenario: `${scenario} (proxy)`,
          throughput: proxy.requestsPerSecond,
          throughputUnit: 'req/s',
          latencyMs: proxy.latencyMs,
          errors: proxy.errors + proxy.timeouts + proxy.non2xx,
          cpuMsPerRequest: proxyCpu,
          checks: [],
          note: 'peer',
        }),
      );
  }
  const open = result.breakerOpen as (ApiRun & { breakerState?: string }) | undefined;
  if (open)
    rows.push(
      row({
        benchmark: 'api',
        scenario: 'breaker open (503)',
        throughput: open.requestsPerSecond,
        throughputUnit: 'req/s',
        latencyMs: open.latencyMs,
        // every answer is meant to be a 503 here: only transport errors count
        errors: open.errors + open.timeouts,
        cpuMsPerRequest: perRequest(open.cpuSeconds, open.total),
        checks: [
          check(
            `503 p99 ≤ ${TARGETS.api.breakerOpenP99Ms} ms`,
            open.latencyMs?.p99,
            (v) => v <= TARGETS.api.breakerOpenP99Ms,
            ' ms',
          ),
        ],
        note: `breaker ${open.breakerState ?? '?'}`,
      }),
    );
  rows.push(
    row({
      benchmark: 'api',
      scenario: 'BFF memory',
      peakRssMiB: peakRss,
      checks: [
        check(
          `RSS ready ≤ ${TARGETS.api.readyRssMiB} MiB`,
          readyRss,
          (v) => v <= TARGETS.api.readyRssMiB,
          ' MiB',
        ),
        check(
          `RSS under load ≤ ${TARGETS.api.underLoadRssMiB} MiB`,
          peakRss,
          (v) => v <= TARGETS.api.underLoadRssMiB,
          ' MiB',
        ),
      ],
    }),
  );
  return rows;
}

interface LinkPhase {
  name: string;
  ok: number;
  errors: number;
  perSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  cpuMsPerOk: Record<string, number>;
}

export function linkRows(result: Json): SummaryRow[] {
  const phases = (result.phases as LinkPhase[] | undefined) ?? [];
  const [bff, sim] = phases;
  if (!bff) return [];
  const t = TARGETS.link;
  const rows = [
    row({
      benchmark: 'link',
      scenario: 'link complete (BFF)',
      throughput: bff.perSecond,
      throughputUnit: 'completions/s',
      latencyMs: bff.latencyMs,
      errors: bff.errors,
      cpuMsPerRequest: bff.cpuMsPerOk,
      ratioToPeer: sim && sim.perSecond > 0 ? round(bff.perSecond / sim.perSecond) : undefined,
      peer: 'simulator alone',
      checks: [
        check(
          `≥ ${t.minCompletionsPerSecond} completions/s`,
          bff.perSecond,
          (v) => v >= t.minCompletionsPerSecond,
          '/s',
        ),
        check(
          `BFF CPU ≤ ${t.bffCpuMsPerCompletion} ms/completion`,
          bff.cpuMsPerOk?.bff,
          (v) => v <= t.bffCpuMsPerCompletion,
          ' ms',
        ),
      ],
    }),
  ];
  if (sim)
    rows.push(
      row({
        benchmark: 'link',
        scenario: 'code exchange (simulator alone)',
        throughput: sim.perSecond,
        throughputUnit: 'exchanges/s',
        latencyMs: sim.latencyMs,
        errors: sim.errors,
        cpuMsPerRequest: sim.cpuMsPerOk,
        checks: [],
        note: 'peer',
      }),
    );
  return rows;
}

export function coldStartRows(result: Json): SummaryRow[] {
  const runs = (result.runs as { ms: number; rssMiB: number }[] | undefined) ?? [];
  if (!runs.length) return [];
  const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
  const worst = ms[ms.length - 1];
  return [
    row({
      benchmark: 'cold-start',
      scenario: `cold start to ready (${runs.length} runs)`,
      latencyMs: { p50: ms[Math.floor(ms.length / 2)], max: worst },
      peakRssMiB: Math.max(...runs.map((r) => r.rssMiB)),
      checks: [
        check(`≤ ${TARGETS.coldStart.maxMs} ms`, worst, (v) => v <= TARGETS.coldStart.maxMs, ' ms'),
        check(
          `RSS ready ≤ ${TARGETS.api.readyRssMiB} MiB`,
          Math.max(...runs.map((r) => r.rssMiB)),
          (v) => v <= TARGETS.api.readyRssMiB,
          ' MiB',
        ),
      ],
    }),
  ];
}

export interface ProfileEndpoint {
  endpoint: string;
  targetRate: number;
  sent: number;
  answered: number;
  errors: number;
  ratePerSecond: number;
  shareWithin1s: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  cpuMsPerRequest?: Record<string, number>;
}

export function profileRows(result: Json): SummaryRow[] {
  const endpoints = (result.endpoints as ProfileEndpoint[] | undefined) ?? [];
  const t = TARGETS.profile;
  return endpoints.map((e) =>
    row({
      benchmark: 'profile',
      scenario: `${e.endpoint} @ ${e.targetRate}/s`,
      throughput: e.ratePerSecond,
      throughputUnit: 'req/s',
      latencyMs: e.latencyMs,
      errors: e.errors,
      cpuMsPerRequest: e.cpuMsPerRequest,
      peakRssMiB: num(result.bffPeakRssMiB),
      checks: [
        check('100 % within 1 s', e.shareWithin1s * 100, (v) => v >= t.shareWithin1s * 100, ' %'),
        check(`max ≤ ${t.maxMs} ms`, e.latencyMs.max, (v) => v <= t.maxMs, ' ms'),
        check('0 errors', e.errors, (v) => v <= t.errors),
        check(
          `≥ ${t.ratePerEndpoint} req/s held`,
          e.ratePerSecond,
          (v) => v >= t.ratePerEndpoint * 0.98,
          '/s',
        ),
      ],
    }),
  );
}

/** bench/results/push.json, as bench/push/run.ts writes it. */
export interface PushResult {
  at: string;
  quick: boolean;
  machine: string;
  devices: number;
  workers: number;
  settings: Record<string, number>;
  seeded: { devices: number; dead: number; flaky: number; seconds: Record<string, number> };
  broadcast: {
    campaignId: string;
    status: string;
    totals: {
      targeted: number;
      sent: number;
      failed: number;
      invalidTokens: number;
      cancelledTokens: number;
    };
    webhookAckMs: number;
    wallSeconds: number;
    /** completedAt − createdAt of the campaign row */
    serverSeconds: number | null;
    messagesPerSecond: number;
    /** between 10 % and 90 % of the campaign recorded */
    steadyMessagesPerSecond?: number;
    workerPeakRssMiB: number;
    workersTotalPeakRssMiB: number;
    /** Redis used_memory before the webhook, and its peak during the broadcast (the whole server) */
    redisBaselineMiB: number;
    redisPeakMiB: number;
    cpuSeconds: Record<string, number>;
    cpuMsPerMessage: Record<string, number>;
    simulator: {
      requests: number;
      successes: number;
      failures: number;
      distinctTokens: number;
      duplicates: number;
    };
    checks: Record<string, boolean>;
    series: TimePoint[];
  };
  webhookAck: {
    calls: number;
    subjectsPerCall: number;
    latencyMs: { p50: number; p90: number; p99: number; max: number };
    cpuMsPerCall: Record<string, number>;
  };
}

export function pushRows(result: Json): SummaryRow[] {
  const { broadcast: b, webhookAck: ack, devices, workers } = result as unknown as PushResult;
  if (!b) return [];
  const t = TARGETS.push;
  const checks = [
    check(
      `≥ ${t.broadcastMinMessagesPerSecond} msg/s`,
      b.messagesPerSecond,
      (v) => v >= t.broadcastMinMessagesPerSecond,
      '/s',
    ),
    check(`worker RSS ≤ ${t.workerRssMiB} MiB`, b.workerPeakRssMiB, (v) => v <= t.workerRssMiB, ' MiB'),
    {
      target: 'totals exact, every token tried, none sent twice',
      actual:
        Object.entries(b.checks)
          .filter(([, ok]) => !ok)
          .map(([name]) => name)
          .join(', ') || 'all hold',
      met: Object.values(b.checks).every(Boolean),
    },
  ];
  if (devices >= t.broadcastDevices)
    checks.unshift(
      check(
        `${t.broadcastDevices} in ≤ ${t.broadcastMaxSeconds} s`,
        b.wallSeconds,
        (v) => v <= t.broadcastMaxSeconds,
        ' s',
      ),
    );
  const rows = [
    row({
      benchmark: 'push',
      scenario: `broadcast ${devices} devices, ${workers} worker${workers === 1 ? '' : 's'}`,
      throughput: b.messagesPerSecond,
      throughputUnit: 'msg/s',
      errors: b.totals.failed,
      cpuMsPerRequest: b.cpuMsPerMessage,
      peakRssMiB: b.workerPeakRssMiB,
      checks,
      note: `${b.wallSeconds} s; Redis peak ${b.redisPeakMiB} MiB (${b.redisBaselineMiB} before); CPU ms per message`,
    }),
  ];
  if (ack)
    rows.push(
      row({
        benchmark: 'push',
        scenario: `webhook ack, ${ack.subjectsPerCall} subjects`,
        latencyMs: ack.latencyMs,
        cpuMsPerRequest: ack.cpuMsPerCall,
        checks: [
          check(`p99 ≤ ${t.webhookAckP99Ms} ms`, ack.latencyMs.p99, (v) => v <= t.webhookAckP99Ms, ' ms'),
        ],
        note: `${ack.calls} calls one at a time; CPU ms per call`,
      }),
    );
  return rows;
}

/**
 * Benchmarks without a reader of their own (admin) may carry `summaryRows`
 * (SummaryRow-shaped, without `met`), which are taken as they are. Otherwise a few common fields
 * are read, and the row says the format was not recognised.
 */
export function genericRows(benchmark: string, result: Json): SummaryRow[] {
  const given = result.summaryRows as
    (Omit<SummaryRow, 'met' | 'benchmark'> & { benchmark?: string })[] | undefined;
  if (Array.isArray(given))
    return given.map((r) => row({ ...r, benchmark: r.benchmark ?? benchmark, checks: r.checks ?? [] }));
  const throughput = num(result.perSecond) ?? num(result.requestsPerSecond);
  const latency = result.latencyMs as SummaryRow['latencyMs'] | undefined;
  const checks: Check[] = [];
  if (benchmark === 'admin' && latency?.p99 !== undefined)
    checks.push(
      check(
        `p99 ≤ ${TARGETS.admin.statisticsP99Ms} ms`,
        latency.p99,
        (v) => v <= TARGETS.admin.statisticsP99Ms,
        ' ms',
      ),
    );
  return [
    row({
      benchmark,
      scenario: benchmark,
      throughput,
      throughputUnit: 'req/s',
      latencyMs: latency,
      errors: num(result.errors),
      peakRssMiB: num(result.peakRssMiB),
      checks,
      note:
        throughput === undefined && !latency
          ? `format not recognised (keys: ${Object.keys(result).join(', ')})`
          : undefined,
    }),
  ];
}

/** A push time series anywhere in a result: the first array of `{ t, sent }` objects found. */
export function findTimeSeries(value: unknown, depth = 0): TimePoint[] | undefined {
  if (depth > 4 || value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    if (
      value.length > 1 &&
      value.every(
        (p) =>
          p &&
          typeof p === 'object' &&
          num((p as Json).t) !== undefined &&
          num((p as Json).sent) !== undefined,
      )
    )
      return value as TimePoint[];
    for (const v of value) {
      const found = findTimeSeries(v, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const v of Object.values(value)) {
    const found = findTimeSeries(v, depth + 1);
    if (found) return found;
  }
  return undefined;
}

export function rowsFor(benchmark: string, result: Json): SummaryRow[] {
  switch (benchmark) {
    case 'api':
      return apiRows(result);
    case 'link':
      return linkRows(result);
    case 'cold-start':
      return coldStartRows(result);
    case 'profile':
      return profileRows(result);
    case 'push':
      return pushRows(result);
    default:
      return genericRows(benchmark, result);
  }
}
