import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { csvStream, type CsvColumn } from '../../../common/csv/csv-stream.js';
import { DomainException } from '../../../common/errors/domain.exception.js';
import { ErrorCode } from '../../../common/errors/error-code.js';
import { AppLogger } from '../../../common/logging/app-logger.js';
import { type DeviceExportRow, LinkStatsReader } from '../../account-link/index.js';
import { CampaignQueryService, PushExportReader } from '../../push/index.js';
import { sumPerDay } from '../stats/stats.service.js';
import { daysBetween } from '../usage/jst-day.js';
import { jstDay } from '../usage/jst-day.js';
import {
  CAMPAIGN_COLUMNS,
  type CampaignExportRow,
  DAILY_STATS_COLUMNS,
  DEVICE_COLUMNS,
  type DeviceExportCsvRow,
  EVENT_COLUMNS,
  EXPORT_DATASETS,
  type ExportDataset,
} from './export-datasets.js';

/** Campaigns are read in keyset pages of this size: memory stays bounded by one page. */
const CAMPAIGN_PAGE = 500;
/** Device rows are joined with their push registrations this many at a time (one lookup each). */
const DEVICE_CHUNK = 1000;
/** The daily-stats export covers the counters' retention horizon. */
const DAILY_STATS_DAYS = 400;

/** CSV exports, streamed (the HTTP routes and `npm run export` share it; formats in docs/data-export.md). */
@Injectable()
export class ExportService {
  private readonly log: AppLogger;

  constructor(
    private readonly links: LinkStatsReader,
    private readonly campaigns: CampaignQueryService,
    private readonly push: PushExportReader,
    logger: AppLogger,
  ) {
    this.log = logger.forContext('ExportService');
  }

  isDataset(name: string): name is ExportDataset {
    return (EXPORT_DATASETS as readonly string[]).includes(name);
  }

  async open(dataset: string): Promise<Readable> {
    if (!this.isDataset(dataset)) throw new DomainException(ErrorCode.NOT_FOUND);
    const onError = (error: Error): void =>
      this.log.warn({ dataset, reason: error.message }, 'export ended early');
    switch (dataset) {
      case 'devices': {
        const cursor = await this.links.devices();
        return csvStream(
          Readable.from(this.withPushFlags(cursor.rows)),
          DEVICE_COLUMNS,
          cursor.release,
          onError,
        );
      }
      case 'events': {
        const cursor = await this.push.events();
        return csvStream(cursor.rows, EVENT_COLUMNS, cursor.release, onError);
      }
      case 'campaigns':
        return this.fromIterable(this.allCampaigns(), CAMPAIGN_COLUMNS, onError);
      case 'daily-stats': {
        const to = jstDay(new Date());
        const from = jstDay(new Date(Date.now() - DAILY_STATS_DAYS * 86_400_000));
        const days = sumPerDay(daysBetween(from, to), await this.campaigns.daily(from, to));
        const rows = days.map((d) => ({ ...d, campaigns: d.notifications }));
        return this.fromIterable(rows, DAILY_STATS_COLUMNS, onError);
      }
    }
  }

  private fromIterable<T>(
    rows: Iterable<T> | AsyncIterable<T>,
    columns: CsvColumn<T>[],
    onError: (e: Error) => void,
  ): Readable {
    return csvStream(Readable.from(rows), columns, async () => undefined, onError);
  }

  /**
   * The push registration of each device link, looked up through the push module a chunk at a
   * time: memory stays bounded by one chunk. The locale is the registration's (the language pushes
   * use) when there is one; ended links have none (push forgets them when the link ends).
   */
  private async *withPushFlags(rows: AsyncIterable<DeviceExportRow>): AsyncGenerator<DeviceExportCsvRow> {
    let chunk: DeviceExportRow[] = [];
    for await (const d of rows) {
      chunk.push(d);
      if (chunk.length < DEVICE_CHUNK) continue;
      yield* await this.flagged(chunk);
      chunk = [];
    }
    if (chunk.length > 0) yield* await this.flagged(chunk);
  }

  private async flagged(chunk: DeviceExportRow[]): Promise<DeviceExportCsvRow[]> {
    const regs = await this.push.registrations(chunk.map((d) => d.id));
    return chunk.map((d) => {
      const reg = regs.get(d.id);
      return {
        ...d,
        locale: reg?.locale ?? d.locale,
        pushRegistered: reg?.registered ?? false,
        pushEnabled: reg?.enabled ?? false,
      };
    });
  }

  private async *allCampaigns(): AsyncGenerator<CampaignExportRow> {
    const date = (iso: string | null): Date | null => (iso ? new Date(iso) : null);
    let cursor: string | undefined;
    do {
      const page = await this.campaigns.list(CAMPAIGN_PAGE, cursor);
      for (const c of page.items) {
        yield {
          ...c,
          createdAt: new Date(c.createdAt),
          startedAt: date(c.startedAt),
          completedAt: date(c.completedAt),
        };
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
}
