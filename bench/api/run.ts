import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { generateClientKeys } from '../../test/simulators/oidc/client-keys.js';
import { driveLogin } from '../../test/simulators/oidc/drive-login.js';
import { DEFAULT_REDIRECT_URI } from '../../test/simulators/oidc/oidc-simulator.js';
import { discoverAsRp, linkPersona } from '../../test/simulators/oidc/rp-client.js';
import { DpopClient } from '../../test/support/dpop-client.js';
import { imageNodeOptions } from '../lib/image-node-options.js';
import { TARGETS } from '../lib/targets.js';

/**
 * `npm run bench:api` (TARGETS.md, API): notice list and notice detail through the BFF and through
 * a bare Fastify pass-through proxy to the same Mynaportal simulator (20 ms latency), side by side
 * in one command with the same load; then the breaker-open case (503 answered fast).
 * Processes: simulators, BFF (dist/main.js, api role), proxy; the load generator runs here.
 */
const ROOT = resolve(__dirname, '../../..');
const BFF_ENTRY = resolve(ROOT, 'dist/main.js');
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const LATENCY_MS = Number(process.env.BENCH_UPSTREAM_LATENCY_MS ?? 20);
/** e.g. BENCH_ONLY="notice list" to profile one scenario */
const ONLY = process.env.BENCH_ONLY;
/** `--quick` (npm run bench -- --quick): shorter warm-ups and breaker run as well. */
const QUICK = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const PERSONAS = ['sato-hanako', 'suzuki-ichiro', 'tanaka-many', 'family-member', 'garcia-maria'];
/** A database of its own per run (created, migrated by the BFF on start, dropped at the end). */
const ADMIN_DATABASE_URL =
  process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const children: ChildProcess[] = [];
const cleanups: (() => Promise<unknown>)[] = [];

interface Caller {
  /** bearer for this target: a BFF session token or a provider access token */
  bearer: string;
  noticeIds: string[];
  /** BFF callers: the device key; every request carries a fresh DPoP proof (API.md "Device binding"). */
  key?: DpopClient;
}

/** The auth headers of one request: DPoP session + proof for the BFF, a bearer for the bare proxy. */
function authHeaders(caller: Caller, baseUrl: string, method: string, path: string): Record<string, string> {
  if (!caller.key) return { authorization: `Bearer ${caller.bearer}` };
  const htu = `${baseUrl}${path.split('?')[0]}`;
  return {
    authorization: `DPoP ${caller.bearer}`,
    dpop: caller.key.proofSync({ htm: method, htu, accessToken: caller.bearer }),
  };
}

interface Run {
  scenario: string;
  target: 'bff' | 'proxy';
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** CPU seconds used during the run by each process (BFF, proxy, simulators, PostgreSQL, load generator) */
  cpuSeconds?: Record<string, number>;
}

function forkChild<T>(entry: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; message: T }> {
  const child = fork(resolve(__dirname, entry), [], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  return new Promise((done, fail) => {
    child.once('message', (message) => done({ child, message: message as T }));
    child.once('exit', (code) => fail(new Error(`${entry} exited with ${code} before it was ready`)));
  });
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

async function admin<T>(sql: string): Promise<T> {
  const client = new Client({ connectionString: ADMIN_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(sql)) as T;
  } finally {
    await client.end();
  }
}

function databaseUrl(name: string): string {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`BFF exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('BFF not ready within 30 s');
}

async function json<T>(res: Response, what: string): Promise<T> {
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function linkThroughBff(
  bff: string,
  persona: string,
  runId: string,
): Promise<{ sessionToken: string; key: DpopClient }> {
  const deviceId = `bench-${persona}-${runId}`;
  const key = await DpopClient.create();
  const headers = async (path: string) => ({
    'content-type': 'application/json',
    ...(await key.headers('POST', `${bff}${path}`)),
  });
  const start = await json<{ authorizationUrl: string }>(
    await fetch(`${bff}/v1/link/start`, {
      method: 'POST',
      headers: await headers('/v1/link/start'),
      body: JSON.stringify({ deviceId, platform: 'ios' }),
    }),
    'link start',
  );
  const login = await driveLogin(start.authorizationUrl, persona);
  const complete = await json<{ sessionToken: string }>(
    await fetch(`${bff}/v1/link/complete`, {
      method: 'POST',
      headers: await headers('/v1/link/complete'),
      body: JSON.stringify({ state: login.state, code: login.code, deviceId }),
    }),
    'link complete',
  );
  return { sessionToken: complete.sessionToken, key };
}

async function load(
  scenario: string,
  target: Run['target'],
  baseUrl: string,
  callers: Caller[],
  path: (caller: Caller, n: number) => string,
  options: { connections?: number; duration?: number } = {},
): Promise<Run> {
  let n = 0;
  const result = await autocannon({
    url: baseUrl,
    connections: options.connections ?? CONNECTIONS,
    duration: options.duration ?? DURATION_S,
    timeout: 10,
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => {
          n += 1;
          const caller = callers[n % callers.length];
          const requestPath = path(caller, Math.floor(n / callers.length));
          return { ...req, path: requestPath, headers: authHeaders(caller, baseUrl, 'GET', requestPath) };
        },
      },
    ],
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat.count;
  return {
    scenario,
    target,
    requestsPerSecond: Math.round(result.requests.average),
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: Math.round(result.latency.mean * 100) / 100,
    },
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
  };
}

const CLOCK_TICKS = 100;

/** CPU seconds (user + system) a process has used, from /proc (Linux). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** PIDs of the local PostgreSQL server processes (they share the machine's two cores). */
function postgresPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

type CpuProbe = () => Record<string, number>;

function cpuProbe(processes: Record<string, () => number[]>): CpuProbe {
  const sample = (): Record<string, number> => {
    const out: Record<string, number> = {
      loadgen: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6,
    };
    for (const [name, pids] of Object.entries(processes))
      out[name] = pids().reduce((sum, pid) => sum + cpuSeconds(pid), 0);
    return out;
  };
  let last = sample();
  return () => {
    const now = sample();
    const used: Record<string, number> = {};
    for (const key of Object.keys(now)) used[key] = Math.round((now[key] - (last[key] ?? 0)) * 100) / 100;
    last = now;
    return used;
  };
}

function peakRssMiB(pid: number | undefined, field: 'VmHWM' | 'VmRSS' = 'VmHWM'): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

function pad(value: string | number, width: number): string {
  return String(value).padStart(width);
}

async function main(): Promise<void> {
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const keys = generateClientKeys(`bench-${runId}`);
  console.log(
    `bench:api — ${CONNECTIONS} connections × ${DURATION_S} s per run, upstream latency ${LATENCY_MS} ms, ` +
      `BFF NODE_OPTIONS "${imageNodeOptions(ROOT)}"`,
  );

  const sims = await forkChild<{ issuer: string; portalUrl: string; clientId: string }>('sim-process.js', {
    ...process.env,
    BENCH_CLIENT_PUBLIC_JWK: JSON.stringify(keys.publicJwk),
    BENCH_UPSTREAM_LATENCY_MS: String(LATENCY_MS),
  });
  const { issuer, portalUrl } = sims.message;
  const proxy = await forkChild<{ url: string }>('proxy-process.js', {
    ...process.env,
    BENCH_UPSTREAM_URL: portalUrl,
  });

  const database = `myna_bench_${runId}`;
  await admin(`CREATE DATABASE "${database}"`);
  cleanups.push(() => admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
  const bffPort = await freePort();
  const bffUrl = `http://127.0.0.1:${bffPort}`;
  const nodeArgs = (process.env.BENCH_BFF_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const bff = spawn(process.execPath, [...nodeArgs, BFF_ENTRY], {
    env: {
      ...process.env,
      NODE_OPTIONS: imageNodeOptions(ROOT),
      NODE_ENV: 'development',
      APP_ROLE: 'api',
      HOST: '127.0.0.1',
      PORT: String(bffPort),
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      DATABASE_URL: databaseUrl(database),
      DATABASE_MIGRATE_ON_START: 'true',
      REDIS_URL,
      REDIS_KEY_PREFIX: `bench:${runId}`,
      PUBLIC_BASE_URL: bffUrl,
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: sims.message.clientId,
      OIDC_CLIENT_PRIVATE_JWK: JSON.stringify(keys.privateJwk),
      OIDC_REDIRECT_URI: DEFAULT_REDIRECT_URI,
      OIDC_ALLOW_INSECURE_HTTP: 'true',
      TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      TOKEN_ENCRYPTION_ACTIVE_KEY_ID: 'k1',
      MYNAPORTAL_BASE_URL: portalUrl,
      LINK_RATE_LIMIT_PER_IP: '1000',
      // a few personas make every request: the per-session/per-IP limits (120/min) would answer 429
      RATE_LIMIT_PER_IP: '100000000',
      RATE_LIMIT_PER_SESSION: '100000000',
      // keep the breaker open through the 503 run once it has opened
      UPSTREAM_BREAKER_RESET_MS: '60000',
    },
    // the access log (one line per request, as in production) is written and thrown away
    stdio: ['ignore', process.env.BENCH_BFF_LOGS ? 'inherit' : 'ignore', 'inherit'],
  });
  children.push(bff);
  await waitReady(bffUrl, bff);
  const readyRssMiB = peakRssMiB(bff.pid, 'VmRSS');

  const rp = await discoverAsRp({ issuer, clientId: sims.message.clientId }, keys);
  const bffCallers: Caller[] = [];
  const proxyCallers: Caller[] = [];
  for (const persona of PERSONAS) {
    const { sessionToken, key } = await linkThroughBff(bffUrl, persona, runId);
    const { tokens } = await linkPersona(rp, persona, DEFAULT_REDIRECT_URI, 'openid');
    const page = await json<{ notices: { noticeId: string }[] }>(
      await fetch(`${portalUrl}/api/v1/notices?limit=20`, {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      }),
      'notice ids',
    );
    const noticeIds = page.notices.map((n) => n.noticeId);
    bffCallers.push({ bearer: sessionToken, noticeIds, key });
    proxyCallers.push({ bearer: tokens.access_token, noticeIds });
  }
  console.log(
    `linked ${PERSONAS.length} personas; BFF ${bffUrl}, proxy ${proxy.message.url}, upstream ${portalUrl}`,
  );

  const listPath = { bff: () => '/v1/notices?limit=20', proxy: () => '/api/v1/notices?limit=20' };
  const detailPath = {
    bff: (c: Caller, n: number) => `/v1/notices/${c.noticeIds[n % c.noticeIds.length]}`,
    proxy: (c: Caller, n: number) => `/api/v1/notices/${c.noticeIds[n % c.noticeIds.length]}`,
  };

  // warm-up (JIT, connection pools, prepared statements); not reported
  const warm = { connections: 10, duration: QUICK ? 1 : 3 };
  await load('warm-up', 'bff', bffUrl, bffCallers, listPath.bff, warm);
  await load('warm-up', 'bff', bffUrl, bffCallers, detailPath.bff, warm);
  await load('warm-up', 'proxy', proxy.message.url, proxyCallers, listPath.proxy, warm);

  const probe = cpuProbe({
    bff: () => [bff.pid!],
    proxy: () => [proxy.child.pid!],
    simulators: () => [sims.child.pid!],
    postgres: postgresPids,
  });
  const measured = async (run: Promise<Run>): Promise<Run> => {
    probe();
    const result = await run;
    return { ...result, cpuSeconds: probe() };
  };
  const runs: Run[] = [];
  for (const [scenario, paths] of [
    ['notice list', listPath],
    ['notice detail', detailPath],
  ] as const) {
    if (ONLY && !ONLY.includes(scenario)) continue;
    runs.push(await measured(load(scenario, 'bff', bffUrl, bffCallers, paths.bff)));
    runs.push(await measured(load(scenario, 'proxy', proxy.message.url, proxyCallers, paths.proxy)));
  }

  // breaker open: the upstream hangs, a burst of calls times out, then every call is answered 503 at
  // once. First let the breaker's rolling window (10 s) forget the successes of the runs above.
  await new Promise((r) => setTimeout(r, 11_000));
  await fetch(`${portalUrl}/__control`, { method: 'PUT', body: JSON.stringify({ down: 'hang' }) });
  await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      fetch(`${bffUrl}/v1/notices`, {
        headers: authHeaders(bffCallers[i % bffCallers.length], bffUrl, 'GET', '/v1/notices'),
      }).then((r) => r.arrayBuffer()),
    ),
  );
  const ready = await json<{ info?: { upstreams?: { breakers?: Record<string, string> } } }>(
    await fetch(`${bffUrl}/health/ready`),
    'readiness',
  );
  const breaker = ready.info?.upstreams?.breakers?.mynaportal ?? 'unknown';
  const open = await measured(
    load('breaker open (503)', 'bff', bffUrl, bffCallers, listPath.bff, { duration: QUICK ? 2 : 5 }),
  );
  await fetch(`${portalUrl}/__control`, { method: 'PUT', body: JSON.stringify({ down: null }) });
  const rssMiB = peakRssMiB(bff.pid);

  printReport(runs, open, breaker, rssMiB, readyRssMiB);
  const resultsDir = resolve(ROOT, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const file = resolve(resultsDir, `api-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        benchmark: 'api',
        at: new Date().toISOString(),
        settings: {
          connections: CONNECTIONS,
          durationSeconds: DURATION_S,
          upstreamLatencyMs: LATENCY_MS,
          personas: PERSONAS.length,
        },
        machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
        runs,
        ratios: ratios(runs),
        breakerOpen: { breakerState: breaker, ...open },
        bffPeakRssMiB: rssMiB,
        bffReadyRssMiB: readyRssMiB,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nwritten ${file}`);
}

function ratios(runs: Run[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const scenario of new Set(runs.map((r) => r.scenario))) {
    const bff = runs.find((r) => r.scenario === scenario && r.target === 'bff');
    const proxy = runs.find((r) => r.scenario === scenario && r.target === 'proxy');
    if (bff && proxy && proxy.requestsPerSecond > 0)
      out[scenario] = Math.round((bff.requestsPerSecond / proxy.requestsPerSecond) * 1000) / 1000;
  }
  return out;
}

function printReport(
  runs: Run[],
  open: Run,
  breaker: string,
  rssMiB: number | null,
  readyRssMiB: number | null,
): void {
  console.log(
    `\n${'scenario'.padEnd(20)}${'target'.padEnd(8)}${pad('req/s', 8)}${pad('p50', 6)}${pad('p90', 6)}${pad('p99', 6)}${pad('max', 7)}${pad('non-2xx', 9)}${pad('errors', 8)}`,
  );
  for (const r of [...runs, open]) {
    console.log(
      `${r.scenario.padEnd(20)}${r.target.padEnd(8)}${pad(r.requestsPerSecond, 8)}${pad(r.latencyMs.p50, 6)}${pad(r.latencyMs.p90, 6)}${pad(r.latencyMs.p99, 6)}${pad(r.latencyMs.max, 7)}${pad(r.non2xx, 9)}${pad(r.errors + r.timeouts, 8)}`,
    );
  }
  const t = TARGETS.api;
  const ok = (b: boolean): string => (b ? 'met' : 'NOT MET');
  console.log(`\nTARGETS.md, API (BFF CPU per request; share of and p99 over the bare proxy in this run):`);
  for (const [scenario, target] of [
    ['notice list', t.noticeList],
    ['notice detail', t.noticeDetail],
  ] as const) {
    const bff = runs.find((r) => r.scenario === scenario && r.target === 'bff');
    const proxy = runs.find((r) => r.scenario === scenario && r.target === 'proxy');
    if (!bff || !proxy) continue;
    const cpu = cpuMsPerRequest(bff, 'bff');
    const share = bff.requestsPerSecond / Math.max(1, proxy.requestsPerSecond);
    const over = bff.latencyMs.p99 - proxy.latencyMs.p99;
    console.log(
      `  ${scenario.padEnd(14)} CPU ${cpu.toFixed(3)} ms (proxy ${cpuMsPerRequest(proxy, 'proxy').toFixed(3)}) ` +
        `≤ ${target.bffCpuMsPerRequest} [${ok(cpu <= target.bffCpuMsPerRequest)}]  ` +
        `${(share * 100).toFixed(0)} % of proxy ≥ ${target.minShareOfProxy * 100} % [${ok(share >= target.minShareOfProxy)}]  ` +
        `p99 ${bff.latencyMs.p99} ms = proxy + ${over} ≤ + ${target.p99OverProxyMs} [${ok(over <= target.p99OverProxyMs)}]`,
    );
  }
  const all503 = open.statusCodes['503'] === open.total || open.non2xx === open.total;
  console.log(
    `  breaker open   state ${breaker}, ${open.total} answers (${all503 ? 'all 503' : JSON.stringify(open.statusCodes)}), ` +
      `p99 ${open.latencyMs.p99} ms ≤ ${t.breakerOpenP99Ms} [${ok(open.latencyMs.p99 <= t.breakerOpenP99Ms)}]`,
  );
  if (readyRssMiB !== null)
    console.log(
      `  RSS ready      ${readyRssMiB} MiB ≤ ${t.readyRssMiB} [${ok(readyRssMiB <= t.readyRssMiB)}]`,
    );
  if (rssMiB !== null)
    console.log(`  RSS peak       ${rssMiB} MiB ≤ ${t.underLoadRssMiB} [${ok(rssMiB <= t.underLoadRssMiB)}]`);
}

/** CPU milliseconds a process used per request answered in a run. */
function cpuMsPerRequest(run: Run, process: string): number {
  return ((run.cpuSeconds?.[process] ?? 0) * 1000) / Math.max(1, run.total);
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.all(
      children.map((child) =>
        child.exitCode === null ? new Promise((r) => child.once('exit', r)) : Promise.resolve(),
      ),
    );
    for (const cleanup of cleanups) await cleanup().catch((error: unknown) => console.error(error));
  });
