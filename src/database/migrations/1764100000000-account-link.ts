import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AccountLink1764100000000 implements MigrationInterface {
  name = 'AccountLink1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE people (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE device_links (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        device_id text NOT NULL CHECK (device_id ~ '^[A-Za-z0-9._-]{8,128}$'),
        platform text NOT NULL CHECK (platform IN ('ios', 'android')),
        locale text NOT NULL DEFAULT 'ja' CHECK (locale IN ('ja', 'en')),
        session_token_hash bytea NOT NULL UNIQUE,
        session_expires_at timestamptz NOT NULL,
        push_token_enc bytea,
        push_enabled boolean NOT NULL DEFAULT true,
        linked_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        revoked_reason text CHECK (revoked_reason IN ('unlinked', 'replaced', 'device_relinked'))
      )`);
    // One device per person and one person per device, among active links.
    await q.query(
      `CREATE UNIQUE INDEX device_links_active_person ON device_links (person_id) WHERE revoked_at IS NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX device_links_active_device ON device_links (device_id) WHERE revoked_at IS NULL`,
    );
    await q.query(`CREATE INDEX device_links_person ON device_links (person_id)`);
    // Push fan-out walks active, push-enabled links in id order (keyset pagination).
    await q.query(
      `CREATE INDEX device_links_push_audience ON device_links (id) WHERE revoked_at IS NULL AND push_enabled AND push_token_enc IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE provider_tokens (
        person_id uuid PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
        access_token_enc bytea NOT NULL,
        refresh_token_enc bytea,
        access_expires_at timestamptz NOT NULL,
        refresh_expires_at timestamptz NOT NULL,
        scope text NOT NULL,
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE token_revocations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL,
        token_enc bytea NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE token_revocations`);
    await q.query(`DROP TABLE provider_tokens`);
    await q.query(`DROP TABLE device_links`);
    await q.query(`DROP TABLE people`);
  }
}
