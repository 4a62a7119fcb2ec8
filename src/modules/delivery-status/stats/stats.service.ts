import { Injectable } from '@nestjs/common';
import { DomainException } from '../../../common/errors/domain.exception.js';
import { ErrorCode } from '../../../common/errors/error-code.js';
import { CampaignQueryService, type DailyStatsRow } from '../../push/index.js';
import type { DailyStatsDto, DailyStatsItemDto, MonthlyStatsDto } from '../dto/stats.dto.js';
import { checkDayRange } from '../usage/day-range.js';
import { daysBetween } from '../usage/jst-day.js';

const MAX_MONTHS = 24;

/** Daily and monthly delivery figures, read from push's per-day counters (never from events). */
@Injectable()
export class StatsService {
  constructor(private readonly campaigns: CampaignQueryService) {}

  async daily(from: string, to: string): Promise<DailyStatsDto> {
    checkDayRange(from, to);
    return { items: sumPerDay(daysBetween(from, to), await this.campaigns.daily(from, to)) };
  }

  async monthly(from: string, to: string): Promise<MonthlyStatsDto> {
    const months = monthIndex(to) - monthIndex(from) + 1;
    if (months < 1 || months > MAX_MONTHS) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, {
        fieldErrors: [{ field: 'to', rule: 'pattern' }],
      });
    }
    return { items: await this.campaigns.monthly(from, to) };
  }
}

function monthIndex(month: string): number {
  const [y, m] = month.split('-').map(Number);
  return y * 12 + m;
}

/** One row per day of the range (days without sends are zeros), categories added up. */
export function sumPerDay(days: string[], rows: DailyStatsRow[]): DailyStatsItemDto[] {
  const byDay = new Map<string, DailyStatsItemDto>(
    days.map((day) => [
      day,
      {
        day,
        notifications: 0,
        targeted: 0,
        sent: 0,
        failed: 0,
        invalidTokens: 0,
        received: 0,
        opened: 0,
        openRate: 0,
      },
    ]),
  );
  for (const r of rows) {
    const d = byDay.get(r.day);
    if (!d) continue;
    d.notifications += r.notifications;
    d.targeted += r.targeted;
    d.sent += r.sent;
    d.failed += r.failed;
    d.invalidTokens += r.invalidTokens;
    d.received += r.received;
    d.opened += r.opened;
  }
  const items = [...byDay.values()];
  for (const d of items) d.openRate = d.sent === 0 ? 0 : d.opened / d.sent;
  return items;
}
