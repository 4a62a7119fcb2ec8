import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import * as client from 'openid-client';
import { generateClientKeys } from '../../test/simulators/oidc/client-keys.js';
import { driveLogin } from '../../test/simulators/oidc/drive-login.js';
import { DEFAULT_REDIRECT_URI } from '../../test/simulators/oidc/oidc-simulator.js';
import { discoverAsRp } from '../../test/simulators/oidc/rp-client.js';
import { TARGETS } from '../lib/targets.js';
import {
  ROOT,
  completeLink,
  cpuProbe,
  dropDatabase,
  forkOidcSimulator,
  migrate,
  newEncryptionKeys,
  percentile,
  pool,
  postgresPids,
  prepareLink,
  recreateDatabase,
  startBff,
  stopChildren,
  withDatabase,
  databaseUrl,
  type BffSettings,
  type PreparedLink,
} from './stack.js';

/**
 * `npm run bench:link` (TARGETS.md: link complete ≥ 450 completions/s and ≤ 1.2 ms BFF CPU per
 * completion on one 2-core machine; bench/lib/targets.ts).
 *
 * Processes: the OIDC simulator (own process, generated personas `bench-<n>`, one distinct person per
 * link), the BFF (dist/main.js, api role, fresh database `myna_bench`, Redis prefix `bench`), and this
 * load generator. Untimed: N × (POST /v1/link/start + the browser login at the simulator) → N codes.
 * Timed: POST /v1/link/complete for all N with a fixed number in flight — code exchange
 * (private_key_jwt + PKCE) and ID token check at the simulator, token encryption and DB writes.
 * Then, for the same client and the same concurrency, the bare code exchange against the simulator
 * without the BFF (openid-client here does what the BFF does): the ceiling the simulator allows.
 *
 * Settings: BENCH_LINK_N (2000), BENCH_LINK_CONCURRENCY (32), BENCH_LINK_WARMUP (300),
 * BENCH_LINK_PREPARE_CONCURRENCY (16), BENCH_BFF_NODE_ARGS / BENCH_SIM_NODE_ARGS (e.g. --cpu-prof),
 * BENCH_DATABASE_POOL_MAX (the BFF's DATABASE_POOL_MAX; default 20, terraform's `api_db_pool_max`
 * for an api task, not the app's development default of 10), BENCH_KEEP_DATABASE=1.
 */
const N = Number(process.env.BENCH_LINK_N ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_LINK_CONCURRENCY ?? 32);
const WARMUP = Number(process.env.BENCH_LINK_WARMUP ?? 300);
const PREPARE_CONCURRENCY = Number(process.env.BENCH_LINK_PREPARE_CONCURRENCY ?? 16);
const POOL_MAX = process.env.BENCH_DATABASE_POOL_MAX ?? '20';
const DATABASE = 'myna_bench';
const split = (v: string | undefined): string[] => (v ?? '').split(' ').filter(Boolean);

interface Phase {
  name: string;
  requests: number;
  ok: number;
  errors: number;
  statusCodes: Record<string, number>;
  seconds: number;
  perSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** CPU seconds used during the phase by each process */
  cpuSeconds: Record<string, number>;
  /** CPU milliseconds per successful request, per process */
  cpuMsPerOk: Record<string, number>;
  firstErrors: string[];
}

async function timed(
  name: string,
  count: number,
  probe: () => Record<string, number>,
  one: (index: number) => Promise<{ status: number; error?: string }>,
): Promise<Phase> {
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  const firstErrors: string[] = [];
  probe();
  const started = performance.now();
  await pool(
    Array.from({ length: count }, (_, i) => i),
    CONCURRENCY,
    async (i) => {
      const t0 = performance.now();
      let outcome: { status: number; error?: string };
      try {
        outcome = await one(i);
      } catch (error) {
        outcome = { status: 0, error: error instanceof Error ? error.message : String(error) };
      }
      latencies.push(performance.now() - t0);
      statusCodes[outcome.status] = (statusCodes[outcome.status] ?? 0) + 1;
      if (outcome.error && firstErrors.length < 5) firstErrors.push(`${outcome.status} ${outcome.error}`);
    },
  );
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = probe();
  latencies.sort((a, b) => a - b);
  const ok = Object.entries(statusCodes)
    .filter(([s]) => s.startsWith('2'))
    .reduce((sum, [, n]) => sum + n, 0);
  const cpuMsPerOk: Record<string, number> = {};
  for (const [k, v] of Object.entries(cpuSeconds)) cpuMsPerOk[k] = ok ? Math.round((v * 1e5) / ok) / 100 : 0;
  return {
    name,
    requests: count,
    ok,
    errors: count - ok,
    statusCodes,
    seconds: Math.round(seconds * 100) / 100,
    perSecond: Math.round(ok / seconds),
    latencyMs: {
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: percentile(latencies, 100),
      mean: Math.round((latencies.reduce((a, b) => a + b, 0) / (latencies.length || 1)) * 10) / 10,
    },
    cpuSeconds,
    cpuMsPerOk,
    firstErrors,
  };
}

async function prepare(
  bffUrl: string,
  runId: string,
  from: number,
  count: number,
): Promise<{ links: PreparedLink[]; perSecond: number }> {
  const started = performance.now();
  const links = await pool(
    Array.from({ length: count }, (_, i) => from + i),
    PREPARE_CONCURRENCY,
    (n) => prepareLink(bffUrl, `bench-${n}`, `bench-${runId}-${n}`),
  );
  return { links, perSecond: Math.round(count / ((performance.now() - started) / 1000)) };
}

interface RpCode {
  code: string;
  state: string;
  nonce: string;
  verifier: string;
  callbackUrl: string;
}

/** Codes for the bare exchange: the same client, authorization URLs built here. */
async function prepareRpCodes(config: client.Configuration, from: number, count: number): Promise<RpCode[]> {
  return pool(
    Array.from({ length: count }, (_, i) => from + i),
    PREPARE_CONCURRENCY,
    async (n) => {
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: DEFAULT_REDIRECT_URI,
        scope: 'openid',
        state,
        nonce,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      const login = await driveLogin(url.href, `bench-${n}`);
      return { code: login.code, state, nonce, verifier, callbackUrl: login.callbackUrl };
    },
  );
}

function fmt(n: string | number, width: number): string {
  return String(n).padStart(width);
}

function printTable(phases: Phase[]): void {
  console.log('');
  console.log(
    `${'phase'.padEnd(34)}${fmt('ok', 6)}${fmt('err', 5)}${fmt('/s', 6)}${fmt('p50 ms', 8)}${fmt('p90 ms', 8)}${fmt('p99 ms', 8)}${fmt('max ms', 8)}   CPU ms per completion`,
  );
  for (const p of phases) {
    const cpu = Object.entries(p.cpuMsPerOk)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    console.log(
      `${p.name.padEnd(34)}${fmt(p.ok, 6)}${fmt(p.errors, 5)}${fmt(p.perSecond, 6)}${fmt(p.latencyMs.p50, 8)}${fmt(p.latencyMs.p90, 8)}${fmt(p.latencyMs.p99, 8)}${fmt(p.latencyMs.max, 8)}   ${cpu}`,
    );
  }
}

async function main(): Promise<void> {
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const keys = generateClientKeys(`bench-${runId}`);
  const sim = await forkOidcSimulator(keys, { nodeArgs: split(process.env.BENCH_SIM_NODE_ARGS) });
  await recreateDatabase(DATABASE);
  const settings: BffSettings = {
    issuer: sim.issuer,
    clientId: sim.clientId,
    keys,
    database: DATABASE,
    redisPrefix: 'bench',
    encryptionKeys: newEncryptionKeys(),
    extra: {
      LINK_RATE_LIMIT_PER_IP: '1000000',
      LINK_RATE_LIMIT_PER_DEVICE: '1000',
      DATABASE_POOL_MAX: POOL_MAX,
    },
  };
  await migrate(settings);
  const bff = await startBff(settings, {
    nodeArgs: split(process.env.BENCH_BFF_NODE_ARGS),
    logs: Boolean(process.env.BENCH_BFF_LOGS),
  });
  console.log(
    `bench:link — ${N} completions, ${CONCURRENCY} in flight, one generated person per link, BFF DATABASE_POOL_MAX ${POOL_MAX}; BFF ${bff.url}, issuer ${sim.issuer}`,
  );
  const probe = cpuProbe({
    bff: () => [bff.child.pid!],
    oidcSim: () => [sim.child.pid!],
    postgres: postgresPids,
  });

  // warm-up (JIT, pools, discovery cache), not reported
  const warm = await prepare(bff.url, runId, 1_000_000, WARMUP);
  await timed('warm-up', WARMUP, probe, async (i) => {
    const res = await completeLink(bff.url, warm.links[i], `bench-push-${i}`);
    await res.arrayBuffer();
    return { status: res.status };
  });

  // codes for the BFF run (untimed)
  const prepared = await prepare(bff.url, runId, 0, N);
  console.log(`prepared ${N} codes (link start + login at the simulator): ${prepared.perSecond}/s`);

  const phases: Phase[] = [];
  phases.push(
    await timed('BFF POST /v1/link/complete', N, probe, async (i) => {
      const res = await completeLink(bff.url, prepared.links[i], `bench-push-${i}`);
      const body = await res.text();
      return { status: res.status, error: res.ok ? undefined : body.slice(0, 200) };
    }),
  );

  // the simulator alone: bare code exchanges with the same client assertion, PKCE and ID token check
  const rp = await discoverAsRp({ issuer: sim.issuer, clientId: sim.clientId }, keys);
  const rpWarm = await prepareRpCodes(rp, 2_000_000, Math.min(WARMUP, 100));
  const rpCodes = await prepareRpCodes(rp, 3_000_000, N);
  const exchange = async (c: RpCode): Promise<{ status: number }> => {
    await client.authorizationCodeGrant(rp, new URL(c.callbackUrl), {
      pkceCodeVerifier: c.verifier,
      expectedState: c.state,
      expectedNonce: c.nonce,
      idTokenExpected: true,
    });
    return { status: 200 };
  };
  await timed('warm-up', rpWarm.length, probe, (i) => exchange(rpWarm[i]));
  phases.push(await timed('simulator alone: code exchange', N, probe, (i) => exchange(rpCodes[i])));

  const rows = await withDatabase(databaseUrl(DATABASE), async (c) => {
    const counts: Record<string, number> = {};
    for (const table of ['people', 'device_links', 'provider_tokens', 'token_revocations']) {
      counts[table] = Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    }
    return counts;
  });

  printTable(phases);
  const [bffPhase, simPhase] = phases;
  const target = TARGETS.link;
  const rateMet = bffPhase.perSecond >= target.minCompletionsPerSecond;
  const cpuMet = bffPhase.cpuMsPerOk.bff <= target.bffCpuMsPerCompletion;
  const simShare = bffPhase.cpuMsPerOk.oidcSim;
  console.log('');
  console.log(
    `link completions: ${bffPhase.perSecond}/s (target ≥ ${target.minCompletionsPerSecond}/s: ${rateMet ? 'met' : 'NOT met'}; ` +
      `BFF CPU ${bffPhase.cpuMsPerOk.bff} ms ≤ ${target.bffCpuMsPerCompletion}: ${cpuMet ? 'met' : 'NOT met'}); ` +
      `the simulator alone exchanges ${simPhase.perSecond} codes/s at the same concurrency`,
  );
  console.log(
    `CPU per completion: BFF ${bffPhase.cpuMsPerOk.bff} ms, OIDC simulator ${simShare} ms, PostgreSQL ${bffPhase.cpuMsPerOk.postgres} ms, load generator ${bffPhase.cpuMsPerOk.loadgen} ms (${cpus().length} cores)`,
  );
  const busy = (p: Phase): number =>
    Math.round((Object.values(p.cpuSeconds).reduce((a, b) => a + b, 0) / p.seconds / cpus().length) * 100);
  console.log(
    `machine CPU busy: ${busy(bffPhase)} % of ${cpus().length} cores during the BFF run (other processes: ${bffPhase.cpuMsPerOk.others} ms per completion), ${busy(simPhase)} % during the simulator-alone run`,
  );
  // what the CPU allows: every process of the run shares the cores; the BFF is one JS thread
  const ours = ['loadgen', 'bff', 'oidcSim', 'postgres', 'interrupts'].reduce(
    (sum, k) => sum + (bffPhase.cpuMsPerOk[k] ?? 0),
    0,
  );
  const ceilings = {
    machineAllProcesses: Math.round((cpus().length * 1000) / ours),
    bffAndPostgresOnly: Math.round(
      (cpus().length * 1000) /
        (bffPhase.cpuMsPerOk.bff + bffPhase.cpuMsPerOk.postgres + bffPhase.cpuMsPerOk.interrupts),
    ),
    oneBffProcess: Math.round(1000 / bffPhase.cpuMsPerOk.bff),
  };
  console.log(
    `CPU ceilings (completions/s): this machine with everything on it ${ceilings.machineAllProcesses}; ` +
      `BFF + PostgreSQL alone on ${cpus().length} cores ${ceilings.bffAndPostgresOnly}; one BFF process (one JS thread) ${ceilings.oneBffProcess}`,
  );
  console.log(`rows after the run: ${JSON.stringify(rows)}`);

  const resultsDir = resolve(ROOT, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const file = resolve(resultsDir, `link-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        benchmark: 'link',
        at: new Date().toISOString(),
        settings: {
          completions: N,
          concurrency: CONCURRENCY,
          warmup: WARMUP,
          distinctPeople: true,
          bffDatabasePoolMax: Number(POOL_MAX),
        },
        machine: { cpus: cpus().length, node: process.version },
        codePreparationPerSecond: prepared.perSecond,
        phases,
        cpuCeilingsPerSecond: ceilings,
        machineCpuBusyPercent: { bff: busy(bffPhase), simulatorAlone: busy(simPhase) },
        rows,
        targetPerSecond: target.minCompletionsPerSecond,
        targetBffCpuMsPerCompletion: target.bffCpuMsPerCompletion,
        met: rateMet && cpuMet,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`report: ${file}`);
  await stopChildren();
  if (!process.env.BENCH_KEEP_DATABASE) await dropDatabase(DATABASE);
}

main()
  .catch(async (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
    await stopChildren();
  })
  .finally(() => process.exit());
