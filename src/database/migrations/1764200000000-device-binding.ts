import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Device binding (DPoP, ADR 0006): a device link is bound to the thumbprint of the phone's key.
 * One person per device is now "per key": the unique index moves from the app-chosen device_id
 * label (which two phones may share, and anyone may claim) to the key thumbprint. Links made
 * before binding have no key, so no proof can match them: they read as unusable, and the people
 * link again (before any release, no real link exists).
 */
export class DeviceBinding1764200000000 implements MigrationInterface {
  name = 'DeviceBinding1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE device_links ADD COLUMN dpop_jkt text CHECK (dpop_jkt ~ '^[A-Za-z0-9_-]{43}$')`,
    );
    await q.query(`DROP INDEX IF EXISTS device_links_active_device`);
    await q.query(
      `CREATE UNIQUE INDEX device_links_active_key ON device_links (dpop_jkt) WHERE revoked_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS device_links_active_key`);
    await q.query(
      `CREATE UNIQUE INDEX device_links_active_device ON device_links (device_id) WHERE revoked_at IS NULL`,
    );
    await q.query(`ALTER TABLE device_links DROP COLUMN dpop_jkt`);
  }
}
