import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A `users` campaign keeps the webhook's subjects until its fan-out resolves them to person ids
 * (ADR 0009 §7): the webhook answers without 10,000 index probes on `people`. The subjects are
 * cleared once resolved. Campaigns created before this migration already hold their person ids.
 */
export class PushAudienceSubjects1764700000000 implements MigrationInterface {
  name = 'PushAudienceSubjects1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE push_campaigns ADD COLUMN audience_subjects text[]`);
  }

  async down(q: QueryRunner): Promise<void> {
    // resolve what is still unresolved, so the older code finds person ids
    await q.query(
      `UPDATE push_campaigns c
          SET audience_person_ids = ARRAY(SELECT p.id FROM people p WHERE p.subject = ANY(c.audience_subjects))
        WHERE c.audience_type = 'users' AND c.audience_person_ids IS NULL`,
    );
    await q.query(`ALTER TABLE push_campaigns DROP COLUMN audience_subjects`);
  }
}
