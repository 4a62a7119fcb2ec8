import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { parse } from 'csv-parse/sync';
import { TokenCipher } from '../../src/common/crypto/token-cipher';
import { signWebhook } from '../../src/modules/push';
import { registrationContext } from '../../src/modules/push/registrations/push-registration.repository';
import { asAdmin } from './admin-env';

/** The API.md Campaign object as the admin API answers it. */
export interface AdminCampaign {
  id: string;
  notificationId: string;
  noticeId: string | null;
  category: string | null;
  status: string;
  targeted: number;
  sent: number;
  failed: number;
  invalidTokens: number;
  cancelledTokens: number;
  received: number;
  opened: number;
  openRate: number;
}

interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export interface SeededDevice {
  deviceLinkId: string;
  personId: string;
  /** null: the link has no push registration */
  token: string | null;
  enabled: boolean;
  revoked: boolean;
}

/**
 * Linked people with device links and (optionally) push registrations, straight in SQL; `token`
 * and `enabled` per device come from `shape(i)`.
 */
export async function seedDevices(
  db: Queryable,
  app: NestFastifyApplication,
  count: number,
  shape: (i: number) => Pick<SeededDevice, 'token' | 'enabled' | 'revoked'>,
): Promise<SeededDevice[]> {
  const cipher = app.get(TokenCipher);
  const devices: SeededDevice[] = Array.from({ length: count }, (_, i) => ({
    deviceLinkId: randomUUID(),
    personId: randomUUID(),
    ...shape(i),
  }));
  await db.query(`INSERT INTO people (id, subject) SELECT p, 'sub-' || p FROM unnest($1::uuid[]) AS t(p)`, [
    devices.map((d) => d.personId),
  ]);
  await db.query(
    `INSERT INTO device_links (id, person_id, device_id, platform, session_token_hash, session_expires_at,
                               revoked_at, revoked_reason)
     SELECT d, p, 'dev-' || d, 'android', decode(md5(d::text), 'hex'), now() + interval '30 days',
            CASE WHEN r THEN now() END, CASE WHEN r THEN 'unlinked' END
       FROM unnest($1::uuid[], $2::uuid[], $3::boolean[]) AS t(d, p, r)`,
    [devices.map((d) => d.deviceLinkId), devices.map((d) => d.personId), devices.map((d) => d.revoked)],
  );
  const registered = devices.filter((d) => d.token !== null && !d.revoked);
  await db.query(
    `INSERT INTO push_registrations (device_link_id, person_id, token_enc, enabled, locale)
     SELECT d, p, e, n, 'ja' FROM unnest($1::uuid[], $2::uuid[], $3::bytea[], $4::boolean[]) AS t(d, p, e, n)`,
    [
      registered.map((d) => d.deviceLinkId),
      registered.map((d) => d.personId),
      registered.map((d) => cipher.encrypt(d.token!, registrationContext(d.deviceLinkId))),
      registered.map((d) => d.enabled),
    ],
  );
  return devices;
}

/** POST /v1/webhooks/push signed with `secret`; returns the campaign id. */
export async function sendWebhook(
  app: NestFastifyApplication,
  secret: string,
  body: Record<string, unknown>,
): Promise<string> {
  const raw = JSON.stringify(body);
  const res = await app.inject({
    method: 'POST',
    url: '/v1/webhooks/push',
    headers: {
      'content-type': 'application/json',
      'x-myna-signature': signWebhook(secret, raw, Math.floor(Date.now() / 1000)),
    },
    payload: raw,
  });
  if (res.statusCode !== 202) throw new Error(`webhook answered ${res.statusCode}: ${res.body}`);
  return res.json<{ campaignId: string }>().campaignId;
}

export async function adminGet<T>(app: NestFastifyApplication, url: string): Promise<T> {
  const res = await app.inject({ method: 'GET', url, headers: asAdmin() });
  if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${res.body}`);
  return res.json<T>();
}

/** Polls the admin API until `until` holds for the campaign (or the deadline passes); the last view. */
export async function waitForCampaign(
  app: NestFastifyApplication,
  id: string,
  until: (c: AdminCampaign) => boolean = (c) => ['completed', 'failed', 'cancelled'].includes(c.status),
  timeoutMs = 120_000,
): Promise<AdminCampaign> {
  const deadline = Date.now() + timeoutMs;
  let view = await adminGet<AdminCampaign>(app, `/admin/v1/campaigns/${id}`);
  while (!until(view) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    view = await adminGet<AdminCampaign>(app, `/admin/v1/campaigns/${id}`);
  }
  return view;
}

/** A CSV export through the admin route, parsed back with csv-parse (BOM, header row, CRLF). */
export async function exportCsv(
  app: NestFastifyApplication,
  dataset: string,
): Promise<{ body: string; records: Record<string, string>[] }> {
  const res = await app.inject({ method: 'GET', url: `/admin/v1/export/${dataset}.csv`, headers: asAdmin() });
  if (res.statusCode !== 200) throw new Error(`${dataset}.csv answered ${res.statusCode}: ${res.body}`);
  if (res.headers['content-type'] !== 'text/csv; charset=utf-8') throw new Error('not text/csv');
  const records: Record<string, string>[] = parse(res.body, {
    bom: true,
    columns: true,
    record_delimiter: '\r\n',
  });
  return { body: res.body, records };
}
