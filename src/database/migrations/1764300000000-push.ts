import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The push module's tables (ADR 0008). Push registrations move out of account-link's device_links:
 * the encrypted token is copied as is (its AEAD context, `device_links:<id>:push`, stays the
 * registration's context), then the columns are dropped. Events are partitioned by month; the
 * worker keeps partitions created ahead (push_ensure_event_partitions) and a default partition
 * catches anything outside them.
 */
export class Push1764300000000 implements MigrationInterface {
  name = 'Push1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE push_registrations (
        device_link_id uuid PRIMARY KEY,
        person_id uuid NOT NULL,
        token_enc bytea,
        enabled boolean NOT NULL DEFAULT true,
        locale text NOT NULL DEFAULT 'ja' CHECK (locale IN ('ja', 'en')),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX push_registrations_person ON push_registrations (person_id)`);
    // The fan-out walks sendable registrations in device_link_id order (keyset pagination).
    await q.query(
      `CREATE INDEX push_registrations_audience ON push_registrations (device_link_id)
        WHERE enabled AND token_enc IS NOT NULL`,
    );
    await q.query(`
      INSERT INTO push_registrations (device_link_id, person_id, token_enc, enabled, locale)
      SELECT id, person_id, push_token_enc, push_enabled, locale FROM device_links
       WHERE revoked_at IS NULL AND push_token_enc IS NOT NULL`);
    await q.query(`DROP INDEX IF EXISTS device_links_push_audience`);
    await q.query(`ALTER TABLE device_links DROP COLUMN push_token_enc, DROP COLUMN push_enabled`);

    await q.query(`
      CREATE TABLE push_campaigns (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        notification_id text NOT NULL UNIQUE,
        notice_id text,
        todo_id text,
        category text,
        ttl_seconds integer NOT NULL,
        message jsonb NOT NULL,
        audience_type text NOT NULL CHECK (audience_type IN ('users', 'all')),
        audience_person_ids uuid[],
        status text NOT NULL CHECK (status IN ('scheduled', 'queued', 'sending', 'completed', 'failed', 'cancelled')),
        send_at timestamptz,
        cancel_requested boolean NOT NULL DEFAULT false,
        fanout_cursor uuid,
        fanout_done boolean NOT NULL DEFAULT false,
        batches_total integer NOT NULL DEFAULT 0,
        batches_recorded integer NOT NULL DEFAULT 0,
        targeted bigint NOT NULL DEFAULT 0,
        sent bigint NOT NULL DEFAULT 0,
        failed bigint NOT NULL DEFAULT 0,
        invalid_tokens bigint NOT NULL DEFAULT 0,
        cancelled_tokens bigint NOT NULL DEFAULT 0,
        received bigint NOT NULL DEFAULT 0,
        opened bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        completed_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX push_campaigns_newest ON push_campaigns (created_at DESC, id DESC)`);
    await q.query(
      `CREATE INDEX push_campaigns_unfinished ON push_campaigns (updated_at)
        WHERE status IN ('scheduled', 'queued', 'sending')`,
    );

    // One row per send job, written by the fan-out with the cursor; its outcome is recorded once.
    await q.query(`
      CREATE TABLE push_batches (
        campaign_id uuid NOT NULL REFERENCES push_campaigns(id) ON DELETE CASCADE,
        batch_no integer NOT NULL,
        device_link_ids uuid[] NOT NULL,
        recorded_at timestamptz,
        sent integer,
        failed integer,
        invalid_tokens integer,
        cancelled_tokens integer,
        PRIMARY KEY (campaign_id, batch_no)
      )`);

    // Who got which notification (for events: 404 unless sent to this person; idempotent per type).
    await q.query(`
      CREATE TABLE push_deliveries (
        campaign_id uuid NOT NULL REFERENCES push_campaigns(id) ON DELETE CASCADE,
        person_id uuid NOT NULL,
        device_link_id uuid NOT NULL,
        sent_at timestamptz NOT NULL DEFAULT now(),
        received_at timestamptz,
        opened_at timestamptz,
        PRIMARY KEY (campaign_id, person_id)
      )`);
    await q.query(`CREATE INDEX push_deliveries_person ON push_deliveries (person_id, sent_at DESC)`);

    await q.query(`
      CREATE TABLE push_events (
        campaign_id uuid NOT NULL,
        person_id uuid NOT NULL,
        type text NOT NULL CHECK (type IN ('received', 'opened')),
        source text NOT NULL DEFAULT 'app',
        created_at timestamptz NOT NULL DEFAULT now()
      ) PARTITION BY RANGE (created_at)`);
    await q.query(`CREATE TABLE push_events_default PARTITION OF push_events DEFAULT`);
    await q.query(`
      CREATE OR REPLACE FUNCTION push_ensure_event_partitions(months_ahead integer) RETURNS void
      LANGUAGE plpgsql AS $$
      DECLARE
        m date := date_trunc('month', now())::date;
        i integer;
        name text;
      BEGIN
        FOR i IN 0..months_ahead LOOP
          name := 'push_events_' || to_char(m + make_interval(months => i), 'YYYYMM');
          IF to_regclass(name) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF push_events FOR VALUES FROM (%L) TO (%L)',
              name, m + make_interval(months => i), m + make_interval(months => i + 1));
          END IF;
        END LOOP;
      END $$`);
    await q.query(`SELECT push_ensure_event_partitions(3)`);

    await q.query(`
      CREATE TABLE push_daily_stats (
        day date NOT NULL,
        category text NOT NULL,
        notifications integer NOT NULL DEFAULT 0,
        targeted bigint NOT NULL DEFAULT 0,
        sent bigint NOT NULL DEFAULT 0,
        failed bigint NOT NULL DEFAULT 0,
        invalid_tokens bigint NOT NULL DEFAULT 0,
        received bigint NOT NULL DEFAULT 0,
        opened bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (day, category)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE push_daily_stats`);
    await q.query(`DROP FUNCTION push_ensure_event_partitions(integer)`);
    await q.query(`DROP TABLE push_events`);
    await q.query(`DROP TABLE push_deliveries`);
    await q.query(`DROP TABLE push_batches`);
    await q.query(`DROP TABLE push_campaigns`);
    await q.query(
      `ALTER TABLE device_links ADD COLUMN push_token_enc bytea, ADD COLUMN push_enabled boolean NOT NULL DEFAULT true`,
    );
    await q.query(`
      UPDATE device_links d SET push_token_enc = r.token_enc, push_enabled = r.enabled
        FROM push_registrations r WHERE r.device_link_id = d.id`);
    await q.query(
      `CREATE INDEX device_links_push_audience ON device_links (id) WHERE revoked_at IS NULL AND push_enabled AND push_token_enc IS NOT NULL`,
    );
    await q.query(`DROP TABLE push_registrations`);
  }
}
