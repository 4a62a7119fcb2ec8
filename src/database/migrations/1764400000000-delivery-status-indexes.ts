import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Usage statistics group device links by the day they were linked and revoked. */
export class DeliveryStatusIndexes1764400000000 implements MigrationInterface {
  name = 'DeliveryStatusIndexes1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX device_links_linked_at ON device_links (linked_at)`);
    await q.query(
      `CREATE INDEX device_links_revoked_at ON device_links (revoked_at) WHERE revoked_at IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX device_links_revoked_at`);
    await q.query(`DROP INDEX device_links_linked_at`);
  }
}
