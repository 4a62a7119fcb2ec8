import { spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { renderReport } from './lib/report-html.js';
import { findTimeSeries, rowsFor, type SummaryRow, type TimePoint } from './lib/summary.js';

/**
 * `npm run bench` (TARGETS.md): every benchmark in sequence, each as a child process — bench:api,
 * bench:link, bench:push and bench:admin (when built), the requirement's profile, cold start — then
 * one table of every figure against TARGETS.md (bench/lib/targets.ts), bench/results/summary.json
 * and bench/results/report.html (self-contained charts).
 *
 * `npm run bench -- --quick` gives every benchmark short durations (under two minutes in all); its
 * figures are indicative only. `--only=api,link` runs a subset. BENCH_CHILD_TIMEOUT_S (default 900,
 * 240 with --quick) ends a benchmark that hangs.
 */
const ROOT = resolve(__dirname, '../..');
const DIST = resolve(ROOT, 'dist-sim/bench');
const RESULTS = resolve(ROOT, 'bench/results');
const args = process.argv.slice(2);
const QUICK = args.includes('--quick') || process.env.BENCH_QUICK === '1';
const ONLY = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const TIMEOUT_S = Number(process.env.BENCH_CHILD_TIMEOUT_S ?? (QUICK ? 240 : 900));

interface Benchmark {
  name: string;
  command: string[];
  /** built file that must exist, else the row says "not present" */
  requires: string;
  /** short settings for --quick, through the variables each benchmark already reads */
  quickEnv: NodeJS.ProcessEnv;
}

const node = (script: string): string[] => [process.execPath, resolve(DIST, script)];

const BENCHMARKS: Benchmark[] = [
  {
    name: 'api',
    command: node('api/run.js'),
    requires: resolve(DIST, 'api/run.js'),
    quickEnv: { BENCH_DURATION: '2' },
  },
  {
    name: 'link',
    command: node('link/run.js'),
    requires: resolve(DIST, 'link/run.js'),
    quickEnv: { BENCH_LINK_N: '200', BENCH_LINK_WARMUP: '30' },
  },
  {
    name: 'push',
    command: node('push/run.js'),
    requires: resolve(DIST, 'push/run.js'),
    quickEnv: { BENCH_PUSH_DEVICES: '20000', BENCH_PUSH_ACK_CALLS: '30' },
  },
  {
    name: 'admin',
    command: node('admin/run.js'),
    requires: resolve(DIST, 'admin/run.js'),
    quickEnv: {},
  },
  {
    name: 'profile',
    command: node('profile/run.js'),
    requires: resolve(DIST, 'profile/run.js'),
    quickEnv: { BENCH_PROFILE_DURATION: '8' },
  },
  {
    name: 'cold-start',
    command: ['bash', resolve(ROOT, 'bench/cold-start.sh')],
    requires: resolve(ROOT, 'bench/cold-start.sh'),
    quickEnv: { BENCH_RUNS: '2' },
  },
];

function run(b: Benchmark): Promise<number> {
  return new Promise((done) => {
    const [cmd, ...rest] = b.command;
    const child = spawn(cmd, QUICK ? [...rest, '--quick'] : rest, {
      cwd: ROOT,
      env: { ...process.env, ...(QUICK ? { BENCH_QUICK: '1', ...b.quickEnv } : {}) },
      stdio: 'inherit',
    });
    const timer = setTimeout(() => {
      console.error(`bench ${b.name}: no end after ${TIMEOUT_S} s, ending it`);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    }, TIMEOUT_S * 1000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      done(code ?? (signal ? 1 : 0));
    });
    child.once('error', () => {
      clearTimeout(timer);
      done(1);
    });
  });
}

/**
 * The result a benchmark wrote during this run: bench/results/<name>.json, or its newest
 * timestamped bench/results/<name>-<time>.json (then copied to <name>.json).
 */
function resultOf(name: string, since: number): Record<string, unknown> | undefined {
  const plain = resolve(RESULTS, `${name}.json`);
  const candidates = readdirSync(RESULTS)
    .filter((f) => f.startsWith(`${name}-`) && f.endsWith('.json') && /^\d/.test(f.slice(name.length + 1)))
    .map((f) => resolve(RESULTS, f))
    .concat(existsSync(plain) ? [plain] : [])
    .map((path) => ({ path, mtime: statSync(path).mtimeMs }))
    .filter((c) => c.mtime >= since - 1000)
    .sort((a, b) => b.mtime - a.mtime);
  if (!candidates.length) return undefined;
  if (candidates[0].path !== plain) copyFileSync(candidates[0].path, plain);
  return JSON.parse(readFileSync(plain, 'utf8')) as Record<string, unknown>;
}

const pad = (v: string | number | undefined, w: number): string => String(v ?? '').padStart(w);

function printTable(rows: SummaryRow[]): void {
  const header = `${'scenario'.padEnd(38)}${pad('throughput', 18)}${pad('p50', 8)}${pad('p90', 8)}${pad('p99', 8)}${pad('max', 8)}${pad('err', 6)}${pad('RSS', 6)}${pad('vs peer', 9)}  ${'result'.padEnd(8)} CPU ms/request · checks`;
  console.log(`\n${header}\n${'─'.repeat(header.length + 20)}`);
  for (const r of rows) {
    const name = `${r.benchmark}: ${r.scenario}`.slice(0, 37).padEnd(38);
    const result = r.status !== 'ok' ? r.status : r.met === null ? '' : r.met ? 'met' : 'NOT MET';
    const cpu = r.cpuMsPerRequest
      ? Object.entries(r.cpuMsPerRequest)
          .filter(([k]) => k !== 'others' && k !== 'interrupts')
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')
      : '';
    const checks = r.checks.map((c) => `${c.met ? '✓' : '✗'} ${c.target} (${c.actual})`).join('; ');
    console.log(
      `${name}${pad(r.throughput === undefined ? '' : `${r.throughput} ${r.throughputUnit ?? ''}`, 18)}${pad(r.latencyMs?.p50, 8)}${pad(r.latencyMs?.p90, 8)}${pad(r.latencyMs?.p99, 8)}${pad(r.latencyMs?.max, 8)}${pad(r.errors, 6)}${pad(r.peakRssMiB, 6)}${pad(r.ratioToPeer === undefined ? '' : `${Math.round(r.ratioToPeer * 100)} %`, 9)}  ${result.padEnd(8)} ${[cpu, checks, r.note].filter(Boolean).join(' · ')}`,
    );
  }
}

async function main(): Promise<void> {
  mkdirSync(RESULTS, { recursive: true });
  const started = Date.now();
  const rows: SummaryRow[] = [];
  const durations: Record<string, number> = {};
  let pushSeries: TimePoint[] | undefined;
  for (const b of BENCHMARKS) {
    if (ONLY && !ONLY.includes(b.name)) continue;
    if (!existsSync(b.requires)) {
      console.log(`\n=== bench ${b.name}: not present (${b.requires} not built) ===`);
      rows.push({ benchmark: b.name, scenario: b.name, status: 'not present', checks: [], met: null });
      continue;
    }
    console.log(`\n=== bench ${b.name}${QUICK ? ' (quick)' : ''} ===`);
    const since = Date.now();
    const code = await run(b);
    durations[b.name] = Math.round((Date.now() - since) / 100) / 10;
    const result = resultOf(b.name, since);
    if (code !== 0 || !result) {
      rows.push({
        benchmark: b.name,
        scenario: b.name,
        status: 'failed',
        checks: [],
        met: false,
        note: code !== 0 ? `exited with ${code}` : 'wrote no result',
      });
      continue;
    }
    const produced = rowsFor(b.name, result);
    rows.push(
      ...(produced.length
        ? produced
        : [
            {
              benchmark: b.name,
              scenario: b.name,
              status: 'failed' as const,
              checks: [],
              met: false,
              note: 'no figures in the result',
            },
          ]),
    );
    if (b.name === 'push') pushSeries = findTimeSeries(result);
  }

  printTable(rows);
  const withTargets = rows.filter((r) => r.met !== null);
  const met = withTargets.filter((r) => r.met).length;
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(
    `\n${met} of ${withTargets.length} rows with a target met${QUICK ? ' (quick run: indicative only)' : ''}; ${seconds} s in all (${Object.entries(
      durations,
    )
      .map(([k, v]) => `${k} ${v} s`)
      .join(', ')})`,
  );
  const at = new Date().toISOString();
  const machine = `${cpus().length} cores, Node ${process.version}`;
  writeFileSync(
    resolve(RESULTS, 'summary.json'),
    `${JSON.stringify({ at, quick: QUICK, machine, seconds, durations, rows }, null, 2)}\n`,
  );
  writeFileSync(
    resolve(RESULTS, 'report.html'),
    renderReport({ at, quick: QUICK, rows, pushSeries, machine }),
  );
  console.log(`written ${resolve(RESULTS, 'summary.json')} and ${resolve(RESULTS, 'report.html')}`);
  // a failed benchmark fails the command; targets not met do not (benchmarks are not tests)
  if (rows.some((r) => r.status === 'failed')) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
