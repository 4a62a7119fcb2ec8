import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { TokenCipher } from '../../src/common/crypto/token-cipher';
import { driveLogin } from '../simulators/oidc/drive-login';
import { DpopClient } from '../support/dpop-client';
import { linkDevice, linkedDevice, type LinkedDevice } from '../support/link-helper';
import { startLinkStack, type LinkStack } from './account-link-stack';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(100);
  }
}

/** The defects of issue 11 (account linkage found in review), each proven against the real stack. */
describe('account linkage defects (issue 11)', () => {
  let s: LinkStack;

  beforeAll(async () => {
    s = await startLinkStack({
      env: {
        LINK_RATE_LIMIT_PER_DEVICE: '1000',
        LINK_RATE_LIMIT_PER_IP: '1000',
        SESSION_MAX_LIFETIME_DAYS: '1',
      },
    });
  });
  afterAll(async () => {
    await s.close();
  });

  const pendingRevocations = async (personId: string): Promise<number> =>
    (await s.db.query(`SELECT 1 FROM token_revocations WHERE person_id = $1`, [personId])).rowCount ?? 0;
  const getLink = (device: LinkedDevice) => s.as(device, { method: 'GET', url: '/v1/link' });

  it('re-linking revokes the replaced refresh token at the provider', async () => {
    const first = await linkDevice(s.app, 'tanaka-many');
    await waitFor(async () => (await pendingRevocations(first.userId)) === 0);
    s.oidc.resetStats();
    const second = await linkDevice(s.app, 'tanaka-many'); // a new phone (or a reinstall)
    expect(second.userId).toBe(first.userId);
    await waitFor(() => s.oidc.stats().revocation >= 1);
    await waitFor(async () => (await pendingRevocations(first.userId)) === 0);
    expect(s.oidc.stats().revocation).toBe(1);
  });

  describe('one person per device, proven by the key', () => {
    it("a deviceId alone never revokes another person's link", async () => {
      const victim = await linkDevice(s.app, 'sato-hanako', { deviceId: 'shared-label-0001' });
      // Somebody who learnt the victim's deviceId links their own account with it, on their own key.
      const other = await linkDevice(s.app, 'suzuki-ichiro', { deviceId: 'shared-label-0001' });
      expect((await getLink(victim)).statusCode).toBe(200);
      expect((await getLink(other)).statusCode).toBe(200);
    });

    it("linking with a key that holds another person's live link revokes that link and its grant", async () => {
      const key = await DpopClient.create();
      const before = await linkDevice(s.app, 'garcia-maria', { key });
      await waitFor(async () => (await pendingRevocations(before.userId)) === 0);
      s.oidc.resetStats();
      const after = await linkDevice(s.app, 'family-member', { key }); // the phone changed hands
      expect(after.userId).not.toBe(before.userId);
      const refused = await getLink(before);
      expect([refused.statusCode, refused.json().code]).toEqual([401, 'SESSION_REQUIRED']);
      expect((await getLink(after)).statusCode).toBe(200);
      const rows = await s.db.query(`SELECT revoked_reason FROM device_links WHERE person_id = $1`, [
        before.userId,
      ]);
      expect(rows.rows).toEqual([{ revoked_reason: 'device_relinked' }]);
      const tokens = await s.db.query(`SELECT 1 FROM provider_tokens WHERE person_id = $1`, [before.userId]);
      expect(tokens.rowCount).toBe(0);
      await waitFor(() => s.oidc.stats().revocation >= 1);
    });
  });

  it('two completions racing for one device key: no 500, one live link, the other grant revoked', async () => {
    const key = await DpopClient.create();
    const personas = ['ito-empty', 'tanaka-many'];
    const logins = [];
    for (const persona of personas) {
      const start = await s.injectDpop(key, {
        method: 'POST',
        url: '/v1/link/start',
        payload: { deviceId: 'racing-device-01', platform: 'ios' },
      });
      expect(start.statusCode).toBe(201);
      logins.push(await driveLogin(start.json<{ authorizationUrl: string }>().authorizationUrl, persona));
    }
    s.oidc.resetStats();
    // Make the race certain, not lucky: hold both completions at their token write, so that each
    // transaction has already looked for (and not seen) the other's device link. The codes are
    // exchanged by then, so a losing completion would orphan a live grant.
    const locker = new Client({ connectionString: process.env.DATABASE_URL });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE provider_tokens IN SHARE ROW EXCLUSIVE MODE');
    const completing = Promise.all(
      logins.map((login) =>
        s.injectDpop(key, {
          method: 'POST',
          url: '/v1/link/complete',
          payload: { state: login.state, code: login.code, deviceId: 'racing-device-01' },
        }),
      ),
    );
    try {
      await waitFor(async () => {
        const waiting = await s.db.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND application_name = 'myna-bff'`,
        );
        return waiting.rows[0].n >= 2;
      });
    } finally {
      await locker.query('COMMIT');
      await locker.end();
    }
    const answers = await completing;
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201]);
    const devices = answers.map((a) =>
      linkedDevice(s.app, { ...a.json<{ sessionToken: string; userId: string }>(), deviceId: 'x', key }),
    );
    const live = await s.db.query(
      `SELECT person_id FROM device_links WHERE dpop_jkt = $1 AND revoked_at IS NULL`,
      [key.thumbprint],
    );
    expect(live.rowCount).toBe(1);
    const winner = devices.find((d) => d.userId === live.rows[0].person_id)!;
    const loser = devices.find((d) => d !== winner)!;
    expect((await getLink(winner)).statusCode).toBe(200);
    expect((await getLink(loser)).statusCode).toBe(401);
    // The loser's grant is not orphaned: its tokens are gone and revoked at the provider.
    const tokens = await s.db.query(`SELECT 1 FROM provider_tokens WHERE person_id = $1`, [loser.userId]);
    expect(tokens.rowCount).toBe(0);
    await waitFor(() => s.oidc.stats().revocation >= 1);
    await waitFor(async () => (await pendingRevocations(loser.userId)) === 0);
  });

  it('a session ends at its absolute lifetime (SESSION_MAX_LIFETIME_DAYS), whatever refreshes did', async () => {
    const device = await linkDevice(s.app, 'sato-hanako');
    // Aged before its first use: linked_at never changes once written, so the app may keep what it
    // read (SessionRepository's cache); an update behind its back is not something it must see.
    await s.db.query(`UPDATE device_links SET linked_at = now() - interval '25 hours' WHERE person_id = $1`, [
      device.userId,
    ]);
    const expired = await getLink(device);
    expect([expired.statusCode, expired.json().code]).toEqual([401, 'LINK_EXPIRED']);
  });

  it('a stored token whose key was retired answers LINK_EXPIRED, counted and logged, never 500', async () => {
    const device = await linkDevice(s.app, 'suzuki-ichiro');
    const retired = new TokenCipher({
      get: () => ({ keys: new Map([['retired', randomBytes(32)]]), activeKeyId: 'retired' }),
    } as never);
    await s.db.query(
      `UPDATE provider_tokens SET access_token_enc = $2, refresh_token_enc = $3 WHERE person_id = $1`,
      [
        device.userId,
        retired.encrypt('old-access', `provider_tokens:${device.userId}:access`),
        retired.encrypt('old-refresh', `provider_tokens:${device.userId}:refresh`),
      ],
    );
    const res = await s.as(device, { method: 'GET', url: '/v1/notices' });
    expect([res.statusCode, res.json().code]).toEqual([401, 'LINK_EXPIRED']);
    const metrics = await s.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/token_revocations_skipped_total\{reason="undecryptable"\} [1-9]/);
    expect(s.app.logs.some((l) => l.event === 'token.revocation_skipped' && l.userId === device.userId)).toBe(
      true,
    );
    const tokens = await s.db.query(`SELECT 1 FROM provider_tokens WHERE person_id = $1`, [device.userId]);
    expect(tokens.rowCount).toBe(0);
    // The person links again, as the runbook says.
    const again = await linkDevice(s.app, 'suzuki-ichiro');
    expect((await s.as(again, { method: 'GET', url: '/v1/notices' })).statusCode).toBe(200);
  });
});
