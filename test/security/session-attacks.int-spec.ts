import { driveLogin } from '../simulators/oidc/drive-login';
import { startLinkStack, type LinkStack } from '../account-link/account-link-stack';
import { DpopClient } from '../support/dpop-client';
import { linkDevice, type LinkedDevice } from '../support/link-helper';

/**
 * Session and token attacks (issue 12; TARGETS.md: a stolen session token used without the device
 * key, a replayed DPoP proof — refused, every time). Webhook replay is in test/push/webhook.int-spec.ts;
 * signature timing safety (every MAC and token compared with a length-guarded timingSafeEqual) is
 * checked over src/ by constant-time.spec.ts.
 */
describe('session and token attacks', () => {
  let s: LinkStack;
  let hanako: LinkedDevice;
  let ichiro: LinkedDevice;

  beforeAll(async () => {
    s = await startLinkStack();
    hanako = await linkDevice(s.app, 'sato-hanako');
    ichiro = await linkDevice(s.app, 'suzuki-ichiro');
  });
  afterAll(() => s.close());

  const refusedProof = (res: {
    statusCode: number;
    json: () => unknown;
    headers: Record<string, unknown>;
  }): void => {
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'DPOP_PROOF_INVALID' });
    expect(String(res.headers['www-authenticate'])).toMatch(/^DPoP /);
  };

  it("refuses a stolen session token used with the thief's own key, every time, and the owner goes on", async () => {
    const thief = await DpopClient.create();
    for (let i = 0; i < 5; i += 1) {
      refusedProof(await s.injectDpop(thief, { method: 'GET', url: '/v1/link' }, hanako.sessionToken));
    }
    expect((await s.as(hanako, { method: 'GET', url: '/v1/link' })).statusCode).toBe(200);
  });

  it('refuses a stolen session token sent as a plain bearer token, or as DPoP without a proof', async () => {
    const bearerOnly = await s.inject({
      method: 'GET',
      url: '/v1/link',
      headers: { authorization: `Bearer ${hanako.sessionToken}` },
    });
    expect(bearerOnly.statusCode).toBe(401);
    const noProof = await s.inject({
      method: 'GET',
      url: '/v1/link',
      headers: { authorization: `DPoP ${hanako.sessionToken}` },
    });
    refusedProof(noProof);
  });

  it('refuses a replayed DPoP proof', async () => {
    const headers = await hanako.auth('GET', '/v1/link');
    expect((await s.inject({ method: 'GET', url: '/v1/link', headers })).statusCode).toBe(200);
    refusedProof(await s.inject({ method: 'GET', url: '/v1/link', headers }));
  });

  it("never answers one person's session with another person's notice", async () => {
    const list = await s.as(hanako, { method: 'GET', url: '/v1/notices?limit=1' });
    expect(list.statusCode).toBe(200);
    const [notice] = list.json<{ items: { id: string }[] }>().items;
    expect((await s.as(hanako, { method: 'GET', url: `/v1/notices/${notice.id}` })).statusCode).toBe(200);
    const other = await s.as(ichiro, { method: 'GET', url: `/v1/notices/${notice.id}` });
    expect(other.statusCode).toBe(404);
    expect(other.json()).toMatchObject({ code: 'NOT_FOUND' });
    // nor a page of hers through her cursor
    const cursor = list.json<{ nextCursor: string }>().nextCursor;
    const page = await s.as(ichiro, {
      method: 'GET',
      url: `/v1/notices?cursor=${encodeURIComponent(cursor)}`,
    });
    expect(page.statusCode).toBe(400);
  });

  it('refuses a replayed SSO ticket', async () => {
    const created = await s.as(hanako, { method: 'POST', url: '/v1/sso', payload: {} });
    expect(created.statusCode).toBe(201);
    const url = new URL(created.json<{ redirectUrl: string }>().redirectUrl);
    const first = await s.inject({ method: 'GET', url: url.pathname + url.search });
    expect(first.statusCode).toBe(302);
    const replay = await s.inject({ method: 'GET', url: url.pathname + url.search });
    expect(replay.statusCode).toBe(400);
    expect(replay.headers['content-type']).toMatch(/^text\/html/);
  });

  it('refuses a replayed link state, and an authorization code replayed under a new state', async () => {
    const key = await DpopClient.create();
    const deviceId = 'device-replay-1';
    const start = await s.injectDpop(key, {
      method: 'POST',
      url: '/v1/link/start',
      payload: { deviceId, platform: 'ios' },
    });
    const login = await driveLogin(
      start.json<{ authorizationUrl: string }>().authorizationUrl,
      'garcia-maria',
    );
    const payload = { state: login.state, code: login.code, deviceId };
    expect((await s.injectDpop(key, { method: 'POST', url: '/v1/link/complete', payload })).statusCode).toBe(
      201,
    );
    const replayed = await s.injectDpop(key, { method: 'POST', url: '/v1/link/complete', payload });
    expect(replayed.statusCode).toBe(400);
    expect(replayed.json()).toMatchObject({ code: 'LINK_STATE_INVALID' });

    // the used code under a fresh state (and so a fresh PKCE verifier and nonce): the provider refuses it
    const again = await s.injectDpop(key, {
      method: 'POST',
      url: '/v1/link/start',
      payload: { deviceId, platform: 'ios' },
    });
    const freshState = new URL(again.json<{ authorizationUrl: string }>().authorizationUrl).searchParams.get(
      'state',
    );
    const codeReplay = await s.injectDpop(key, {
      method: 'POST',
      url: '/v1/link/complete',
      payload: { state: freshState, code: login.code, deviceId },
    });
    expect(codeReplay.statusCode).toBe(502);
    expect(codeReplay.json()).toMatchObject({ code: 'UPSTREAM_AUTH_FAILED' });
  });
});
