import { Injectable } from '@nestjs/common';
import { DomainException } from '../../../common/errors/domain.exception.js';
import { ErrorCode } from '../../../common/errors/error-code.js';
import { CampaignRepository, type DailyStatsRow } from './campaign.repository.js';
import { toCampaignView, type CampaignView } from './campaign.types.js';

export interface CampaignPage {
  items: CampaignView[];
  nextCursor: string | null;
}

export interface MonthlyStatsItem {
  month: string;
  category: string;
  notifications: number;
  targeted: number;
  sent: number;
  opened: number;
  openRate: number;
}

/**
 * The operator side's view of campaigns (exported for the admin module): the API.md Campaign
 * shape, keyset listing newest first, cancellation, daily and monthly counters.
 */
@Injectable()
export class CampaignQueryService {
  constructor(private readonly campaigns: CampaignRepository) {}

  /** NOT_FOUND when unknown. */
  async get(id: string): Promise<CampaignView> {
    const row = UUID.test(id) ? await this.campaigns.get(id) : null;
    if (!row) throw new DomainException(ErrorCode.NOT_FOUND);
    return toCampaignView(row);
  }

  async list(limit: number, cursor?: string): Promise<CampaignPage> {
    const after = cursor ? decodeCursor(cursor) : null;
    const rows = await this.campaigns.list(limit + 1, after);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toCampaignView),
      nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null,
    };
  }

  /** Stops a scheduled or running campaign; 409 CAMPAIGN_ENDED when it had already ended, 404 when unknown. */
  async cancel(id: string): Promise<CampaignView> {
    const result = UUID.test(id) ? await this.campaigns.requestCancel(id) : null;
    if (!result) throw new DomainException(ErrorCode.NOT_FOUND);
    if (result.ended) throw new DomainException(ErrorCode.CAMPAIGN_ENDED);
    return toCampaignView(result.row);
  }

  /** Per day and category, `from`/`to` YYYY-MM-DD inclusive. */
  daily(from: string, to: string): Promise<DailyStatsRow[]> {
    return this.campaigns.daily(from, to);
  }

  /** Per month and category, `from`/`to` YYYY-MM inclusive (the requirements' 件数/開封件数/開封率 table). */
  async monthly(from: string, to: string): Promise<MonthlyStatsItem[]> {
    const rows = await this.campaigns.monthly(from, to);
    return rows.map((r) => ({
      month: r.day,
      category: r.category,
      notifications: r.notifications,
      targeted: r.targeted,
      sent: r.sent,
      opened: r.opened,
      openRate: r.sent === 0 ? 0 : r.opened / r.sent,
    }));
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || !UUID.test(id) || Number.isNaN(createdAt.getTime()))
    throw new DomainException(ErrorCode.VALIDATION_FAILED, {
      fieldErrors: [{ field: 'cursor', rule: 'invalid' }],
    });
  return { createdAt, id };
}
