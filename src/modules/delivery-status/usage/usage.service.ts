import { Injectable } from '@nestjs/common';
import { type DailyLinkStats, LinkStatsReader } from '../../account-link/index.js';
import { AppLogger } from '../../../common/logging/app-logger.js';
import type { UpstreamUsageDto, UsageDayDto, UsageDto } from '../dto/usage.dto.js';
import { checkDayRange } from './day-range.js';
import { daysBetween, jstDay, previousDay } from './jst-day.js';
import { UsageCounterStore, type DayCounters } from './usage-counter.store.js';

/**
 * A day's link figures are final once it has ended (links and revocations are stamped with the
 * time they happen); this margin covers a transaction that began before midnight and committed after.
 */
const SETTLE_MS = 10 * 60_000;

/** Fields of the day's usage hash that hold its final link figures. */
const LINK_FIELDS = {
  links: 'links:links',
  unlinks: 'links:unlinks',
  linkedPeople: 'links:linkedPeople',
} as const;

/**
 * How the service is used, per JST day: links from account-link, calls from the usage counters.
 * The link figures of days that have ended are kept beside that day's counters once computed, so
 * a year's range groups device links only for the days not seen before (and today).
 */
@Injectable()
export class UsageService {
  private readonly log: AppLogger;

  constructor(
    private readonly links: LinkStatsReader,
    private readonly counters: UsageCounterStore,
    logger: AppLogger,
  ) {
    this.log = logger.forContext('UsageService');
  }

  async usage(from: string, to: string, now = new Date()): Promise<UsageDto> {
    checkDayRange(from, to);
    const days = daysBetween(from, to);
    // with the day before the range: its kept figures can start the running total of linked people
    const counters = await this.counters.read([previousDay(from), ...days]);
    const settled = jstDay(new Date(now.getTime() - SETTLE_MS));
    const linkDays = new Map<string, DailyLinkStats>();
    const missing: string[] = [];
    for (const day of days) {
      const cached = day < settled ? cachedLinks(day, counters.get(day) ?? {}) : null;
      if (cached) linkDays.set(day, cached);
      else missing.push(day);
    }
    if (missing.length > 0) {
      // the day before the first missing one, when its final figures are kept, is the base of the
      // running total: then only the missing days' own links are grouped (not every link ever made)
      const first = missing[0];
      const prior = previousDay(first);
      const priorLinks = prior < settled ? cachedLinks(prior, counters.get(prior) ?? {}) : null;
      const computed = await this.links.daily(first, missing[missing.length - 1], priorLinks?.linkedPeople);
      const wanted = new Set(missing);
      const final = new Map<string, Map<string, number>>();
      for (const d of computed) {
        if (!wanted.has(d.day)) continue;
        linkDays.set(d.day, d);
        if (d.day < settled)
          final.set(
            d.day,
            new Map([
              [LINK_FIELDS.links, d.links],
              [LINK_FIELDS.unlinks, d.unlinks],
              [LINK_FIELDS.linkedPeople, d.linkedPeople],
            ]),
          );
      }
      // a cache: when Redis refuses, the next request computes these days again
      await this.counters
        .add(new Map(), final)
        .catch((error: unknown) =>
          this.log.warn({ reason: (error as Error).message }, 'link figures not cached'),
        );
    }
    return {
      items: days.map((day) => ({
        ...linkDays.get(day)!,
        ...fromCounters(counters.get(day) ?? {}),
      })),
    };
  }
}

function cachedLinks(day: string, counters: DayCounters): DailyLinkStats | null {
  const links = counters[LINK_FIELDS.links];
  const unlinks = counters[LINK_FIELDS.unlinks];
  const linkedPeople = counters[LINK_FIELDS.linkedPeople];
  if (links === undefined || unlinks === undefined || linkedPeople === undefined) return null;
  return { day, links, unlinks, linkedPeople };
}

export function fromCounters(
  counters: DayCounters,
): Pick<UsageDayDto, 'activePushDevices' | 'apiCalls' | 'upstreams'> {
  const apiCalls: Record<string, number> = {};
  const upstreams = new Map<string, UpstreamUsageDto>();
  for (const [field, n] of Object.entries(counters)) {
    const parts = field.split(':');
    if (parts[0] === 'api' && parts.length === 2) apiCalls[parts[1]] = n;
    if (parts[0] === 'upstream' && parts.length === 3) {
      const u = upstreams.get(parts[1]) ?? { upstream: parts[1], calls: 0, errors: 0, errorRate: 0 };
      if (parts[2] === 'calls') u.calls = n;
      if (parts[2] === 'errors') u.errors = n;
      upstreams.set(parts[1], u);
    }
  }
  for (const u of upstreams.values()) u.errorRate = u.calls > 0 ? u.errors / u.calls : 0;
  return {
    activePushDevices: counters.activePushDevices ?? null,
    apiCalls,
    upstreams: [...upstreams.values()].sort((a, b) => a.upstream.localeCompare(b.upstream)),
  };
}
