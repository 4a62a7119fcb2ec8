import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { generateClientKeys } from '../../test/simulators/oidc/client-keys.js';
import { TARGETS, check, type Check } from '../lib/targets.js';
import type { SummaryRow } from '../lib/summary.js';
import {
  REDIS_URL,
  ROOT,
  cpuProbe,
  databaseUrl,
  dropDatabase,
  migrate,
  newEncryptionKeys,
  percentile,
  postgresPids,
  recreateDatabase,
  startBff,
  stopChildren,
  withDatabase,
  type BffSettings,
} from '../link/stack.js';
import { CATEGORIES, seedYear, type SeedSize } from './seed.js';
import { rssMiB as procRssMiB } from '../lib/proc.js';

/**
 * `npm run bench:admin` (TARGETS.md "Delivery status"): seeds a year of data — 2,000 campaigns,
 * 20 M events in monthly partitions, 1,000,000 device links with push registrations, push's per-day
 * counters and a year of usage counters in Redis — with set-based SQL into a fresh database
 * (`myna_bench_admin`), then over the real HTTP API of the BFF (dist/main.js, api role):
 *
 * - p99 of each statistics query an operator's dashboard makes (campaign list pages, campaign
 *   detail, daily over 366 days, monthly over 13 months, usage over 366 days), BENCH_ADMIN_N each,
 *   one at a time; target p99 ≤ 200 ms;
 * - the RSS growth of the BFF while it streams devices.csv (1,000,000 rows; target ≤ 50 MiB), and,
 *   for information, the first BENCH_ADMIN_EVENT_ROWS rows of events.csv (time to first byte: the
 *   rows come from the export index, not a sort).
 *
 * `--quick` (or BENCH_QUICK=1): 200 campaigns, 200,000 events, 50,000 devices, 50 requests per query.
 * Settings: BENCH_ADMIN_CAMPAIGNS, BENCH_ADMIN_EVENTS, BENCH_ADMIN_DEVICES, BENCH_ADMIN_N,
 * BENCH_ADMIN_EVENT_ROWS, BENCH_KEEP_DATABASE=1 (keep it, and with BENCH_ADMIN_REUSE=1 skip seeding
 * when it is there already). Run it under `nice` on a shared machine.
 */
const QUICK = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const envInt = (name: string, full: number, quick: number): number =>
  Number(process.env[name] ?? (QUICK ? quick : full));
const SIZE: SeedSize = {
  campaigns: envInt('BENCH_ADMIN_CAMPAIGNS', 2000, 200),
  events: envInt('BENCH_ADMIN_EVENTS', 20_000_000, 200_000),
  devices: envInt('BENCH_ADMIN_DEVICES', 1_000_000, 50_000),
};
const N = envInt('BENCH_ADMIN_N', 300, 50);
const EVENT_ROWS = envInt('BENCH_ADMIN_EVENT_ROWS', 1_000_000, 100_000);
const DATABASE = 'myna_bench_admin';
const REDIS_PREFIX = `bench-admin-${randomBytes(3).toString('hex')}`;
const ADMIN_TOKEN = randomBytes(24).toString('base64url');
const MiB = 1024 * 1024;

const jstDay = (d: Date): string => new Date(d.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
const jstMonth = (d: Date): string => jstDay(d).slice(0, 7);

interface QueryResult {
  scenario: string;
  requests: number;
  errors: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  perSecond: number;
  cpuMsPerRequest: Record<string, number>;
  firstError?: string;
}

interface ExportResult {
  dataset: string;
  rows: number;
  bytes: number;
  seconds: number;
  rowsPerSecond: number;
  firstByteMs: number;
  rssBeforeMiB: number;
  rssPeakMiB: number;
  rssGrowthMiB: number;
  cpuMsPer1000Rows: Record<string, number>;
  complete: boolean;
}

/** The process's RSS to 0.1 MiB; 0 once it is gone (the BFF's exit is reported by startBff's listener). */
const rssMiB = (pid: number): number => Math.round(procRssMiB(pid) * 10) / 10;

async function measure(
  scenario: string,
  probe: () => Record<string, number>,
  url: (i: number) => string,
  after?: (body: unknown) => void,
): Promise<QueryResult> {
  const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
  // warm-up (JIT, plans, pools), not reported
  for (let i = 0; i < 5; i++) await (await fetch(url(i), { headers })).arrayBuffer();
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  probe();
  const started = performance.now();
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    const res = await fetch(url(i), { headers });
    const text = await res.text();
    latencies.push(performance.now() - t0);
    if (res.status !== 200) {
      errors++;
      firstError ??= `${res.status} ${text.slice(0, 200)}`;
    } else after?.(JSON.parse(text));
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = probe();
  latencies.sort((a, b) => a - b);
  const cpuMsPerRequest: Record<string, number> = {};
  for (const [k, v] of Object.entries(cpu)) cpuMsPerRequest[k] = Math.round((v * 1e5) / N) / 100;
  return {
    scenario,
    requests: N,
    errors,
    latencyMs: {
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: percentile(latencies, 100),
    },
    perSecond: Math.round((N / seconds) * 10) / 10,
    cpuMsPerRequest,
    firstError,
  };
}

/** Streams an export as fast as this client reads, sampling the BFF's RSS every 20 ms. */
async function streamExport(
  bffUrl: string,
  pid: number,
  dataset: string,
  probe: () => Record<string, number>,
  maxRows = Infinity,
): Promise<ExportResult> {
  const rssBeforeMiB = rssMiB(pid);
  let rssPeakMiB = rssBeforeMiB;
  const sampler = setInterval(() => (rssPeakMiB = Math.max(rssPeakMiB, rssMiB(pid))), 20);
  probe();
  const controller = new AbortController();
  const t0 = performance.now();
  const res = await fetch(`${bffUrl}/admin/v1/export/${dataset}.csv`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    signal: controller.signal,
  });
  if (res.status !== 200 || !res.body) throw new Error(`${dataset}.csv answered ${res.status}`);
  let firstByteMs = 0;
  let lines = 0;
  let bytes = 0;
  let complete = true;
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!firstByteMs) firstByteMs = performance.now() - t0;
      bytes += value.length;
      // records end with CRLF; a quoted field could hold one, but no field of these datasets does
      for (let i = 0; i < value.length; i++) if (value[i] === 10) lines++;
      if (lines - 1 >= maxRows) {
        complete = false;
        controller.abort();
        break;
      }
    }
  } catch (error) {
    if (complete) throw error;
  }
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  rssPeakMiB = Math.max(rssPeakMiB, rssMiB(pid));
  const cpu = probe();
  const rows = lines - 1;
  const cpuMsPer1000Rows: Record<string, number> = {};
  for (const [k, v] of Object.entries(cpu)) cpuMsPer1000Rows[k] = Math.round((v * 1e6) / rows) / 1000;
  return {
    dataset,
    rows,
    bytes,
    seconds: Math.round(seconds * 10) / 10,
    rowsPerSecond: Math.round(rows / seconds),
    firstByteMs: Math.round(firstByteMs),
    rssBeforeMiB,
    rssPeakMiB,
    rssGrowthMiB: Math.round((rssPeakMiB - rssBeforeMiB) * 10) / 10,
    cpuMsPer1000Rows,
    complete,
  };
}

/** A year of the usage counters the API keeps in Redis (one hash per JST day). */
async function seedUsageCounters(): Promise<void> {
  const redis = new Redis(REDIS_URL, { keyPrefix: `${REDIS_PREFIX}:` });
  const pipeline = redis.pipeline();
  for (let d = 0; d < 400; d++) {
    const key = `usage:${jstDay(new Date(Date.now() - d * 86_400_000))}`;
    const fields: Record<string, number> = { activePushDevices: SIZE.devices - d * 10 };
    for (const f of ['notices', 'todos', 'insurance', 'sso', 'link', 'push'])
      fields[`api:${f}`] = 100_000 + d;
    for (const u of ['oidc', 'mynaportal', 'fcm'])
      Object.assign(fields, { [`upstream:${u}:calls`]: 50_000 + d, [`upstream:${u}:errors`]: d % 7 });
    pipeline.hset(key, fields);
    pipeline.expire(key, 6 * 3600);
  }
  await pipeline.exec();
  redis.disconnect();
}

async function clearUsageCounters(): Promise<void> {
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${REDIS_PREFIX}:*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  redis.disconnect();
}

function summaryRows(queries: QueryResult[], exports: ExportResult[]): Omit<SummaryRow, 'met'>[] {
  const target = TARGETS.admin;
  const rows: Omit<SummaryRow, 'met'>[] = queries.map((q) => ({
    benchmark: 'admin',
    scenario: q.scenario,
    status: 'ok',
    throughput: q.perSecond,
    throughputUnit: 'req/s',
    latencyMs: q.latencyMs,
    errors: q.errors,
    cpuMsPerRequest: q.cpuMsPerRequest,
    checks: [
      check(`p99 ≤ ${target.statisticsP99Ms} ms`, q.latencyMs.p99, (v) => v <= target.statisticsP99Ms, ' ms'),
      check('no errors', q.errors, (v) => v === 0),
    ],
  }));
  for (const e of exports) {
    const checks: Check[] =
      e.dataset === 'devices'
        ? [
            check(
              `RSS growth ≤ ${target.exportRssGrowthMiB} MiB`,
              e.rssGrowthMiB,
              (v) => v <= target.exportRssGrowthMiB,
              ' MiB',
            ),
            check(`${SIZE.devices} rows`, e.rows, (v) => v === SIZE.devices),
          ]
        : [];
    rows.push({
      benchmark: 'admin',
      scenario: `${e.dataset}.csv export, ${e.rows} rows${e.complete ? '' : ' (first)'}`,
      status: 'ok',
      throughput: e.rowsPerSecond,
      throughputUnit: 'rows/s',
      peakRssMiB: e.rssPeakMiB,
      cpuMsPerRequest: e.cpuMsPer1000Rows,
      checks,
      note: `RSS +${e.rssGrowthMiB} MiB, first byte ${e.firstByteMs} ms, CPU ms per 1,000 rows`,
    });
  }
  return rows;
}

function printTable(queries: QueryResult[], exports: ExportResult[]): void {
  const p = (v: string | number, w: number): string => String(v).padStart(w);
  const target = TARGETS.admin;
  console.log(
    `\n${'query (over HTTP, one at a time)'.padEnd(40)}${p('n', 5)}${p('err', 5)}${p('p50', 8)}${p('p90', 8)}${p('p99', 8)}${p('max', 8)}  result   CPU ms/request`,
  );
  for (const q of queries) {
    const met = q.latencyMs.p99 <= target.statisticsP99Ms && q.errors === 0;
    const cpu = Object.entries(q.cpuMsPerRequest)
      .filter(([k]) => k !== 'interrupts')
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    console.log(
      `${q.scenario.padEnd(40)}${p(q.requests, 5)}${p(q.errors, 5)}${p(q.latencyMs.p50, 8)}${p(q.latencyMs.p90, 8)}${p(q.latencyMs.p99, 8)}${p(q.latencyMs.max, 8)}  ${(met ? 'met' : 'NOT MET').padEnd(8)} ${cpu}${q.firstError ? ` · ${q.firstError}` : ''}`,
    );
  }
  console.log(
    `\n${'export'.padEnd(28)}${p('rows', 10)}${p('MiB', 8)}${p('s', 7)}${p('rows/s', 9)}${p('TTFB ms', 9)}${p('RSS MiB', 9)}${p('growth', 8)}  result`,
  );
  for (const e of exports) {
    const met =
      e.dataset !== 'devices' ? '' : e.rssGrowthMiB <= target.exportRssGrowthMiB ? 'met' : 'NOT MET';
    console.log(
      `${`${e.dataset}.csv${e.complete ? '' : ' (first rows)'}`.padEnd(28)}${p(e.rows, 10)}${p(Math.round(e.bytes / MiB), 8)}${p(e.seconds, 7)}${p(e.rowsPerSecond, 9)}${p(e.firstByteMs, 9)}${p(e.rssPeakMiB, 9)}${p(e.rssGrowthMiB, 8)}  ${met}`,
    );
  }
}

async function main(): Promise<void> {
  const log = (line: string): void => console.log(`bench:admin ${line}`);
  const settings: BffSettings = {
    issuer: 'http://127.0.0.1:9/issuer',
    clientId: 'bench-admin',
    keys: generateClientKeys('bench-admin'),
    database: DATABASE,
    redisPrefix: REDIS_PREFIX,
    encryptionKeys: newEncryptionKeys(),
    extra: {
      ADMIN_TOKENS: `bench:${createHash('sha256').update(ADMIN_TOKEN).digest('hex')}`,
      DATABASE_POOL_MAX: '10',
    },
  };
  log(
    `${QUICK ? '(quick) ' : ''}${SIZE.campaigns} campaigns, ${SIZE.events} events, ${SIZE.devices} devices, ${N} requests per query`,
  );
  const reuse = process.env.BENCH_ADMIN_REUSE === '1';
  const exists = await withDatabase(databaseUrl('postgres'), async (c) =>
    Boolean((await c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [DATABASE])).rowCount),
  );
  let seeded;
  if (reuse && exists) {
    log('reusing the seeded database');
    await migrate(settings);
    seeded = await withDatabase(databaseUrl(DATABASE), async (c) => {
      const n = async (sql: string): Promise<number> => Number((await c.query<{ n: string }>(sql)).rows[0].n);
      return {
        campaigns: await n(`SELECT count(*) AS n FROM push_campaigns`),
        events: await n(`SELECT count(*) AS n FROM push_events`),
        devices: await n(`SELECT count(*) AS n FROM device_links`),
        registrations: await n(`SELECT count(*) AS n FROM push_registrations`),
        seconds: {},
      };
    });
  } else {
    await recreateDatabase(DATABASE);
    await migrate(settings);
    const t0 = performance.now();
    seeded = await withDatabase(databaseUrl(DATABASE), (c) => seedYear(c, SIZE, log));
    log(`seeded in ${Math.round((performance.now() - t0) / 1000)} s: ${JSON.stringify(seeded)}`);
  }
  await seedUsageCounters();

  // BENCH_BFF_LOGS=1: the BFF's own log lines on this output (they are dropped otherwise)
  const bff = await startBff(settings, { logs: process.env.BENCH_BFF_LOGS === '1' });
  const pid = bff.child.pid!;
  const probe = cpuProbe({ bff: () => [pid], postgres: postgresPids });
  try {
    const now = new Date();
    const yearAgo = new Date(now.getTime() - 365 * 86_400_000);
    const monthsAgo = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 12, 15));
    const campaignIds: string[] = [];
    const queries: QueryResult[] = [];
    let cursor: string | null = null;
    queries.push(
      await measure(
        'campaign list (50 per page, every page)',
        probe,
        () => `${bff.url}/admin/v1/campaigns?limit=50${cursor ? `&cursor=${cursor}` : ''}`,
        (body) => {
          const page = body as { items: { id: string }[]; nextCursor: string | null };
          if (campaignIds.length < SIZE.campaigns) campaignIds.push(...page.items.map((c) => c.id));
          cursor = page.nextCursor;
        },
      ),
    );
    if (campaignIds.length === 0) throw new Error('the campaign list gave no campaign');
    queries.push(
      await measure(
        'campaign detail',
        probe,
        (i) => `${bff.url}/admin/v1/campaigns/${campaignIds[(i * 7919) % campaignIds.length]}`,
      ),
    );
    queries.push(
      await measure(
        'daily stats, 366 days',
        probe,
        () => `${bff.url}/admin/v1/stats/daily?from=${jstDay(yearAgo)}&to=${jstDay(now)}`,
      ),
    );
    let monthlyRows = 0;
    queries.push(
      await measure(
        'monthly stats by category, 13 months',
        probe,
        () => `${bff.url}/admin/v1/stats/monthly?from=${jstMonth(monthsAgo)}&to=${jstMonth(now)}`,
        (body) => (monthlyRows = (body as { items: unknown[] }).items.length),
      ),
    );
    queries.push(
      await measure(
        'usage, 366 days',
        probe,
        () => `${bff.url}/admin/v1/stats/usage?from=${jstDay(yearAgo)}&to=${jstDay(now)}`,
      ),
    );
    queries.push(
      await measure('usage, last 31 days', probe, () => {
        const from = new Date(now.getTime() - 30 * 86_400_000);
        return `${bff.url}/admin/v1/stats/usage?from=${jstDay(from)}&to=${jstDay(now)}`;
      }),
    );
    log(`monthly rows: ${monthlyRows} (${CATEGORIES.length} categories × 13 months expected at most)`);

    const exports: ExportResult[] = [];
    exports.push(await streamExport(bff.url, pid, 'devices', probe));
    exports.push(await streamExport(bff.url, pid, 'events', probe, EVENT_ROWS));

    printTable(queries, exports);
    const result = {
      at: new Date().toISOString(),
      quick: QUICK,
      machine: `${cpus().length} cores, Node ${process.version}`,
      size: SIZE,
      seeded,
      requestsPerQuery: N,
      queries,
      exports,
      summaryRows: summaryRows(queries, exports),
    };
    const dir = resolve(ROOT, 'bench/results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(resolve(dir, 'admin.json'), `${JSON.stringify(result, null, 2)}\n`);
    log(`written ${resolve(dir, 'admin.json')}`);
  } finally {
    await bff.stop();
    await stopChildren();
    await clearUsageCounters();
    if (process.env.BENCH_KEEP_DATABASE !== '1') await dropDatabase(DATABASE);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
