import { fork, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { signWebhook } from '../../src/modules/push/webhook/webhook-signature.js';
import type { FcmStatsReport } from '../../test/simulators/fcm/fcm-stats.js';
import { generateClientKeys } from '../../test/simulators/oidc/client-keys.js';
import { pushRows, type PushResult } from '../lib/summary.js';
import {
  REDIS_URL,
  ROOT,
  cpuProbe,
  databaseUrl,
  dropDatabase,
  migrate,
  newEncryptionKeys,
  cpuSeconds,
  percentile,
  postgresPids,
  recreateDatabase,
  startBff,
  stopChild,
  stopChildren,
  withDatabase,
  type Bff,
  type BffSettings,
} from '../link/stack.js';
import { seedDevices, subjectOf } from './seed.js';
import { rssMiB } from '../lib/proc.js';

/**
 * `npm run bench:push -- --devices 1000000 [--workers 2]` (TARGETS.md "Push"): seeds linked devices
 * with push registrations (1 % dead, 1 % flaky tokens) into a fresh database (`myna_bench_push`),
 * then, with the API and N worker processes (dist/main.js, api / worker role) and the FCM simulator
 * (5 ms latency) each in a process of its own:
 *
 * - one broadcast (audience all) through the signed webhook: wall time from the webhook to the
 *   campaign's `completed` (polled on GET /admin/v1/campaigns/{id} every 200 ms), messages/s,
 *   worker peak RSS and CPU per message, peak Redis used_memory; exact totals, and the simulator's
 *   counts proving every token was tried and no token succeeded twice;
 * - webhook acknowledgement: BENCH_PUSH_ACK_CALLS calls (200), one at a time, each 10,000 distinct
 *   existing subjects and its own notificationId, `sendAt` a day ahead (the same work as an
 *   immediate campaign up to the 202: subjects resolved, campaign row committed, fan-out job
 *   enqueued — delayed, so these campaigns do not disturb the figures).
 *
 * `--quick` (or BENCH_QUICK=1): 50,000 devices, 50 webhook calls. Other settings: BENCH_PUSH_DEVICES,
 * BENCH_PUSH_WORKERS, BENCH_FCM_LATENCY_MS, BENCH_PUSH_TIMEOUT_S, BENCH_PUSH_CPU_PROF, BENCH_KEEP_DATABASE=1, and the
 * app's own FCM_RATE_LIMIT_PER_SECOND, PUSH_SEND_CONCURRENCY, PUSH_SEND_QUEUE_MAX_WAITING.
 * The machine is shared: the CPU of everything else on it is reported as `others`; `postgres` is the
 * whole server (other databases' backends included), `postgresBenchDb` only the bench database's.
 */
const args = process.argv.slice(2);
const QUICK = args.includes('--quick') || process.env.BENCH_QUICK === '1';
function option(name: string): string | undefined {
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  return args[i].includes('=') ? args[i].split('=')[1] : args[i + 1];
}
const DEVICES = Number(option('devices') ?? process.env.BENCH_PUSH_DEVICES ?? (QUICK ? 50_000 : 1_000_000));
const WORKERS = Number(option('workers') ?? process.env.BENCH_PUSH_WORKERS ?? 1);
const ACK_CALLS = Number(process.env.BENCH_PUSH_ACK_CALLS ?? (QUICK ? 50 : 200));
const ACK_SUBJECTS = Math.min(10_000, DEVICES);
const TIMEOUT_S = Number(process.env.BENCH_PUSH_TIMEOUT_S ?? 1200);
const DATABASE = 'myna_bench_push';
const RUN_ID = randomBytes(3).toString('hex');
const REDIS_PREFIX = `bench-push-${RUN_ID}`;
const WEBHOOK_SECRET = randomBytes(24).toString('base64url');
const ADMIN_TOKEN = randomBytes(24).toString('base64url');
const SAMPLE_MS = 200;
/** BENCH_PUSH_CPU_PROF=<dir>: the API and the workers write V8 CPU profiles there when they stop. */
const CPU_PROF = process.env.BENCH_PUSH_CPU_PROF;
const nodeArgs = CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${resolve(CPU_PROF)}`] : [];

const log = (line: string): void => console.log(`bench:push ${line}`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Campaign {
  id: string;
  status: string;
  targeted: number;
  sent: number;
  failed: number;
  invalidTokens: number;
  cancelledTokens: number;
  createdAt: string;
  completedAt: string | null;
}

function pidsNamed(comm: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === comm) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

/**
 * CPU seconds of the PostgreSQL backends serving the bench database, apart from the server's other
 * backends (the shared machine's tests use the same server). Backends are found every second; a
 * backend's last reading is kept after it exits.
 */
function databaseBackendsCpu(url: string): {
  ready: Promise<void>;
  seconds: () => number;
  stop: () => Promise<void>;
} {
  const seen = new Map<number, number>();
  const client = new Client({ connectionString: url });
  const read = (): void => {
    for (const pid of seen.keys()) seen.set(pid, Math.max(seen.get(pid)!, cpuSeconds(pid)));
  };
  const refresh = async (): Promise<void> => {
    const { rows } = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    for (const { pid } of rows) if (!seen.has(pid)) seen.set(pid, 0);
    read();
  };
  const ready = client.connect().then(refresh);
  const timer = setInterval(() => void ready.then(refresh).catch(() => undefined), 1000);
  return {
    ready,
    seconds: () => {
      read();
      return [...seen.values()].reduce((a, b) => a + b, 0);
    },
    stop: async () => {
      clearInterval(timer);
      await ready.catch(() => undefined);
      await client.end();
    },
  };
}

function forkSimulator(): Promise<{ child: ChildProcess; url: string; ca: string }> {
  const child = fork(resolve(__dirname, 'fcm-process.js'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((done, fail) => {
    child.once('message', (m) => done({ child, ...(m as { url: string; ca: string }) }));
    child.once('exit', (code) => fail(new Error(`FCM simulator exited with ${code} before it was ready`)));
  });
}

/** The simulator's totals (summary: without the per-token map, which holds every token). */
function simulatorStats(sim: { url: string; ca: string }): Promise<FcmStatsReport> {
  return new Promise((done, fail) => {
    const req = request(`${sim.url}/__control/stats?summary=true`, { ca: sim.ca }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => done(JSON.parse(body) as FcmStatsReport));
    });
    req.on('error', fail);
    req.end();
  });
}

async function postWebhook(apiUrl: string, body: unknown): Promise<{ ms: number; campaignId: string }> {
  const raw = JSON.stringify(body);
  const t0 = performance.now();
  const res = await fetch(`${apiUrl}/v1/webhooks/push`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-myna-signature': signWebhook(WEBHOOK_SECRET, raw, Math.floor(Date.now() / 1000)),
    },
    body: raw,
  });
  const text = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 202) throw new Error(`webhook answered ${res.status}: ${text.slice(0, 300)}`);
  return { ms, campaignId: (JSON.parse(text) as { campaignId: string }).campaignId };
}

async function getCampaign(apiUrl: string, id: string): Promise<Campaign> {
  const res = await fetch(`${apiUrl}/admin/v1/campaigns/${id}`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  if (res.status !== 200) throw new Error(`campaign ${id}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as Campaign;
}

const message = {
  title: { ja: '新しいお知らせがあります', en: 'You have a new notice' },
  body: { ja: 'マイナポータルでご確認ください。', en: 'Please check it on Mynaportal.' },
};

/** Peaks of worker RSS (each, and all workers together) and Redis used_memory, every 200 ms. */
function startSampler(workerPids: number[], redis: Redis) {
  const peak = { workerRssMiB: 0, workersTotalRssMiB: 0, redisUsedMiB: 0 };
  let redisBusy = false;
  const timer = setInterval(() => {
    const rss = workerPids.map(rssMiB);
    peak.workerRssMiB = Math.max(peak.workerRssMiB, ...rss);
    peak.workersTotalRssMiB = Math.max(
      peak.workersTotalRssMiB,
      rss.reduce((a, b) => a + b, 0),
    );
    if (redisBusy) return;
    redisBusy = true;
    void redisUsedMiB(redis)
      .then((mib) => (peak.redisUsedMiB = Math.max(peak.redisUsedMiB, mib)))
      .catch(() => undefined)
      .finally(() => (redisBusy = false));
  }, SAMPLE_MS);
  return { peak, stop: () => clearInterval(timer) };
}

async function redisUsedMiB(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0) / 1024 / 1024;
}

async function broadcast(
  api: Bff,
  workers: Bff[],
  sim: { child: ChildProcess; url: string; ca: string },
  redis: Redis,
  seeded: { dead: number; flaky: number },
): Promise<PushResult['broadcast']> {
  const workerPids = workers.map((w) => w.child.pid!);
  const probe = cpuProbe({
    worker: () => workerPids,
    api: () => [api.child.pid!],
    fcmSimulator: () => [sim.child.pid!],
    postgres: postgresPids,
    redis: () => pidsNamed('redis-server'),
  });
  const backends = databaseBackendsCpu(databaseUrl(DATABASE));
  await backends.ready;
  const backendsBefore = backends.seconds();
  const redisBaselineMiB = await redisUsedMiB(redis);
  const sampler = startSampler(workerPids, redis);
  const series: { t: number; sent: number }[] = [];
  const t0 = performance.now();
  const ack = await postWebhook(api.url, {
    notificationId: `bench-broadcast-${RUN_ID}`,
    noticeId: 'ntc-bench-broadcast',
    category: 'bench',
    audience: { type: 'all' },
    message,
  });
  log(`broadcast accepted in ${Math.round(ack.ms)} ms: campaign ${ack.campaignId}`);
  let campaign: Campaign;
  let lastLog = 0;
  for (;;) {
    campaign = await getCampaign(api.url, ack.campaignId);
    const t = (performance.now() - t0) / 1000;
    const done = campaign.sent + campaign.failed + campaign.invalidTokens + campaign.cancelledTokens;
    series.push({ t: Math.round(t * 10) / 10, sent: done });
    if (t - lastLog >= 10) {
      lastLog = t;
      log(`  ${Math.round(t)} s: ${campaign.status}, ${done} of ${campaign.targeted || '?'} recorded`);
    }
    if (['completed', 'failed', 'cancelled'].includes(campaign.status)) break;
    if (t > TIMEOUT_S)
      throw new Error(`campaign not ended within ${TIMEOUT_S} s: ${JSON.stringify(campaign)}`);
    await sleep(SAMPLE_MS);
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  sampler.stop();
  const cpu = { ...probe(), postgresBenchDb: Math.round((backends.seconds() - backendsBefore) * 100) / 100 };
  await backends.stop();
  const stats = await simulatorStats(sim);
  const messages = campaign.targeted;
  const cpuMsPerMessage: Record<string, number> = {};
  for (const [k, v] of Object.entries(cpu)) cpuMsPerMessage[k] = Math.round((v * 1e6) / messages) / 1000;
  // steady rate: between 10 % and 90 % of the campaign recorded (no start-up, no tail)
  const at = (share: number): { t: number; sent: number } | undefined =>
    series.find((p) => p.sent >= share * messages);
  const [p10, p90] = [at(0.1), at(0.9)];
  const steady = p10 && p90 && p90.t > p10.t ? (p90.sent - p10.sent) / (p90.t - p10.t) : undefined;
  const live = DEVICES - seeded.dead;
  const checks = {
    totalsAddUp:
      campaign.sent + campaign.failed + campaign.invalidTokens + campaign.cancelledTokens ===
      campaign.targeted,
    everyDeviceTargeted: campaign.targeted === DEVICES,
    liveSentDeadInvalid:
      campaign.sent === live && campaign.invalidTokens === seeded.dead && campaign.failed === 0,
    everyTokenTried: stats.distinctTokens === DEVICES,
    noTokenSucceededTwice: stats.duplicates.length === 0 && stats.successes === live,
    // each token once, flaky ones twice (the retry after their first UNAVAILABLE)
    requestsAsExpected: stats.requests === DEVICES + seeded.flaky,
  };
  return {
    campaignId: campaign.id,
    status: campaign.status,
    totals: {
      targeted: campaign.targeted,
      sent: campaign.sent,
      failed: campaign.failed,
      invalidTokens: campaign.invalidTokens,
      cancelledTokens: campaign.cancelledTokens,
    },
    webhookAckMs: Math.round(ack.ms * 10) / 10,
    wallSeconds: Math.round(wallSeconds * 10) / 10,
    serverSeconds: campaign.completedAt
      ? Math.round((Date.parse(campaign.completedAt) - Date.parse(campaign.createdAt)) / 100) / 10
      : null,
    messagesPerSecond: Math.round(messages / wallSeconds),
    steadyMessagesPerSecond: steady === undefined ? undefined : Math.round(steady),
    workerPeakRssMiB: Math.round(sampler.peak.workerRssMiB * 10) / 10,
    workersTotalPeakRssMiB: Math.round(sampler.peak.workersTotalRssMiB * 10) / 10,
    redisBaselineMiB: Math.round(redisBaselineMiB * 10) / 10,
    redisPeakMiB: Math.round(sampler.peak.redisUsedMiB * 10) / 10,
    cpuSeconds: cpu,
    cpuMsPerMessage,
    simulator: {
      requests: stats.requests,
      successes: stats.successes,
      failures: stats.failures,
      distinctTokens: stats.distinctTokens,
      duplicates: stats.duplicates.length,
    },
    checks,
    series,
  };
}

async function webhookAcks(api: Bff): Promise<PushResult['webhookAck']> {
  const sendAt = new Date(Date.now() + 86_400_000).toISOString();
  const call = (i: number): Promise<{ ms: number }> => {
    const first = (i * ACK_SUBJECTS) % DEVICES;
    return postWebhook(api.url, {
      notificationId: `bench-ack-${RUN_ID}-${i}`,
      noticeId: `ntc-bench-ack-${i}`,
      category: 'bench',
      audience: {
        type: 'users',
        subjects: Array.from({ length: ACK_SUBJECTS }, (_, j) => subjectOf((first + j) % DEVICES)),
      },
      message,
      sendAt,
    });
  };
  // warm-up (JIT, plans, pools), not reported
  for (let i = 0; i < 5; i++) await call(ACK_CALLS + i);
  const probe = cpuProbe({ api: () => [api.child.pid!], postgres: postgresPids });
  const backends = databaseBackendsCpu(databaseUrl(DATABASE));
  await backends.ready;
  const backendsBefore = backends.seconds();
  const latencies: number[] = [];
  for (let i = 0; i < ACK_CALLS; i++) latencies.push((await call(i)).ms);
  const cpu = { ...probe(), postgresBenchDb: Math.round((backends.seconds() - backendsBefore) * 100) / 100 };
  await backends.stop();
  latencies.sort((a, b) => a - b);
  const cpuMsPerCall: Record<string, number> = {};
  for (const [k, v] of Object.entries(cpu)) cpuMsPerCall[k] = Math.round((v * 1e5) / ACK_CALLS) / 100;
  return {
    calls: ACK_CALLS,
    subjectsPerCall: ACK_SUBJECTS,
    latencyMs: {
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: percentile(latencies, 100),
    },
    cpuMsPerCall,
  };
}

async function clearRedisPrefix(redis: Redis): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${REDIS_PREFIX}:*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

async function main(): Promise<void> {
  log(
    `${QUICK ? '(quick) ' : ''}${DEVICES} devices, ${WORKERS} worker process(es), ${ACK_CALLS} webhook calls`,
  );
  const encryptionKeys = newEncryptionKeys();
  const redis = new Redis(REDIS_URL);
  const sim = await forkSimulator();
  const settings: BffSettings = {
    issuer: 'http://127.0.0.1:9/issuer',
    clientId: 'bench-push',
    keys: generateClientKeys('bench-push'),
    database: DATABASE,
    redisPrefix: REDIS_PREFIX,
    encryptionKeys,
    extra: {
      ADMIN_TOKENS: `bench:${createHash('sha256').update(ADMIN_TOKEN).digest('hex')}`,
      WEBHOOK_SECRETS: WEBHOOK_SECRET,
      FCM_SIMULATOR_URL: sim.url,
      FCM_SIMULATOR_CA: sim.ca,
    },
  };
  try {
    await recreateDatabase(DATABASE);
    await migrate(settings);
    const seeded = await withDatabase(databaseUrl(DATABASE), (c) =>
      seedDevices(c, DEVICES, encryptionKeys, log),
    );
    const api = await startBff(settings, { nodeArgs });
    const workers: Bff[] = [];
    for (let i = 0; i < WORKERS; i++)
      workers.push(
        await startBff({ ...settings, extra: { ...settings.extra, APP_ROLE: 'worker' } }, { nodeArgs }),
      );
    const result = await broadcast(api, workers, sim, redis, seeded);
    const registrationsLeft = await withDatabase(databaseUrl(DATABASE), async (c) =>
      Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM push_registrations`)).rows[0].n),
    );
    result.checks.deadTokensDeleted = registrationsLeft === DEVICES - seeded.dead;
    log(`broadcast: ${JSON.stringify({ ...result, series: `${result.series.length} points` })}`);
    // the fan-outs of the acknowledgement calls are delayed a day: the workers can go
    await Promise.all(workers.map((w) => stopChild(w.child, 20_000)));
    const webhookAck = await webhookAcks(api);
    log(`webhook ack: ${JSON.stringify(webhookAck)}`);
    const out: PushResult = {
      at: new Date().toISOString(),
      quick: QUICK,
      machine: `${cpus().length} cores, Node ${process.version}`,
      devices: DEVICES,
      workers: WORKERS,
      settings: {
        fcmLatencyMs: Number(process.env.BENCH_FCM_LATENCY_MS ?? 5),
        rateLimitPerSecond: Number(process.env.FCM_RATE_LIMIT_PER_SECOND ?? 6000),
        sendConcurrency: Number(process.env.PUSH_SEND_CONCURRENCY ?? 16),
        sendQueueMaxWaiting: Number(process.env.PUSH_SEND_QUEUE_MAX_WAITING ?? 40),
      },
      seeded,
      broadcast: result,
      webhookAck,
    };
    const rows = pushRows(out as unknown as Record<string, unknown>);
    for (const r of rows)
      log(
        `${r.scenario}: ${r.met ? 'met' : 'NOT MET'} · ${r.checks.map((c) => `${c.met ? '✓' : '✗'} ${c.target} (${c.actual})`).join('; ')}`,
      );
    const dir = resolve(ROOT, 'bench/results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(resolve(dir, 'push.json'), `${JSON.stringify(out, null, 2)}\n`);
    log(`written ${resolve(dir, 'push.json')}`);
  } finally {
    await stopChildren();
    await stopChild(sim.child);
    await clearRedisPrefix(redis).catch(() => undefined);
    redis.disconnect();
    if (process.env.BENCH_KEEP_DATABASE !== '1') await dropDatabase(DATABASE);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
