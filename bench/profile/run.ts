import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { DpopClient } from '../../test/support/dpop-client.js';
import { generateClientKeys } from '../../test/simulators/oidc/client-keys.js';
import { TARGETS } from '../lib/targets.js';
import {
  ROOT,
  completeLink,
  cpuProbe,
  dropDatabase,
  json,
  migrate,
  newEncryptionKeys,
  percentile,
  pool,
  postgresPids,
  prepareLink,
  recreateDatabase,
  startBff,
  stopChildren,
  type BffSettings,
  type PreparedLink,
} from '../link/stack.js';

/**
 * `npm run bench:profile` — the requirement's own profile (TARGETS.md, last API row): 134 req/s each
 * of link complete, notice list and notice detail at the same time, for 2 minutes (20 s with
 * --quick), at a fixed rate (an open model: a timer sends what is due whatever is still in flight,
 * and latency counts from the moment a request was due, so a slow BFF cannot slow the load down).
 * Met when every answer of every endpoint came within 1 s, none over 3 s, and none failed.
 *
 * Every call is signed as the app signs it (DPoP, test/support/dpop-client.ts): one key per device.
 * Processes: the simulators (bench/profile/sim-process.ts: OIDC with generated personas, Mynaportal
 * at 20 ms), the BFF (dist/main.js, api role, fresh database), and this load generator.
 * Untimed: link start + login for every link the run will complete, and 20 linked readers.
 *
 * Settings: BENCH_PROFILE_DURATION (s, 120; 20 with --quick), BENCH_PROFILE_RATE (134 per endpoint),
 * BENCH_PROFILE_READERS (20), BENCH_PROFILE_PREPARE_CONCURRENCY (32), BENCH_UPSTREAM_LATENCY_MS (20), BENCH_BFF_NODE_ARGS, BENCH_BFF_LOGS.
 */
const QUICK = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const DURATION_S = Number(process.env.BENCH_PROFILE_DURATION ?? (QUICK ? 20 : 120));
const RATE = Number(process.env.BENCH_PROFILE_RATE ?? TARGETS.profile.ratePerEndpoint);
const READERS = Number(process.env.BENCH_PROFILE_READERS ?? 20);
const LATENCY_MS = Number(process.env.BENCH_UPSTREAM_LATENCY_MS ?? 20);
const PREPARE_CONCURRENCY = Number(process.env.BENCH_PROFILE_PREPARE_CONCURRENCY ?? 32);
const REQUEST_TIMEOUT_MS = 10_000;
const DATABASE = 'myna_bench_profile';
const split = (v: string | undefined): string[] => (v ?? '').split(' ').filter(Boolean);

interface Reader {
  key: DpopClient;
  deviceId: string;
  sessionToken: string;
  noticeIds: string[];
}

async function linkStart(bffUrl: string, persona: string, deviceId: string): Promise<PreparedLink> {
  return prepareLink(bffUrl, persona, deviceId);
}

function linkComplete(bffUrl: string, link: PreparedLink, signal?: AbortSignal): Promise<Response> {
  return completeLink(bffUrl, link, undefined, signal);
}

async function sessionGet(
  bffUrl: string,
  reader: Reader,
  path: string,
  signal?: AbortSignal,
): Promise<Response> {
  const url = `${bffUrl}${path}`;
  const res = await fetch(url, {
    headers: await reader.key.headers('GET', url, reader.sessionToken),
    signal,
  });
  reader.key.observe(res.headers);
  return res;
}

interface Outcome {
  latencies: number[];
  statusCodes: Record<string, number>;
  errors: number;
  sent: number;
  firstErrors: string[];
  /** When (seconds after the start, by due time) the answers over 1 s were due, and how long they took. */
  over1s: { atS: number; ms: number }[];
}

/** Sends `rate` requests a second for `seconds`, each due at a fixed time, whatever is in flight. */
async function fixedRate(
  rate: number,
  seconds: number,
  one: (n: number, signal: AbortSignal) => Promise<Response>,
): Promise<Outcome> {
  const out: Outcome = { latencies: [], statusCodes: {}, errors: 0, sent: 0, firstErrors: [], over1s: [] };
  const total = Math.round(rate * seconds);
  const inFlight = new Set<Promise<void>>();
  const t0 = performance.now();
  const fire = (n: number): void => {
    const due = t0 + (n * 1000) / rate;
    const task = (async () => {
      try {
        const res = await one(n, AbortSignal.timeout(REQUEST_TIMEOUT_MS));
        const body = await res.text();
        out.statusCodes[res.status] = (out.statusCodes[res.status] ?? 0) + 1;
        if (res.status >= 400) {
          out.errors += 1;
          if (out.firstErrors.length < 5) out.firstErrors.push(`${res.status} ${body.slice(0, 160)}`);
        }
      } catch (error) {
        out.errors += 1;
        out.statusCodes['0'] = (out.statusCodes['0'] ?? 0) + 1;
        if (out.firstErrors.length < 5)
          out.firstErrors.push(error instanceof Error ? error.message : String(error));
      }
      const ms = performance.now() - due;
      out.latencies.push(ms);
      if (ms > 1000) out.over1s.push({ atS: Math.round((due - t0) / 100) / 10, ms: Math.round(ms) });
    })();
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  };
  await new Promise<void>((done) => {
    const tick = (): void => {
      const dueNow = Math.min(total, Math.floor(((performance.now() - t0) * rate) / 1000) + 1);
      while (out.sent < dueNow) fire(out.sent++);
      if (out.sent >= total) return done();
      setTimeout(tick, 5);
    };
    tick();
  });
  await Promise.all(inFlight);
  return out;
}

async function main(): Promise<void> {
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const keys = generateClientKeys(`bench-${runId}`);
  const simChild = fork(resolve(__dirname, 'sim-process.js'), [], {
    env: {
      ...process.env,
      BENCH_CLIENT_PUBLIC_JWK: JSON.stringify(keys.publicJwk),
      BENCH_UPSTREAM_LATENCY_MS: String(LATENCY_MS),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const sims = await new Promise<{ issuer: string; clientId: string; portalUrl: string }>((done, fail) => {
    simChild.once('message', (m) => done(m as { issuer: string; clientId: string; portalUrl: string }));
    simChild.once('exit', (code) => fail(new Error(`simulators exited with ${code} before they were ready`)));
  });
  const cleanup = async (): Promise<void> => {
    await stopChildren();
    if (simChild.exitCode === null) {
      simChild.kill('SIGTERM');
      await new Promise((r) => simChild.once('exit', r));
    }
    await dropDatabase(DATABASE).catch(() => undefined);
  };
  // ended from outside (the suite's timeout, Ctrl-C): the BFF and the simulators go too
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, () => void cleanup().finally(() => process.exit(1)));
  try {
    await recreateDatabase(DATABASE);
    const settings: BffSettings = {
      issuer: sims.issuer,
      clientId: sims.clientId,
      keys,
      database: DATABASE,
      redisPrefix: `bench-profile:${runId}`,
      encryptionKeys: newEncryptionKeys(),
      mynaportalUrl: sims.portalUrl,
      extra: {
        LINK_RATE_LIMIT_PER_IP: '100000000',
        LINK_RATE_LIMIT_PER_DEVICE: '1000',
        DATABASE_POOL_MAX: process.env.BENCH_DATABASE_POOL_MAX ?? '20',
      },
    };
    await migrate(settings);
    const bff = await startBff(settings, {
      nodeArgs: split(process.env.BENCH_BFF_NODE_ARGS),
      logs: Boolean(process.env.BENCH_BFF_LOGS),
    });
    const linksNeeded = Math.round(RATE * DURATION_S);
    console.log(
      `bench:profile — ${RATE} req/s each of link complete, notice list, notice detail for ${DURATION_S} s (fixed rate); upstream ${LATENCY_MS} ms; BFF ${bff.url}`,
    );

    // readers: linked devices whose sessions read the notices
    const readers: Reader[] = await pool(
      Array.from({ length: READERS }, (_, i) => i),
      8,
      async (i) => {
        const pending = await linkStart(bff.url, `bench-${9_000_000 + i}`, `profile-reader-${runId}-${i}`);
        const done = await json<{ sessionToken: string }>(
          await linkComplete(bff.url, pending),
          'link complete',
        );
        const reader: Reader = {
          key: pending.key,
          deviceId: pending.deviceId,
          sessionToken: done.sessionToken,
          noticeIds: [],
        };
        const page = await json<{ items: { id: string }[] }>(
          await sessionGet(bff.url, reader, '/v1/notices?limit=20'),
          'notice list',
        );
        reader.noticeIds = page.items.map((n) => n.id);
        if (!reader.noticeIds.length) throw new Error('a reader has no notices');
        return reader;
      },
    );
    const prepStarted = performance.now();
    const links = await pool(
      Array.from({ length: linksNeeded }, (_, i) => i),
      PREPARE_CONCURRENCY,
      (i) => linkStart(bff.url, `bench-${i}`, `profile-${runId}-${i}`),
    );
    console.log(
      `prepared ${links.length} links (link start + login) in ${Math.round((performance.now() - prepStarted) / 1000)} s; ${readers.length} readers linked`,
    );

    // warm-up: a few seconds of the same mix at a quarter of the rate (not reported)
    const warmLinks = await pool(
      Array.from({ length: 60 }, (_, i) => i),
      16,
      (i) => linkStart(bff.url, `bench-${8_000_000 + i}`, `profile-warm-${runId}-${i}`),
    );
    await Promise.all([
      fixedRate(20, 3, (n, signal) => linkComplete(bff.url, warmLinks[n], signal)),
      fixedRate(40, 3, (n, signal) =>
        sessionGet(bff.url, readers[n % readers.length], '/v1/notices?limit=20', signal),
      ),
    ]);

    const probe = cpuProbe({
      bff: () => [bff.child.pid!],
      simulators: () => [simChild.pid!],
      postgres: postgresPids,
    });
    probe();
    const started = performance.now();
    const [complete, list, detail] = await Promise.all([
      fixedRate(RATE, DURATION_S, (n, signal) => linkComplete(bff.url, links[n], signal)),
      fixedRate(RATE, DURATION_S, (n, signal) =>
        sessionGet(bff.url, readers[n % readers.length], '/v1/notices?limit=20', signal),
      ),
      fixedRate(RATE, DURATION_S, (n, signal) => {
        const reader = readers[n % readers.length];
        const id = reader.noticeIds[Math.floor(n / readers.length) % reader.noticeIds.length];
        return sessionGet(bff.url, reader, `/v1/notices/${encodeURIComponent(id)}`, signal);
      }),
    ]);
    const seconds = (performance.now() - started) / 1000;
    const cpu = probe();
    const peakRssMiB = (() => {
      const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${bff.child.pid}/status`, 'utf8'))?.[1];
      return kb ? Math.round(Number(kb) / 1024) : undefined;
    })();
    const answered = complete.latencies.length + list.latencies.length + detail.latencies.length;
    const cpuMsPerRequest: Record<string, number> = {};
    for (const [k, v] of Object.entries(cpu)) cpuMsPerRequest[k] = Math.round((v * 1e5) / answered) / 100;

    const endpoints = (
      [
        ['link complete', complete],
        ['notice list', list],
        ['notice detail', detail],
      ] as const
    ).map(([endpoint, o]) => {
      const sorted = [...o.latencies].sort((a, b) => a - b);
      const within1s = sorted.filter((l) => l <= 1000).length;
      return {
        endpoint,
        targetRate: RATE,
        sent: o.sent,
        answered: sorted.length,
        errors: o.errors,
        statusCodes: o.statusCodes,
        firstErrors: o.firstErrors,
        ratePerSecond: Math.round((sorted.length / seconds) * 10) / 10,
        shareWithin1s: sorted.length ? within1s / sorted.length : 0,
        over1s: o.over1s.slice(0, 50),
        latencyMs: {
          p50: percentile(sorted, 50),
          p90: percentile(sorted, 90),
          p99: percentile(sorted, 99),
          max: percentile(sorted, 100),
        },
        // CPU of the whole mix ÷ every answer of the three endpoints
        cpuMsPerRequest,
      };
    });
    const t = TARGETS.profile;
    const met = endpoints.every(
      (e) => e.shareWithin1s >= t.shareWithin1s && e.latencyMs.max <= t.maxMs && e.errors <= t.errors,
    );

    console.log(
      `\n${'endpoint'.padEnd(16)}${'req/s'.padStart(8)}${'≤1 s'.padStart(9)}${'p50'.padStart(8)}${'p90'.padStart(8)}${'p99'.padStart(8)}${'max'.padStart(8)}${'errors'.padStart(8)}`,
    );
    for (const e of endpoints) {
      console.log(
        `${e.endpoint.padEnd(16)}${String(e.ratePerSecond).padStart(8)}${`${(e.shareWithin1s * 100).toFixed(2)} %`.padStart(9)}${String(e.latencyMs.p50).padStart(8)}${String(e.latencyMs.p90).padStart(8)}${String(e.latencyMs.p99).padStart(8)}${String(e.latencyMs.max).padStart(8)}${String(e.errors).padStart(8)}`,
      );
      for (const err of e.firstErrors) console.log(`    ${err}`);
      if (e.over1s.length)
        console.log(
          `    over 1 s: ${e.over1s.length} answers, due at ${[...new Set(e.over1s.map((o) => `${Math.floor(o.atS)} s`))].join(', ')}`,
        );
    }
    console.log(
      `\nCPU ms per request (mix): ${Object.entries(cpuMsPerRequest)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}; BFF peak RSS ${peakRssMiB} MiB`,
    );
    console.log(`target (100 % ≤ 1 s, max ≤ 3 s, 0 errors): ${met ? 'met' : 'NOT met'}`);

    const resultsDir = resolve(ROOT, 'bench/results');
    mkdirSync(resultsDir, { recursive: true });
    const file = resolve(resultsDir, 'profile.json');
    writeFileSync(
      file,
      `${JSON.stringify(
        {
          benchmark: 'profile',
          at: new Date().toISOString(),
          quick: QUICK,
          settings: {
            ratePerEndpoint: RATE,
            durationSeconds: DURATION_S,
            readers: READERS,
            upstreamLatencyMs: LATENCY_MS,
          },
          machine: { cpus: cpus().length, node: process.version },
          seconds: Math.round(seconds * 10) / 10,
          endpoints,
          cpuSeconds: cpu,
          bffPeakRssMiB: peakRssMiB,
          met,
        },
        null,
        2,
      )}\n`,
    );
    console.log(`report: ${file}`);
  } finally {
    await cleanup();
  }
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => process.exit());
