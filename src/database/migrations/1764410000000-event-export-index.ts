import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The events export reads push_events in (recorded time, campaign, person, type) order: with this
 * index on every monthly partition the rows stream (merge of per-partition index scans) instead of
 * waiting for a sort of a year of events.
 */
export class EventExportIndex1764410000000 implements MigrationInterface {
  name = 'EventExportIndex1764410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX push_events_export ON push_events (created_at, campaign_id, person_id, type)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX push_events_export`);
  }
}
