import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A campaign can end `failed` (ADR 0019): a batch whose send job spent every attempt is recorded as
 * unrecoverable (its tokens counted failed), and a fan-out that failed for good stops the audience
 * where it was.
 */
export class PushFailed1764550000000 implements MigrationInterface {
  name = 'PushFailed1764550000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE push_batches ADD COLUMN unrecoverable boolean NOT NULL DEFAULT false`);
    await q.query(
      `ALTER TABLE push_campaigns ADD COLUMN failed_batches integer NOT NULL DEFAULT 0,
                                  ADD COLUMN fanout_failed boolean NOT NULL DEFAULT false`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE push_campaigns DROP COLUMN fanout_failed, DROP COLUMN failed_batches`);
    await q.query(`ALTER TABLE push_batches DROP COLUMN unrecoverable`);
  }
}
