import type { CsvColumn } from '../../../common/csv/csv-stream.js';
import type { DeviceExportRow } from '../../account-link/index.js';
import type { CampaignView, DailyStatsRow } from '../../push/index.js';

/** The datasets of GET /admin/v1/export/{dataset}.csv available in this build (docs/data-export.md). */
export const EXPORT_DATASETS = ['devices', 'campaigns', 'daily-stats'] as const;
export type ExportDataset = (typeof EXPORT_DATASETS)[number];

/** Columns of the devices export: identifiers and state only, never a token or a token hash. */
export const DEVICE_COLUMNS: CsvColumn<DeviceExportRow>[] = [
  { key: 'id', header: 'link_id' },
  { key: 'person_id', header: 'person_id' },
  { key: 'device_id', header: 'device_id' },
  { key: 'platform', header: 'platform' },
  { key: 'locale', header: 'locale' },
  { key: 'linked_at', header: 'linked_at' },
  { key: 'revoked_at', header: 'revoked_at' },
  { key: 'revoked_reason', header: 'revoked_reason' },
];

/** One row per campaign: the API.md Campaign fields (no message texts, no audience). */
export const CAMPAIGN_COLUMNS: CsvColumn<CampaignView>[] = (
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

/** One row per JST day and category: push's counters. */
export const DAILY_STATS_COLUMNS: CsvColumn<DailyStatsRow>[] = (
  [
    'day',
    'category',
    'notifications',
    'targeted',
    'sent',
    'failed',
    'invalidTokens',
    'received',
    'opened',
  ] as const
).map((key) => ({ key, header: key }));
