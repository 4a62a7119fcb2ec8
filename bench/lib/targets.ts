/**
 * The rows of /work/shared/design/TARGETS.md the benchmarks measure, in one place: `npm run bench`
 * (bench/run.ts) marks every row of its table met / not met against these figures.
 * Keep them equal to TARGETS.md; a benchmark's own console summary may repeat them, this file rules.
 */
export const TARGETS = {
  api: {
    noticeList: { bffCpuMsPerRequest: 0.4, minShareOfProxy: 0.85, p99OverProxyMs: 15 },
    noticeDetail: { bffCpuMsPerRequest: 0.35, minShareOfProxy: 0.9, p99OverProxyMs: 15 },
    /** upstream down or breaker open: answered 503 within this p99 */
    breakerOpenP99Ms: 50,
    readyRssMiB: 150,
    underLoadRssMiB: 256,
  },
  link: { minCompletionsPerSecond: 450, bffCpuMsPerCompletion: 1.2 },
  coldStart: { maxMs: 2000 },
  /** the requirement's own profile: 134 req/s each of link complete, notice list, notice detail */
  profile: { ratePerEndpoint: 134, shareWithin1s: 1, maxMs: 3000, errors: 0 },
  push: {
    broadcastDevices: 1_000_000,
    broadcastMaxSeconds: 300,
    broadcastMinMessagesPerSecond: 3300,
    workerRssMiB: 512,
    webhookAckP99Ms: 50,
  },
  /** statistics queries over a year of data; RSS growth of the API while exporting 1,000,000 device rows */
  admin: { statisticsP99Ms: 200, exportRssGrowthMiB: 50 },
} as const;

/** One check of a row against a target: what was asked, what was measured, and whether it held. */
export interface Check {
  target: string;
  actual: string;
  met: boolean;
}

export function check(
  target: string,
  actual: number | null | undefined,
  met: (v: number) => boolean,
  unit = '',
): Check {
  if (actual === null || actual === undefined || Number.isNaN(actual))
    return { target, actual: 'not measured', met: false };
  return { target, actual: `${round(actual)}${unit}`, met: met(actual) };
}

export function round(n: number): number {
  if (Math.abs(n) >= 100) return Math.round(n);
  if (Math.abs(n) >= 1) return Math.round(n * 10) / 10;
  return Math.round(n * 1000) / 1000;
}
