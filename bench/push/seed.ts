import { createHash } from 'node:crypto';
import type { Client } from 'pg';
import { TokenCipher } from '../../src/common/crypto/token-cipher.js';
import { registrationContext } from '../../src/modules/push/registrations/push-registration.repository.js';

/**
 * TARGETS.md "Push": 1 % `dead-` tokens (the FCM simulator answers UNREGISTERED, the app deletes
 * them) and 1 % `flaky-` tokens (the first attempt fails UNAVAILABLE, the retry succeeds).
 */
export const isDead = (n: number): boolean => n % 100 === 0;
export const isFlaky = (n: number): boolean => n % 100 === 1;
/** Rows per registrations statement: the ciphertexts travel as one bytea[] parameter. */
const CHUNK = 20_000;

/** person n = md5('p'||n), device link n = md5('d'||n), as bench/admin does: no join between steps. */
const SQL = {
  people: `
    INSERT INTO people (id, subject)
    SELECT md5('p' || n)::uuid, 'bench-push-' || n FROM generate_series(0, $1 - 1) n`,
  deviceLinks: `
    INSERT INTO device_links (id, person_id, device_id, platform, locale, session_token_hash, session_expires_at)
    SELECT md5('d' || n)::uuid, md5('p' || n)::uuid, 'bench-device-' || n,
           CASE WHEN n % 3 = 0 THEN 'ios' ELSE 'android' END, CASE WHEN n % 20 = 0 THEN 'en' ELSE 'ja' END,
           decode(md5('s' || n), 'hex'), now() + interval '90 days'
      FROM generate_series(0, $1 - 1) n`,
  registrations: `
    INSERT INTO push_registrations (device_link_id, person_id, token_enc, enabled, locale)
    SELECT md5('d' || n)::uuid, md5('p' || n)::uuid, e, true, CASE WHEN n % 20 = 0 THEN 'en' ELSE 'ja' END
      FROM unnest($2::bytea[]) WITH ORDINALITY AS t(e, i), LATERAL (SELECT $1::int + i::int - 1 AS n) x`,
};

/** The FCM registration token of device n. */
export function tokenOf(n: number): string {
  return isDead(n) ? `dead-bench-${n}` : isFlaky(n) ? `flaky-bench-${n}` : `ok-bench-${n}`;
}

export const subjectOf = (n: number): string => `bench-push-${n}`;

/** md5(text)::uuid as PostgreSQL casts it. */
function md5Uuid(text: string): string {
  const h = createHash('md5').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export interface SeededDevices {
  devices: number;
  dead: number;
  flaky: number;
  seconds: Record<string, number>;
}

/**
 * `devices` linked people, each with one live device link and one push registration whose token is
 * encrypted exactly as the app stores it (TokenCipher, AAD of the registration), so the send job
 * decrypts it like any other. The ciphertext is made here: AES-GCM has no PostgreSQL counterpart.
 */
export async function seedDevices(
  db: Client,
  devices: number,
  encryptionKeys: string,
  log: (line: string) => void,
): Promise<SeededDevices> {
  const [kid, key] = encryptionKeys.split(':');
  const cipher = new TokenCipher({
    get: () => ({ keys: new Map([[kid, Buffer.from(key, 'base64')]]), activeKeyId: kid }),
  } as never);
  const seconds: Record<string, number> = {};
  const step = async (name: string, run: () => Promise<unknown>): Promise<void> => {
    const t0 = performance.now();
    await run();
    seconds[name] = Math.round((performance.now() - t0) / 100) / 10;
    log(`seed ${name}: ${seconds[name]} s`);
  };
  await db.query(`SET synchronous_commit = off`);
  await step('people', () => db.query(SQL.people, [devices]));
  await step('device links', () => db.query(SQL.deviceLinks, [devices]));
  await step('push registrations', async () => {
    for (let from = 0; from < devices; from += CHUNK) {
      const enc: Buffer[] = [];
      for (let n = from; n < Math.min(devices, from + CHUNK); n++)
        enc.push(cipher.encrypt(tokenOf(n), registrationContext(md5Uuid(`d${n}`))));
      await db.query(SQL.registrations, [from, enc]);
    }
  });
  await step('analyze', () => db.query(`VACUUM ANALYZE people, device_links, push_registrations`));
  const count = (test: (n: number) => boolean): number => {
    let c = 0;
    for (let n = 0; n < devices; n++) if (test(n)) c++;
    return c;
  };
  return { devices, dead: count(isDead), flaky: count(isFlaky), seconds };
}
