import { randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { Client } from 'pg';
import { TokenCipher } from '../../src/common/crypto/token-cipher';
import { signWebhook } from '../../src/modules/push/index';
import { registrationContext } from '../../src/modules/push/registrations/push-registration.repository';
import type { FcmStatsReport } from '../simulators/fcm/fcm-stats';

/** Something that can query the test's database (a pg Client or a TypeORM DataSource). */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** Tokens of a campaign: 1 % `dead-` (UNREGISTERED), 1 % `flaky-` (fail once), the rest fine. */
export function campaignTokens(n: number, tag = 'tok'): string[] {
  return Array.from({ length: n }, (_, i) =>
    i % 100 === 0 ? `dead-${tag}-${i}` : i % 100 === 1 ? `flaky-${tag}-${i}` : `ok-${tag}-${i}`,
  );
}

/**
 * Seeds one linked person, device link and push registration per token straight in SQL (fast),
 * the tokens encrypted as the app stores them.
 */
export async function seedDevices(
  db: Queryable,
  cipher: TokenCipher,
  tokens: string[],
  /** each person's provider `sub` (default `sub-<person id>`) */
  subjects?: string[],
): Promise<void> {
  const people = tokens.map(() => randomUUID());
  const links = tokens.map(() => randomUUID());
  await db.query(
    `INSERT INTO people (id, subject)
     SELECT p, coalesce(s, 'sub-' || p) FROM unnest($1::uuid[], $2::text[]) AS t(p, s)`,
    [people, subjects ?? people.map(() => null)],
  );
  await db.query(
    `INSERT INTO device_links (id, person_id, device_id, platform, session_token_hash, session_expires_at)
     SELECT d, p, 'dev-' || d, 'android', decode(md5(d::text), 'hex'), now() + interval '30 days'
       FROM unnest($1::uuid[], $2::uuid[]) AS t(d, p)`,
    [links, people],
  );
  const enc = tokens.map((tok, i) => cipher.encrypt(tok, registrationContext(links[i])));
  await db.query(
    `INSERT INTO push_registrations (device_link_id, person_id, token_enc, locale)
     SELECT d, p, e, CASE WHEN random() < 0.5 THEN 'ja' ELSE 'en' END
       FROM unnest($1::uuid[], $2::uuid[], $3::bytea[]) AS t(d, p, e)`,
    [links, people, enc],
  );
}

type Inject = (o: InjectOptions) => Promise<LightMyRequestResponse>;

/** POST /v1/webhooks/push with `body`, signed now (as the Mynaportal backend sends it). */
export function postWebhook(inject: Inject, body: unknown, secret = 'dev-webhook-secret') {
  const raw = JSON.stringify(body);
  return inject({
    method: 'POST',
    url: '/v1/webhooks/push',
    headers: {
      'content-type': 'application/json',
      'x-myna-signature': signWebhook(secret, raw, Math.floor(Date.now() / 1000)),
    },
    payload: raw,
  });
}

/** A signed broadcast to everyone through POST /v1/webhooks/push; returns the campaign id. */
export async function broadcast(
  inject: Inject,
  notificationId: string,
  secret = 'dev-webhook-secret',
): Promise<string> {
  const res = await postWebhook(
    inject,
    {
      notificationId,
      noticeId: 'ntc-fault',
      category: 'agency',
      audience: { type: 'all' },
      message: { title: { ja: 'お知らせ', en: 'Notice' }, body: { ja: '本文', en: 'Body' } },
    },
    secret,
  );
  if (res.statusCode !== 202) throw new Error(`webhook answered ${res.statusCode}: ${res.body}`);
  return res.json<{ campaignId: string }>().campaignId;
}

export interface CampaignTotals {
  status: string;
  targeted: number;
  sent: number;
  failed: number;
  invalidTokens: number;
  cancelledTokens: number;
  batchesRecorded: number;
  batchesTotal: number;
}

export async function campaignTotals(db: Queryable, id: string): Promise<CampaignTotals> {
  const rows = (await db.query(
    `SELECT status, targeted, sent, failed, invalid_tokens, cancelled_tokens, batches_recorded, batches_total
       FROM push_campaigns WHERE id = $1`,
    [id],
  )) as { rows?: Record<string, string>[] } | Record<string, string>[];
  const r = (Array.isArray(rows) ? rows : (rows.rows ?? []))[0];
  return {
    status: r.status,
    targeted: Number(r.targeted),
    sent: Number(r.sent),
    failed: Number(r.failed),
    invalidTokens: Number(r.invalid_tokens),
    cancelledTokens: Number(r.cancelled_tokens),
    batchesRecorded: Number(r.batches_recorded),
    batchesTotal: Number(r.batches_total),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` holds (a fault test waits for an outcome, it never asserts a duration). */
export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await sleep(200);
  }
}

/** Waits for the campaign to end and returns its totals. */
export async function waitForEnd(db: Queryable, id: string, timeoutMs: number): Promise<CampaignTotals> {
  let totals = await campaignTotals(db, id);
  await waitUntil(
    async () => {
      totals = await campaignTotals(db, id);
      return ['completed', 'failed', 'cancelled'].includes(totals.status);
    },
    timeoutMs,
    `campaign ${id} to end (last: ${JSON.stringify(totals)})`,
  );
  return totals;
}

/** A pg client on the test file's own database. */
export async function connectDb(): Promise<Client> {
  const db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  return db;
}

/**
 * TARGETS.md "Reliability" for a broadcast under a fault: exact totals, every live token received
 * at least once, dead tokens reached and removed, and at most `maxDuplicates` tokens received twice
 * (a batch re-sent after a crash between sending and recording).
 */
export function expectNothingLost(
  totals: CampaignTotals,
  tokens: string[],
  stats: FcmStatsReport,
  maxDuplicates: number,
): void {
  const live = tokens.filter((t) => !t.startsWith('dead-'));
  const perToken = stats.tokens ?? {};
  expect(totals.status).toBe('completed');
  expect(totals.targeted).toBe(tokens.length);
  expect(totals.sent + totals.failed + totals.invalidTokens + totals.cancelledTokens).toBe(totals.targeted);
  expect(totals.failed).toBe(0);
  expect(totals.cancelledTokens).toBe(0);
  expect(totals.invalidTokens).toBe(tokens.length - live.length);
  expect(totals.sent).toBe(live.length);
  expect(live.filter((t) => (perToken[t]?.successes ?? 0) < 1)).toEqual([]);
  expect(stats.duplicates.length).toBeLessThanOrEqual(maxDuplicates);
}
