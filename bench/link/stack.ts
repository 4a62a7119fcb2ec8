import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { DpopClient } from '../../test/support/dpop-client.js';
import type { ClientKeys } from '../../test/simulators/oidc/client-keys.js';
import { imageNodeOptions } from '../lib/image-node-options.js';
import { driveLogin } from '../../test/simulators/oidc/drive-login.js';
import { DEFAULT_REDIRECT_URI } from '../../test/simulators/oidc/oidc-simulator.js';

/**
 * Shared plumbing of `npm run bench:link` and `npm run drill:restore`: databases on the local
 * PostgreSQL, the BFF as a child process (dist/main.js under the same Node 24), the OIDC simulator
 * in a process of its own, and the link flow through the BFF's API.
 */
export const ROOT = resolve(__dirname, '../../..');
export const BFF_ENTRY = resolve(ROOT, 'dist/main.js');
export const MIGRATE_ENTRY = resolve(ROOT, 'dist/database/migrate.js');
export const ADMIN_DATABASE_URL =
  process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const children = new Set<ChildProcess>();

/** Ends every child this process started (simulator, BFF). */
export async function stopChildren(): Promise<void> {
  await Promise.all([...children].map((child) => stopChild(child)));
}

export function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  children.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}

export function freePort(): Promise<number> {
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

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs queries on one database (the admin database by default) and closes the connection. */
export async function withDatabase<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

export async function recreateDatabase(name: string): Promise<void> {
  await dropDatabase(name);
  await withDatabase(ADMIN_DATABASE_URL, (c) => c.query(`CREATE DATABASE "${name}"`));
}

export async function dropDatabase(name: string): Promise<void> {
  await withDatabase(ADMIN_DATABASE_URL, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

export interface BffSettings {
  issuer: string;
  clientId: string;
  keys: ClientKeys;
  database: string;
  redisPrefix: string;
  /** `kid:base64` list, as TOKEN_ENCRYPTION_KEYS */
  encryptionKeys: string;
  mynaportalUrl?: string;
  extra?: NodeJS.ProcessEnv;
}

export function newEncryptionKeys(): string {
  return `k1:${randomBytes(32).toString('base64')}`;
}

/** The environment of a BFF process (api role) against the simulators on this machine. */
export function bffEnv(s: BffSettings, port: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_OPTIONS: imageNodeOptions(ROOT),
    // OIDC_ALLOW_INSECURE_HTTP (the simulator is plain http) is refused in production
    NODE_ENV: 'development',
    APP_ROLE: 'api',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    DATABASE_URL: databaseUrl(s.database),
    DATABASE_MIGRATE_ON_START: 'false',
    REDIS_URL,
    REDIS_KEY_PREFIX: s.redisPrefix,
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    OIDC_ISSUER: s.issuer,
    OIDC_CLIENT_ID: s.clientId,
    OIDC_CLIENT_PRIVATE_JWK: JSON.stringify(s.keys.privateJwk),
    OIDC_REDIRECT_URI: DEFAULT_REDIRECT_URI,
    OIDC_ALLOW_INSECURE_HTTP: 'true',
    TOKEN_ENCRYPTION_KEYS: s.encryptionKeys,
    TOKEN_ENCRYPTION_ACTIVE_KEY_ID: s.encryptionKeys.split(':')[0],
    // no Mynaportal calls unless the caller gives a simulator; the URL must still be valid
    MYNAPORTAL_BASE_URL: s.mynaportalUrl ?? 'http://127.0.0.1:9',
    // every simulated client comes from 127.0.0.1: the shared per-IP/per-session limits would measure themselves
    RATE_LIMIT_PER_IP: '100000000',
    RATE_LIMIT_PER_SESSION: '100000000',
    ...s.extra,
  };
}

/** `npm run migrate` (dist/database/migrate.js) against the database of these settings. */
export function migrate(s: BffSettings): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [MIGRATE_ENTRY], {
      env: bffEnv(s, 9),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) =>
      code === 0 ? done(out.trim()) : fail(new Error(`migrate exited with ${code}: ${out}`)),
    );
  });
}

export interface Bff {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts dist/main.js (api role) and waits for /health/ready. */
export async function startBff(
  s: BffSettings,
  options: { nodeArgs?: string[]; logs?: boolean } = {},
): Promise<Bff> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BFF_ENTRY], {
    env: bffEnv(s, port),
    cwd: ROOT,
    stdio: ['ignore', options.logs ? 'inherit' : 'ignore', 'inherit'],
  });
  children.add(child);
  // a BFF that dies during a benchmark says how (its log lines may be dropped: `logs`)
  child.once('exit', (code, signal) => {
    if (children.has(child))
      console.error(`BFF pid ${child.pid} exited during the run: code ${code}, signal ${signal}`);
  });
  const started = Date.now();
  while (Date.now() - started < 30_000) {
    if (child.exitCode !== null) throw new Error(`BFF exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return { url, child, stop: () => stopChild(child) };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stopChild(child);
  throw new Error('BFF not ready within 30 s');
}

export interface OidcProcess {
  issuer: string;
  clientId: string;
  child: ChildProcess;
}

/** The OIDC simulator in its own process (bench/link/oidc-process.ts), with generated personas. */
export function forkOidcSimulator(
  keys: ClientKeys,
  options: { authorizationCodeTtl?: number; nodeArgs?: string[] } = {},
): Promise<OidcProcess> {
  const child = fork(resolve(__dirname, 'oidc-process.js'), [], {
    env: {
      ...process.env,
      BENCH_CLIENT_PUBLIC_JWK: JSON.stringify(keys.publicJwk),
      BENCH_CODE_TTL: String(options.authorizationCodeTtl ?? 600),
    },
    execArgv: options.nodeArgs ?? [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  return new Promise((done, fail) => {
    child.once('message', (m) => done({ ...(m as { issuer: string; clientId: string }), child }));
    child.once('exit', (code) => fail(new Error(`OIDC simulator exited with ${code} before it was ready`)));
  });
}

export async function json<T>(res: Response, what: string): Promise<T> {
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export interface PreparedLink {
  deviceId: string;
  /** the device's DPoP key: link start and link complete are signed by it */
  key: DpopClient;
  state: string;
  code: string;
  persona: string;
}

/** POST /v1/link/start, then the browser part at the provider: a code ready for /v1/link/complete. */
export async function prepareLink(bffUrl: string, persona: string, deviceId: string): Promise<PreparedLink> {
  const key = await DpopClient.create();
  const url = `${bffUrl}/v1/link/start`;
  const start = await json<{ authorizationUrl: string }>(
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await key.headers('POST', url)) },
      body: JSON.stringify({ deviceId, platform: deviceId.length % 2 ? 'ios' : 'android' }),
    }),
    'link start',
  );
  const login = await driveLogin(start.authorizationUrl, persona);
  return { deviceId, key, state: login.state, code: login.code, persona };
}

export interface LinkCompleted {
  sessionToken: string;
  sessionExpiresAt: string;
  userId: string;
}

export async function completeLink(
  bffUrl: string,
  link: PreparedLink,
  pushToken?: string,
  signal?: AbortSignal,
): Promise<Response> {
  const url = `${bffUrl}/v1/link/complete`;
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await link.key.headers('POST', url)) },
    body: JSON.stringify({ state: link.state, code: link.code, deviceId: link.deviceId, pushToken }),
    signal,
  });
}

/** Runs `task` over `items` with at most `concurrency` in flight; results in item order. */
export async function pool<I, R>(
  items: I[],
  concurrency: number,
  task: (item: I, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

const CLOCK_TICKS = 100;

/** CPU seconds (user + system) a process has used, from /proc (Linux). */
export function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** PIDs of the local PostgreSQL server processes (they share the machine's cores). */
export function postgresPids(): number[] {
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

/** CPU seconds the whole machine has been busy (all cores, /proc/stat): in processes, and in interrupts. */
function machineBusySeconds(): { processes: number; interrupts: number } {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  return {
    processes: (user + nice + system + steal) / CLOCK_TICKS,
    interrupts: (irq + softirq) / CLOCK_TICKS,
  };
}

/**
 * Returns a function that gives the CPU seconds used by each named process group (and `loadgen`,
 * this process) since the last call, plus `interrupts` (soft interrupts: mostly loopback TCP between
 * these processes, charged to no process) and `others`: the rest of the machine (other engineers'
 * builds and tests on a shared box), so that the figures say when the run was disturbed.
 */
export function cpuProbe(groups: Record<string, () => number[]>): () => Record<string, number> {
  const sample = (): Record<string, number> => {
    const own = process.cpuUsage();
    const out: Record<string, number> = { loadgen: (own.user + own.system) / 1e6 };
    for (const [name, pids] of Object.entries(groups))
      out[name] = pids().reduce((sum, pid) => sum + cpuSeconds(pid), 0);
    const machine = machineBusySeconds();
    out.machine = machine.processes;
    out.interrupts = machine.interrupts;
    return out;
  };
  let last = sample();
  return () => {
    const now = sample();
    const used: Record<string, number> = {};
    for (const key of Object.keys(now)) used[key] = now[key] - (last[key] ?? 0);
    last = now;
    const ours = Object.entries(used)
      .filter(([k]) => k !== 'machine' && k !== 'interrupts')
      .reduce((sum, [, v]) => sum + v, 0);
    used.others = Math.max(0, used.machine - ours);
    delete used.machine;
    for (const key of Object.keys(used)) used[key] = Math.round(used[key] * 100) / 100;
    return used;
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, index)] * 10) / 10;
}
