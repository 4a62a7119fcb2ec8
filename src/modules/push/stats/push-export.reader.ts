import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { openExportCursor, type RowCursor } from '../../../database/export-cursor.js';

/** What delivery status exports about a device link's push registration: never the token. */
export interface PushRegistrationFlags {
  registered: boolean;
  enabled: boolean;
  locale: 'ja' | 'en';
}

/** A row of the events export (docs/data-export.md §2.4). */
export interface PushEventExportRow {
  campaignId: string;
  notificationId: string;
  userId: string;
  type: 'received' | 'opened';
  source: 'app' | 'notice_detail';
  recordedAt: Date;
}

export type PushRowCursor<T> = RowCursor<T>;

/**
 * Read-only push data for delivery status's CSV exports (which never read push's tables itself):
 * registration flags by device link, and every notification event as a server-side cursor.
 */
@Injectable()
export class PushExportReader {
  constructor(private readonly dataSource: DataSource) {}

  /** The registrations of these device links (absent = none); one primary-key lookup per call. */
  async registrations(deviceLinkIds: string[]): Promise<Map<string, PushRegistrationFlags>> {
    if (deviceLinkIds.length === 0) return new Map();
    const rows: { device_link_id: string; registered: boolean; enabled: boolean; locale: 'ja' | 'en' }[] =
      await this.dataSource.query(
        `SELECT device_link_id, token_enc IS NOT NULL AS registered, enabled, locale
           FROM push_registrations WHERE device_link_id = ANY($1::uuid[])`,
        [deviceLinkIds],
      );
    return new Map(
      rows.map((r) => [r.device_link_id, { registered: r.registered, enabled: r.enabled, locale: r.locale }]),
    );
  }

  /**
   * Every event, oldest first (recorded time, then campaign, person, type: the push_events_export
   * index, so the rows stream from the first partition on without a sort), batches of 1,000.
   */
  events(): Promise<PushRowCursor<PushEventExportRow>> {
    return openExportCursor(
      this.dataSource,
      `SELECT e.campaign_id AS "campaignId",
              (SELECT c.notification_id FROM push_campaigns c WHERE c.id = e.campaign_id) AS "notificationId",
              e.person_id AS "userId", e.type, e.source, e.created_at AS "recordedAt"
         FROM push_events e
        ORDER BY e.created_at, e.campaign_id, e.person_id, e.type`,
    );
  }
}
