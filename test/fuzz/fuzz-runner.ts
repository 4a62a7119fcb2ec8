import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { routeLabel, type Operation } from './openapi-operations';
import { requestArbitrary, type FuzzRequest } from './request-arbitrary';
import type { Credentials } from './credentials';
import { queryString, send, type RawResponse } from './http-client';
import { brokenRule, knownGap, KNOWN_GAPS, type KnownGap } from './response-rules';

export interface FuzzFailure {
  route: string;
  kind: string;
  rule: string;
  request: string;
  status: number;
  body: string;
}

export interface RouteReport {
  route: string;
  cases: number;
  statuses: Record<string, number>;
  /** answers that broke a rule and are not a known gap (all counted, the first `maxFailuresKept` kept) */
  failureCount: number;
  failures: FuzzFailure[];
  /** answers that broke a rule in a way listed in KNOWN_GAPS (another branch fixes them) */
  known: Record<string, number>;
}

export interface FuzzOptions {
  baseUrl: string;
  operations: Operation[];
  credentials: Credentials;
  casesPerRoute: number;
  seed: number;
  /** parallel requests per route */
  concurrency?: number;
  knownGaps?: readonly KnownGap[];
  /** kept per route (the first ones), so a long run stays small in memory */
  maxFailuresKept?: number;
  onRoute?: (report: RouteReport) => void;
}

/** A stable per-route seed: reordering or adding routes does not change another route's cases. */
function routeSeed(seed: number, route: string, batch: number): number {
  return (seed ^ createHash('sha256').update(`${route}#${batch}`).digest().readInt32BE(0)) | 0;
}

function describeRequest(request: FuzzRequest, target: string): string {
  const body = request.body === undefined ? '' : ` ${String(request.body).slice(0, 160)}`;
  const headers = Object.entries(request.headers)
    .map(([k, v]) => `${k}: ${v.slice(0, 60)}`)
    .join('; ');
  return `${request.method} ${target.slice(0, 200)} [${request.kind}] {${headers}}${body}`;
}

/**
 * Sends `casesPerRoute` generated requests to every operation (fast-check samples with a fixed
 * seed, so a run is reproducible) and checks every answer against the response rules.
 */
export async function fuzzOperations(options: FuzzOptions): Promise<RouteReport[]> {
  const reports: RouteReport[] = [];
  const gaps = options.knownGaps ?? KNOWN_GAPS;
  const keep = options.maxFailuresKept ?? 50;
  for (const operation of options.operations) {
    const route = routeLabel(operation);
    const report: RouteReport = { route, cases: 0, statuses: {}, failureCount: 0, failures: [], known: {} };
    const arbitrary = requestArbitrary(operation);
    const batchSize = 250;
    for (let batch = 0; report.cases < options.casesPerRoute; batch += 1) {
      const numRuns = Math.min(batchSize, options.casesPerRoute - report.cases);
      const requests = fc.sample(arbitrary, { seed: routeSeed(options.seed, route, batch), numRuns });
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < requests.length) {
          const index = next++;
          await runOne(operation, requests[index], batch * batchSize + index);
        }
      };
      const runOne = async (op: Operation, request: FuzzRequest, pick: number): Promise<void> => {
        const target = request.path + queryString(request.query);
        const auth = await options.credentials.headersFor(op, request.auth, pick, {
          method: request.method,
          target,
          body: request.body,
        });
        let response: RawResponse;
        try {
          response = await send(options.baseUrl, {
            method: request.method,
            target,
            headers: { accept: 'application/json', ...auth, ...request.headers },
            body: request.body,
          });
        } catch (error) {
          response = { status: 0, headers: {}, body: String((error as Error).message) };
        }
        options.credentials.observe(op, request.auth, response);
        report.cases += 1;
        report.statuses[response.status] = (report.statuses[response.status] ?? 0) + 1;
        const rule = response.status === 0 ? `no answer (${response.body})` : brokenRule(op, response);
        if (!rule) return;
        const gap = knownGap(op, request, response, rule, gaps);
        if (gap) {
          report.known[gap.id] = (report.known[gap.id] ?? 0) + 1;
          return;
        }
        report.failureCount += 1;
        if (report.failures.length < keep) {
          report.failures.push({
            route,
            kind: request.kind,
            rule,
            request: describeRequest(request, target),
            status: response.status,
            body: response.body.slice(0, 300),
          });
        }
      };
      await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
    }
    reports.push(report);
    options.onRoute?.(report);
  }
  return reports;
}

/** One line per route: cases, statuses, failures, known gaps. */
export function summarize(reports: RouteReport[]): string {
  return reports
    .map((r) => {
      const statuses = Object.entries(r.statuses)
        .map(([s, n]) => `${s}×${n}`)
        .join(' ');
      const known = Object.entries(r.known)
        .map(([id, n]) => `${id}×${n}`)
        .join(' ');
      return `${r.route}: ${r.cases} cases [${statuses}] failures=${r.failureCount}${known ? ` known(${known})` : ''}`;
    })
    .join('\n');
}
