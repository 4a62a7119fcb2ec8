import type { Client } from 'pg';

/** The size of the seeded year (TARGETS.md "Delivery status": 2,000 campaigns, 20 M events). */
export interface SeedSize {
  campaigns: number;
  /** events wanted in all (received + opened); the seeded count is within 1 % of it */
  events: number;
  devices: number;
}

export const CATEGORIES = ['運営主体お知らせ', 'NWS・省庁連携', 'デジタル庁', '地方公共団体'];

/**
 * Deterministic ids, so every statement is set-based (generate_series INSERT … SELECT) with no
 * join to find a row made by an earlier one: person n = md5('p'||n), device link n = md5('d'||n);
 * campaign i = md5('c'||i) shaped as a version-4 UUID (the admin API validates campaign ids).
 */
const SQL = {
  people: `
    INSERT INTO people (id, subject, created_at, updated_at)
    SELECT md5('p' || n)::uuid, 'bench-admin-' || n, t, t
      FROM (SELECT n, now() - interval '365 days' + (n::float8 / $1) * interval '364 days' AS t
              FROM generate_series(0, $1 - 1) n) s`,
  // a tenth of the links have ended (unlinked 30 days after linking, when that is in the past)
  deviceLinks: `
    INSERT INTO device_links (id, person_id, device_id, platform, locale, session_token_hash,
                              session_expires_at, linked_at, revoked_at, revoked_reason)
    SELECT md5('d' || n)::uuid, md5('p' || n)::uuid, 'bench-device-' || n,
           CASE WHEN n % 3 = 0 THEN 'ios' ELSE 'android' END, CASE WHEN n % 20 = 0 THEN 'en' ELSE 'ja' END,
           decode(md5('s' || n), 'hex'), t + interval '90 days', t,
           CASE WHEN n % 10 = 0 AND t + interval '30 days' < now() THEN t + interval '30 days' END,
           CASE WHEN n % 10 = 0 AND t + interval '30 days' < now() THEN 'unlinked' END
      FROM (SELECT n, now() - interval '365 days' + (n::float8 / $1) * interval '364 days' AS t
              FROM generate_series(0, $1 - 1) n) s`,
  // live links registered for push (fake ciphertext: nothing is sent in this benchmark)
  registrations: `
    INSERT INTO push_registrations (device_link_id, person_id, token_enc, enabled, locale)
    SELECT id, person_id, decode(md5('t' || id::text) || md5('u' || id::text), 'hex'),
           right(id::text, 1) <> '0', locale
      FROM device_links WHERE revoked_at IS NULL AND right(id::text, 1) <> 'f'`,
  // the event partitions of the past year (the worker creates only the coming months)
  partitions: `
    DO $$
    DECLARE m date := date_trunc('month', now() - interval '13 months')::date;
    BEGIN
      WHILE m <= date_trunc('month', now())::date LOOP
        IF to_regclass('push_events_' || to_char(m, 'YYYYMM')) IS NULL THEN
          EXECUTE format('CREATE TABLE %I PARTITION OF push_events FOR VALUES FROM (%L) TO (%L)',
            'push_events_' || to_char(m, 'YYYYMM'), m, m + interval '1 month');
        END IF;
        m := m + interval '1 month';
      END LOOP;
    END $$`,
  /**
   * Campaign i: created evenly over the past year, in one of the categories, a completed broadcast
   * whose counters add up (sent + failed + invalid = targeted); received/opened are the numbers of
   * events seeded for it (recv(i), open(i) below).
   */
  campaigns: `
    INSERT INTO push_campaigns (id, notification_id, notice_id, category, ttl_seconds, message,
                                audience_type, status, fanout_done, batches_total, batches_recorded,
                                targeted, sent, failed, invalid_tokens, received, opened,
                                created_at, started_at, completed_at, updated_at)
    SELECT (substr(h, 1, 12) || '4' || substr(h, 14, 3) || '8' || substr(h, 18))::uuid, 'bench-ntf-' || i, 'ntc-bench-' || i, ($3::text[])[1 + i % cardinality($3::text[])], 259200,
           '{"title":{"ja":"お知らせ","en":"Notice"},"body":{"ja":"本文","en":"Body"}}', 'all', 'completed',
           true, ceil(tg / 500.0), ceil(tg / 500.0),
           tg, tg - tg / 100 - tg / 1000, tg / 1000, tg / 100, recv, floor(recv * 0.6),
           t, t + interval '1 second', t + interval '10 minutes', t + interval '10 minutes'
      FROM (SELECT i, md5('c' || i) AS h, 20000 + (i * 7919) % 980000 AS tg,
                   greatest(1, floor($2::float8 / $1 * 0.625) + (i % 41) - 20)::int AS recv,
                   now() - interval '365 days' + (i::float8 / $1) * interval '364 days' AS t
              FROM generate_series(0, $1 - 1) i) s`,
  /** received (j < recv) or opened (j < open) events of campaign i, spread over the 2 days after it. */
  events: `
    INSERT INTO push_events (campaign_id, person_id, type, source, created_at)
    SELECT c.id, md5('p' || ((c.i * 7919 + j) % $1::int))::uuid, $2::text,
           CASE WHEN $2::text = 'opened' AND j % 10 = 0 THEN 'notice_detail' ELSE 'app' END,
           least(now(), c.created_at + (j::float8 / c.n) * interval '2 days'
                        + CASE WHEN $2::text = 'opened' THEN interval '1 hour' ELSE interval '0' END)
      FROM (SELECT x.i, id, created_at, CASE WHEN $2::text = 'opened' THEN opened ELSE received END AS n
              FROM push_campaigns, LATERAL (SELECT substr(notification_id, 11)::int AS i) x
             WHERE notification_id LIKE 'bench-ntf-%' AND x.i BETWEEN $3 AND $4) c,
           LATERAL generate_series(0, c.n - 1) j`,
  /** push's per-day counters, as the app keeps them: campaigns on their day, events on theirs. */
  daily: `
    INSERT INTO push_daily_stats (day, category, notifications, targeted, sent, failed, invalid_tokens, received, opened)
    SELECT day, category, sum(notifications), sum(targeted), sum(sent), sum(failed), sum(invalid_tokens),
           sum(received), sum(opened)
      FROM (
        SELECT (created_at AT TIME ZONE 'Asia/Tokyo')::date AS day, category, 1 AS notifications, targeted,
               sent, failed, invalid_tokens, 0 AS received, 0 AS opened
          FROM push_campaigns
        UNION ALL
        SELECT (e.created_at AT TIME ZONE 'Asia/Tokyo')::date, c.category, 0, 0, 0, 0, 0,
               count(*) FILTER (WHERE e.type = 'received'), count(*) FILTER (WHERE e.type = 'opened')
          FROM push_events e JOIN push_campaigns c ON c.id = e.campaign_id
         GROUP BY 1, 2
      ) x
     GROUP BY day, category`,
};

/** The index the events export reads in order (migration 1764410000000), built once after the bulk load. */
const EVENT_EXPORT_INDEX = `CREATE INDEX push_events_export ON push_events (created_at, campaign_id, person_id, type)`;

export interface Seeded {
  campaigns: number;
  events: number;
  devices: number;
  registrations: number;
  seconds: Record<string, number>;
}

/** Seeds a year of data into a migrated database; logs each step with its duration. */
export async function seedYear(db: Client, size: SeedSize, log: (line: string) => void): Promise<Seeded> {
  const seconds: Record<string, number> = {};
  const step = async (name: string, run: () => Promise<unknown>): Promise<void> => {
    const t0 = performance.now();
    await run();
    seconds[name] = Math.round((performance.now() - t0) / 100) / 10;
    log(`seed ${name}: ${seconds[name]} s`);
  };
  await db.query(`SET synchronous_commit = off`);
  await db.query(`SET maintenance_work_mem = '256MB'`);
  await step('people', () => db.query(SQL.people, [size.devices]));
  await step('device links', () => db.query(SQL.deviceLinks, [size.devices]));
  await step('push registrations', () => db.query(SQL.registrations));
  await step('event partitions', () => db.query(SQL.partitions));
  await step('campaigns', () => db.query(SQL.campaigns, [size.campaigns, size.events, CATEGORIES]));
  // bulk load without the export index, then build it once (far faster than 20 M index inserts)
  await db.query(`DROP INDEX IF EXISTS push_events_export`);
  const slice = Math.max(1, Math.ceil(size.campaigns / 10));
  await step('events', async () => {
    for (let from = 0; from < size.campaigns; from += slice) {
      for (const type of ['received', 'opened'])
        await db.query(SQL.events, [size.devices, type, from, from + slice - 1]);
      log(`  events of campaigns ${from}..${Math.min(size.campaigns, from + slice) - 1}`);
    }
  });
  await step('events export index', () => db.query(EVENT_EXPORT_INDEX));
  await step('daily counters', () => db.query(SQL.daily));
  await step('analyze', () => db.query(`VACUUM ANALYZE`));
  const count = async (sql: string): Promise<number> =>
    Number((await db.query<{ n: string }>(sql)).rows[0].n);
  return {
    campaigns: await count(`SELECT count(*) AS n FROM push_campaigns`),
    events: await count(`SELECT count(*) AS n FROM push_events`),
    devices: await count(`SELECT count(*) AS n FROM device_links`),
    registrations: await count(`SELECT count(*) AS n FROM push_registrations`),
    seconds,
  };
}
