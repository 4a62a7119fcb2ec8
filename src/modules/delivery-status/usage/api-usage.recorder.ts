import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { AppLogger } from '../../../common/logging/app-logger.js';
import { Metrics } from '../../../metrics/metrics.js';
import { PushDeviceStatsReader } from '../../push/index.js';
import { featureOf, jstDay } from './jst-day.js';
import { UsageCounterStore } from './usage-counter.store.js';

/** How often counted calls are written to Redis (one pipeline per flush, per process). */
export const USAGE_FLUSH_MS = 5_000;
/** How often the number of active push devices is snapshotted into the day's counters. */
const DEVICE_SNAPSHOT_MS = 5 * 60_000;
/** Upstream outcomes that count as errors for the error rate (refusals are answers, not errors). */
const ERROR_OUTCOMES = new Set(['failed', 'timeout', 'open']);

/**
 * Counts API calls per feature and upstream calls/errors per JST day. Counting costs a Map update
 * per request; every few seconds the counts go to Redis as one pipeline of HINCRBYs, so request
 * latency never waits for Redis and a Redis outage loses at most the counts of that interval
 * (logged). Upstream figures are the deltas of upstream_requests_total since the last flush.
 */
@Injectable()
export class ApiUsageRecorder implements OnModuleInit, OnApplicationShutdown {
  private pending = new Map<string, Map<string, number>>();
  private upstreamSeen = new Map<string, number>();
  private lastDeviceSnapshot = 0;
  private timer?: NodeJS.Timeout;
  private readonly log: AppLogger;

  constructor(
    private readonly host: HttpAdapterHost,
    private readonly store: UsageCounterStore,
    private readonly metrics: Metrics,
    private readonly pushDevices: PushDeviceStatsReader,
    logger: AppLogger,
  ) {
    this.log = logger.forContext('ApiUsageRecorder');
  }

  onModuleInit(): void {
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onResponse', (request, _reply, done) => {
      const feature = featureOf(request.routeOptions.url ?? '');
      if (feature) this.count(jstDay(new Date()), `api:${feature}`, 1);
      done();
    });
    this.timer = setInterval(() => void this.flush(), USAGE_FLUSH_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  /** Writes what was counted since the last flush (also called by tests). */
  async flush(): Promise<void> {
    const day = jstDay(new Date());
    const snapshots = new Map<string, Map<string, number>>();
    try {
      await this.collectUpstreams(day);
      if (Date.now() - this.lastDeviceSnapshot >= DEVICE_SNAPSHOT_MS) {
        snapshots.set(
          day,
          new Map<string, number>([['activePushDevices', await this.pushDevices.activeDevices()]]),
        );
        this.lastDeviceSnapshot = Date.now();
      }
    } catch (error) {
      this.log.warn({ reason: (error as Error).message }, 'usage snapshot unavailable');
    }
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.store.add(batch, snapshots);
    } catch (error) {
      const lost = [...batch.values()].reduce((n, m) => n + [...m.values()].reduce((a, b) => a + b, 0), 0);
      this.log.warn({ reason: (error as Error).message, lost }, 'usage counters not written');
    }
  }

  /** Forces the next flush to snapshot the active push devices (tests). */
  snapshotDevicesOnNextFlush(): void {
    this.lastDeviceSnapshot = 0;
  }

  private count(day: string, field: string, n: number): void {
    if (n === 0) return;
    let fields = this.pending.get(day);
    if (!fields) {
      fields = new Map<string, number>();
      this.pending.set(day, fields);
    }
    fields.set(field, (fields.get(field) ?? 0) + n);
  }

  private async collectUpstreams(day: string): Promise<void> {
    const { values } = await this.metrics.upstreamRequests.get();
    const totals = new Map<string, number>();
    for (const { labels, value } of values) {
      const upstream = String(labels.upstream);
      const kind = ERROR_OUTCOMES.has(String(labels.outcome)) ? 'errors' : 'ok';
      totals.set(`${upstream}:${kind}`, (totals.get(`${upstream}:${kind}`) ?? 0) + value);
    }
    for (const [key, total] of totals) {
      const delta = total - (this.upstreamSeen.get(key) ?? 0);
      this.upstreamSeen.set(key, total);
      const [upstream, kind] = key.split(':');
      this.count(day, `upstream:${upstream}:calls`, delta);
      if (kind === 'errors') this.count(day, `upstream:${upstream}:errors`, delta);
    }
  }
}
