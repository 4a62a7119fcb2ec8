import { generateKeyPair, exportJWK, SignJWT } from 'jose';
import { driveLogin } from '../simulators/oidc/drive-login';
import { DpopClient, accessTokenHash } from '../support/dpop-client';
import { linkDevice, type LinkedDevice } from '../support/link-helper';
import { startLinkStack, type LinkStack } from './account-link-stack';

const INVALID = 'DPoP error="invalid_dpop_proof", algs="ES256"';

/** API.md "Device binding (DPoP, RFC 9449)": every rule, against two app instances on one Redis. */
describe('device binding (DPoP)', () => {
  let s: LinkStack;
  let device: LinkedDevice;
  let origin: string;

  beforeAll(async () => {
    s = await startLinkStack({ apps: 2 });
    origin = s.app.config.app.publicBaseUrl;
    device = await linkDevice(s.app, 'sato-hanako');
  });
  afterAll(async () => {
    await s.close();
  });

  const url = (path: string): string => `${origin}${path}`;
  const getLink = (headers: Record<string, string>, appIndex = 0) =>
    s.inject({ method: 'GET', url: '/v1/link', headers }, appIndex);

  function expectRefused(res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }) {
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'DPOP_PROOF_INVALID' });
    expect(res.headers['www-authenticate']).toBe(INVALID);
  }

  it('accepts the session with a proof by its key (ath, htm, htu), on either instance', async () => {
    expect((await getLink(await device.auth('GET', '/v1/link'), 0)).statusCode).toBe(200);
    expect((await getLink(await device.auth('GET', '/v1/link'), 1)).statusCode).toBe(200);
  });

  it('accepts a proof signed synchronously (proofSync, as the benchmarks sign)', async () => {
    const dpop = device.key.proofSync({ htm: 'GET', htu: url('/v1/link'), accessToken: device.sessionToken });
    expect((await getLink({ authorization: `DPoP ${device.sessionToken}`, dpop })).statusCode).toBe(200);
  });

  it('refuses a session token without a proof', async () => {
    expectRefused(await getLink({ authorization: `DPoP ${device.sessionToken}` }));
  });

  it('refuses the same token presented as Bearer, even with a good proof', async () => {
    const headers = await device.auth('GET', '/v1/link');
    expectRefused(await getLink({ ...headers, authorization: `Bearer ${device.sessionToken}` }));
  });

  it("refuses a proof by another key than the session's", async () => {
    const thief = await DpopClient.create();
    expectRefused(await getLink(await thief.headers('GET', url('/v1/link'), device.sessionToken)));
  });

  it('refuses a jti replayed to the same or to another instance', async () => {
    const headers = await device.auth('GET', '/v1/link');
    expect((await getLink(headers, 0)).statusCode).toBe(200);
    expectRefused(await getLink(headers, 1));
    expectRefused(await getLink(headers, 0));
  });

  it.each([
    ['htm', { htm: 'POST' }],
    ['htu (another path)', { htu: 'ORIGIN/v1/notices' }],
    ['htu (another origin)', { htu: 'https://evil.example/v1/link' }],
    ['ath (another token)', { ath: accessTokenHash('another-token') }],
    ['typ', { header: { typ: 'JWT' } }],
    ['jti too long', { jti: 'j'.repeat(65) }],
  ])('refuses a wrong %s', async (_name, override: Record<string, unknown>) => {
    const proof = await device.key.proof({
      htm: 'GET',
      htu: url('/v1/link'),
      accessToken: device.sessionToken,
      ...override,
      ...(typeof override.htu === 'string' ? { htu: override.htu.replace('ORIGIN', origin) } : {}),
    });
    expectRefused(await getLink({ authorization: `DPoP ${device.sessionToken}`, dpop: proof }));
  });

  it('refuses a proof without ath on a session call', async () => {
    const proof = await device.key.proof({ htm: 'GET', htu: url('/v1/link') });
    expectRefused(await getLink({ authorization: `DPoP ${device.sessionToken}`, dpop: proof }));
  });

  it('accepts htu with a query string stripped, as RFC 9449 compares', async () => {
    const proof = await device.key.proof({
      htm: 'GET',
      htu: url('/v1/link?x=1'),
      accessToken: device.sessionToken,
    });
    expect((await getLink({ authorization: `DPoP ${device.sessionToken}`, dpop: proof })).statusCode).toBe(
      200,
    );
  });

  it('refuses alg none and HS256', async () => {
    const claims = {
      jti: crypto.randomUUID(),
      htm: 'GET',
      htu: url('/v1/link'),
      iat: Math.floor(Date.now() / 1000),
      ath: accessTokenHash(device.sessionToken),
    };
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const none = `${b64({ typ: 'dpop+jwt', alg: 'none', jwk: device.key.publicJwk })}.${b64(claims)}.`;
    expectRefused(await getLink({ authorization: `DPoP ${device.sessionToken}`, dpop: none }));
    const hs256 = await new SignJWT(claims)
      .setProtectedHeader({ typ: 'dpop+jwt', alg: 'HS256', jwk: device.key.publicJwk })
      .sign(new TextEncoder().encode('a shared secret of at least 32 bytes!!'));
    expectRefused(await getLink({ authorization: `DPoP ${device.sessionToken}`, dpop: hs256 }));
  });

  it('refuses a proof that carries the private key in its header', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const privateJwk = await exportJWK(privateKey);
    const leaky = await DpopClient.fromPrivateJwk(privateJwk);
    const proof = await leaky.proof({
      htm: 'POST',
      htu: url('/v1/link/start'),
      header: { jwk: { ...leaky.publicJwk, d: privateJwk.d } },
    });
    const res = await s.inject({
      method: 'POST',
      url: '/v1/link/start',
      headers: { dpop: proof },
      payload: { deviceId: 'device-leaky-1', platform: 'ios' },
    });
    expectRefused(res);
  });

  it('refuses link start without a proof, or with two', async () => {
    const payload = { deviceId: 'device-noproof', platform: 'ios' };
    expectRefused(await s.inject({ method: 'POST', url: '/v1/link/start', payload }));
    const key = await DpopClient.create();
    const one = await key.proof({ htm: 'POST', htu: url('/v1/link/start') });
    const two = await key.proof({ htm: 'POST', htu: url('/v1/link/start') });
    expectRefused(
      await s.inject({
        method: 'POST',
        url: '/v1/link/start',
        payload,
        headers: { dpop: [one, two] },
      }),
    );
  });

  it('a skewed clock gets use_dpop_nonce and a nonce, then is accepted with it (on any instance)', async () => {
    const skewedIat = Math.floor(Date.now() / 1000) - 3 * 3600; // an elderly user's phone, 3 h late
    const first = await getLink({
      authorization: `DPoP ${device.sessionToken}`,
      dpop: await device.key.proof({
        htm: 'GET',
        htu: url('/v1/link'),
        accessToken: device.sessionToken,
        iat: skewedIat,
        nonce: null,
      }),
    });
    expect(first.statusCode).toBe(401);
    expect(first.json()).toMatchObject({ code: 'DPOP_PROOF_INVALID' });
    expect(String(first.headers['www-authenticate'])).toMatch(/^DPoP error="use_dpop_nonce"/);
    const nonce = String(first.headers['dpop-nonce']);
    expect(nonce).toMatch(/^[A-Za-z0-9_-]+\.[0-9a-z]+\.[A-Za-z0-9_-]{22}$/);

    for (const appIndex of [0, 1]) {
      const retry = await getLink(
        {
          authorization: `DPoP ${device.sessionToken}`,
          dpop: await device.key.proof({
            htm: 'GET',
            htu: url('/v1/link'),
            accessToken: device.sessionToken,
            iat: skewedIat,
            nonce,
          }),
        },
        appIndex,
      );
      expect(retry.statusCode).toBe(200);
      expect(retry.headers['dpop-nonce']).toEqual(expect.any(String));
    }

    // A nonce we never issued is no substitute for the clock.
    const forged = await getLink({
      authorization: `DPoP ${device.sessionToken}`,
      dpop: await device.key.proof({
        htm: 'GET',
        htu: url('/v1/link'),
        accessToken: device.sessionToken,
        iat: skewedIat,
        nonce: `${nonce.split('.').slice(0, 2).join('.')}.AAAAAAAAAAAAAAAAAAAAAA`,
      }),
    });
    expect(forged.statusCode).toBe(401);
    expect(String(forged.headers['www-authenticate'])).toMatch(/use_dpop_nonce/);
  });

  it('link/complete must be signed by the key that started the link', async () => {
    const key = await DpopClient.create();
    const other = await DpopClient.create();
    const deviceId = 'device-two-keys';
    const start = await s.injectDpop(key, {
      method: 'POST',
      url: '/v1/link/start',
      payload: { deviceId, platform: 'ios' },
    });
    const login = await driveLogin(
      start.json<{ authorizationUrl: string }>().authorizationUrl,
      'suzuki-ichiro',
    );
    const res = await s.injectDpop(other, {
      method: 'POST',
      url: '/v1/link/complete',
      payload: { state: login.state, code: login.code, deviceId },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('LINK_STATE_INVALID');
  });

  it('stores the key thumbprint (RFC 7638) with the device link', async () => {
    const row = await s.db.query(
      `SELECT dpop_jkt FROM device_links WHERE person_id = $1 AND revoked_at IS NULL`,
      [device.userId],
    );
    expect(row.rows).toEqual([{ dpop_jkt: device.key.thumbprint }]);
  });
});
