import { Injectable } from '@nestjs/common';
import { LinkStatsReader } from '../../account-link/index.js';
import type { UpstreamUsageDto, UsageDayDto, UsageDto } from '../dto/usage.dto.js';
import { checkDayRange } from './day-range.js';
import { daysBetween } from './jst-day.js';
import { UsageCounterStore, type DayCounters } from './usage-counter.store.js';

/** How the service is used, per JST day: links from account-link, calls from the usage counters. */
@Injectable()
export class UsageService {
  constructor(
    private readonly links: LinkStatsReader,
    private readonly counters: UsageCounterStore,
  ) {}

  async usage(from: string, to: string): Promise<UsageDto> {
    checkDayRange(from, to);
    const [linkDays, counters] = await Promise.all([
      this.links.daily(from, to),
      this.counters.read(daysBetween(from, to)),
    ]);
    return { items: linkDays.map((d) => ({ ...d, ...fromCounters(counters.get(d.day) ?? {}) })) };
  }
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
