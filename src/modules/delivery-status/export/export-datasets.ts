import type { CsvColumn } from '../../../common/csv/csv-stream.js';
import type { DeviceExportRow } from '../../account-link/index.js';
import type { CampaignView, PushEventExportRow } from '../../push/index.js';
import type { DailyStatsItemDto } from '../dto/stats.dto.js';

/** The datasets of GET /admin/v1/export/{dataset}.csv available in this build (docs/data-export.md). */
export const EXPORT_DATASETS = ['devices', 'campaigns', 'daily-stats', 'events'] as const;
export type ExportDataset = (typeof EXPORT_DATASETS)[number];

/** A device link with its push registration's flags (from the push module's reader). */
export type DeviceExportCsvRow = DeviceExportRow & { pushRegistered: boolean; pushEnabled: boolean };

/** Columns of the devices export: identifiers and state only, never a token or a token hash. */
export const DEVICE_COLUMNS: CsvColumn<DeviceExportCsvRow>[] = [
  { key: 'id', header: 'deviceLinkId' },
  { key: 'person_id', header: 'userId' },
  { key: 'platform', header: 'platform' },
  { key: 'locale', header: 'locale' },
  { key: 'pushRegistered', header: 'pushRegistered' },
  { key: 'pushEnabled', header: 'pushEnabled' },
  { key: 'linked_at', header: 'linkedAt' },
  { key: 'revoked_at', header: 'revokedAt' },
  { key: 'revoked_reason', header: 'revokedReason' },
];

/** A campaign with its times as Dates (written in JST like every export time). */
export type CampaignExportRow = Omit<CampaignView, 'createdAt' | 'startedAt' | 'completedAt'> & {
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
};

/** One row per campaign: the API.md Campaign fields in order (no message texts, no audience). */
export const CAMPAIGN_COLUMNS: CsvColumn<CampaignExportRow>[] = (
  [
    'id',
    'notificationId',
    'noticeId',
    'todoId',
    'category',
    'status',
    'createdAt',
    'startedAt',
    'completedAt',
    'targeted',
    'sent',
    'failed',
    'invalidTokens',
    'cancelledTokens',
    'received',
    'opened',
    'openRate',
  ] as const
).map((key) => ({ key, header: key }));

/** One row per JST day (categories added up): the figures of GET /admin/v1/stats/daily. */
export const DAILY_STATS_COLUMNS: CsvColumn<DailyStatsItemDto & { campaigns: number }>[] = (
  [
    'day',
    'campaigns',
    'targeted',
    'sent',
    'failed',
    'invalidTokens',
    'received',
    'opened',
    'openRate',
  ] as const
).map((key) => ({ key, header: key }));

/** One row per notification event (at most one per person, campaign and type). */
export const EVENT_COLUMNS: CsvColumn<PushEventExportRow>[] = (
  ['campaignId', 'notificationId', 'userId', 'type', 'source', 'recordedAt'] as const
).map((key) => ({ key, header: key }));
