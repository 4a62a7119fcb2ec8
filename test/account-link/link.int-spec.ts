import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { driveLogin } from '../simulators/oidc/drive-login';
import { DpopClient } from '../support/dpop-client';
import { linkDevice } from '../support/link-helper';
import { startLinkStack, testCipher, type LinkStack } from './account-link-stack';

const deviceId = (): string => `dev-${randomBytes(6).toString('hex')}`;

describe('account linkage (マイナポータル連携)', () => {
  let s: LinkStack;
  let redis: Redis;

  beforeAll(async () => {
    s = await startLinkStack({ env: { LINK_RATE_LIMIT_PER_DEVICE: '1000', LINK_RATE_LIMIT_PER_IP: '1000' } });
    redis = new Redis(process.env.REDIS_URL!, { keyPrefix: `${process.env.REDIS_KEY_PREFIX}:` });
  });
  afterAll(async () => {
    redis.disconnect();
    await s.close();
  });

  async function start(
    id = deviceId(),
  ): Promise<{ state: string; authorizationUrl: string; deviceId: string; key: DpopClient }> {
    const key = await DpopClient.create();
    const res = await s.injectDpop(key, {
      method: 'POST',
      url: '/v1/link/start',
      payload: { deviceId: id, platform: 'android' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json<{ state: string; authorizationUrl: string; expiresIn: number }>();
    return { ...body, deviceId: id, key };
  }

  it('links a persona and reports the link; the database holds no plaintext token', async () => {
    const started = await start();
    expect(started).toMatchObject({ expiresIn: 600, state: expect.any(String) });
    const url = new URL(started.authorizationUrl);
    expect(url.pathname).toBe('/api/realms/main/protocol/openid-connect/auth');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('nonce')).toBeTruthy();
    expect(url.searchParams.get('state')).toBe(started.state);
    expect(url.searchParams.get('code_verifier')).toBeNull();

    const login = await driveLogin(started.authorizationUrl, 'sato-hanako');
    const complete = await s.injectDpop(started.key, {
      method: 'POST',
      url: '/v1/link/complete',
      payload: {
        state: login.state,
        code: login.code,
        deviceId: started.deviceId,
        pushToken: 'push-token-abc',
        locale: 'en',
      },
    });
    expect(complete.statusCode).toBe(201);
    expect(complete.headers['cache-control']).toBe('no-store');
    const body = complete.json();
    expect(body.sessionToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.tokenType).toBe('DPoP');
    expect(new Date(body.sessionExpiresAt).getTime()).toBeGreaterThan(Date.now());

    const status = await s.injectDpop(started.key, { method: 'GET', url: '/v1/link' }, body.sessionToken);
    expect(status.statusCode).toBe(200);
    expect(status.headers['cache-control']).toBe('no-store');
    expect(status.json()).toEqual({
      userId: body.userId,
      deviceId: started.deviceId,
      platform: 'android',
      linkedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      accessTokenExpiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      refreshTokenExpiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    const tokenRows = await s.db.query(`SELECT * FROM provider_tokens WHERE person_id = $1`, [body.userId]);
    expect(tokenRows.rowCount).toBe(1);
    // Decrypted with the run's key, the stored access token is the one the provider issued for this person.
    const accessToken = testCipher().decrypt(
      tokenRows.rows[0].access_token_enc,
      `provider_tokens:${body.userId}:access`,
    );
    const refreshToken = testCipher().decrypt(
      tokenRows.rows[0].refresh_token_enc,
      `provider_tokens:${body.userId}:refresh`,
    );
    expect(await s.oidc.verifyAccessToken(accessToken)).toMatchObject({ sub: expect.any(String) });
    const secrets = [accessToken, refreshToken, body.sessionToken, 'push-token-abc', login.code];
    // Every text and binary value of every table, as text in each encoding a token could hide in.
    const tables = await s.db.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`);
    let dump = '';
    for (const { tablename } of tables.rows) {
      const rows = await s.db.query(`SELECT * FROM "${tablename}"`);
      for (const row of rows.rows) {
        for (const value of Object.values(row)) {
          if (Buffer.isBuffer(value))
            dump += `${value.toString('latin1')}\n${value.toString('hex')}\n${value.toString('base64')}\n`;
          else dump += `${JSON.stringify(value)}\n`;
        }
      }
    }
    for (const secret of secrets) expect(dump).not.toContain(secret);
    const stored = tokenRows.rows[0];
    expect(Buffer.isBuffer(stored.access_token_enc)).toBe(true);
    expect(stored.access_token_enc[0]).toBe(1); // format version
    expect(stored.access_token_enc.subarray(2, 2 + stored.access_token_enc[1]).toString()).toBe('k1'); // key id
  });

  it('refuses a reused state', async () => {
    const linked = await start();
    const login = await driveLogin(linked.authorizationUrl, 'suzuki-ichiro');
    const payload = { state: login.state, code: login.code, deviceId: linked.deviceId };
    expect(
      (await s.injectDpop(linked.key, { method: 'POST', url: '/v1/link/complete', payload })).statusCode,
    ).toBe(201);
    const again = await s.injectDpop(linked.key, {
      method: 'POST',
      url: '/v1/link/complete',
      payload,
      headers: { 'accept-language': 'en' },
    });
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({ code: 'LINK_STATE_INVALID', title: 'The link request is invalid' });
  });

  it('refuses an expired state', async () => {
    const started = await start();
    const login = await driveLogin(started.authorizationUrl, 'suzuki-ichiro');
    expect(await redis.ttl(`link:state:${started.state}`)).toBeGreaterThan(590);
    await redis.pexpire(`link:state:${started.state}`, 1);
    await new Promise((r) => setTimeout(r, 20));
    const res = await s.injectDpop(started.key, {
      method: 'POST',
      url: '/v1/link/complete',
      payload: { state: login.state, code: login.code, deviceId: started.deviceId },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('LINK_STATE_INVALID');
  });

  it('refuses a deviceId other than the one that started, and burns the state', async () => {
    const started = await start();
    const login = await driveLogin(started.authorizationUrl, 'suzuki-ichiro');
    const wrong = await s.injectDpop(started.key, {
      method: 'POST',
      url: '/v1/link/complete',
      payload: { state: login.state, code: login.code, deviceId: deviceId() },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().code).toBe('LINK_STATE_INVALID');
    const right = await s.injectDpop(started.key, {
      method: 'POST',
      url: '/v1/link/complete',
      payload: { state: login.state, code: login.code, deviceId: started.deviceId },
    });
    expect(right.json().code).toBe('LINK_STATE_INVALID');
  });

  it('answers UPSTREAM_AUTH_FAILED for a code from another flow (PKCE mismatch)', async () => {
    const a = await start();
    const b = await start();
    const loginB = await driveLogin(b.authorizationUrl, 'suzuki-ichiro');
    const res = await s.injectDpop(a.key, {
      method: 'POST',
      url: '/v1/link/complete',
      payload: { state: a.state, code: loginB.code, deviceId: a.deviceId },
    });
    expect(res.statusCode).toBe(502);
    expect(res.json().code).toBe('UPSTREAM_AUTH_FAILED');
  });

  it('answers UPSTREAM_AUTH_FAILED when the provider rejects the code', async () => {
    const a = await start();
    const res = await s.injectDpop(a.key, {
      method: 'POST',
      url: '/v1/link/complete',
      payload: { state: a.state, code: 'not-a-real-code', deviceId: a.deviceId },
    });
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({ code: 'UPSTREAM_AUTH_FAILED', status: 502 });
    expect(res.body).not.toContain('invalid_grant');
  });

  it('answers SESSION_REQUIRED without, with a malformed, or with an unknown session token (even with a good proof)', async () => {
    const key = await DpopClient.create();
    for (const headers of [{}, { authorization: 'DPoP short' }, { authorization: 'Bearer short' }]) {
      const res = await s.injectDpop(key, { method: 'GET', url: '/v1/link', headers });
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('SESSION_REQUIRED');
    }
    const unknown = await s.injectDpop(
      key,
      { method: 'GET', url: '/v1/link' },
      randomBytes(32).toString('base64url'),
    );
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().code).toBe('SESSION_REQUIRED');
  });

  it('logs the first device out and removes its push token when the person links a second device', async () => {
    const first = await start();
    const firstLogin = await driveLogin(first.authorizationUrl, 'family-member');
    const a = (
      await s.injectDpop(first.key, {
        method: 'POST',
        url: '/v1/link/complete',
        payload: {
          state: firstLogin.state,
          code: firstLogin.code,
          deviceId: first.deviceId,
          pushToken: 'push-of-device-a',
        },
      })
    ).json();
    const b = await linkDevice(s.app, 'family-member');
    expect(b.userId).toBe(a.userId);

    const aCall = await s.injectDpop(first.key, { method: 'GET', url: '/v1/link' }, a.sessionToken);
    expect(aCall.statusCode).toBe(401);
    expect(aCall.json().code).toBe('SESSION_REQUIRED');
    const bCall = await s.as(b, { method: 'GET', url: '/v1/link' });
    expect(bCall.statusCode).toBe(200);

    const rows = await s.db.query(
      `SELECT d.device_id, d.revoked_at, d.revoked_reason, r.token_enc AS push_token_enc FROM device_links d LEFT JOIN push_registrations r ON r.device_link_id = d.id WHERE d.person_id = $1 ORDER BY d.linked_at`,
      [a.userId],
    );
    const oldRow = rows.rows.find((r) => r.device_id === first.deviceId);
    expect(oldRow).toMatchObject({ revoked_reason: 'replaced', push_token_enc: null });
    expect(oldRow.revoked_at).not.toBeNull();
    expect(rows.rows.filter((r) => r.revoked_at === null)).toHaveLength(1);
  });

  it('writes audit lines for link and re-link without token values', async () => {
    const lines = s.app.logs.filter((l) => l.context === 'audit');
    expect(lines.map((l) => l.event)).toEqual(
      expect.arrayContaining(['link.created', 'link.relinked', 'link.revoked']),
    );
    const raw = s.app.rawLogs();
    expect(raw).not.toMatch(/"(accessToken|refreshToken|sessionToken|code)":"[^[]/);
    expect(raw).not.toContain('push-of-device-a');
  });
});

describe('link rate limits', () => {
  let s: LinkStack;
  beforeAll(async () => {
    s = await startLinkStack({ env: { LINK_RATE_LIMIT_PER_DEVICE: '3', LINK_RATE_LIMIT_PER_IP: '5' } });
  });
  afterAll(async () => {
    await s.close();
  });

  it('limits link start per device key (whatever deviceId it claims), then per IP, with Retry-After', async () => {
    // A client address of its own (a label for inject, no traffic), so other tests' counts don't mix in.
    const remoteAddress = `192.0.2.${1 + (randomBytes(1)[0] % 250)}`;
    const startFrom = (key: DpopClient, id: string) =>
      s.injectDpop(key, {
        method: 'POST',
        url: '/v1/link/start',
        payload: { deviceId: id, platform: 'ios' },
        remoteAddress,
      });
    const key = await DpopClient.create();
    const codes: number[] = [];
    // A fresh deviceId label each time: the key is what is counted.
    for (let i = 0; i < 4; i++) codes.push((await startFrom(key, deviceId())).statusCode);
    expect(codes).toEqual([201, 201, 201, 429]);
    const limited = await startFrom(key, deviceId());
    expect(limited.json().code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

    // Same IP, a fresh key: 5 of its 5 requests were counted, so the IP limit answers now.
    const other = await startFrom(await DpopClient.create(), deviceId());
    expect(other.statusCode).toBe(429);
  });
});
