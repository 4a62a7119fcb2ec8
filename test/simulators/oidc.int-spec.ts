import * as client from 'openid-client';
import { generateClientKeys } from './oidc/client-keys.js';
import { driveLogin, LoginRedirectError } from './oidc/drive-login.js';
import { DEFAULT_REDIRECT_URI, startOidcSimulator, type OidcSimulator } from './oidc/oidc-simulator.js';
import { discoverAsRp, linkPersona } from './oidc/rp-client.js';
import { personaById } from './personas.js';

describe('Digital Authentication App simulator', () => {
  const keys = generateClientKeys();
  let sim: OidcSimulator;
  let config: client.Configuration;

  beforeAll(async () => {
    sim = await startOidcSimulator({ clientJwks: keys.publicJwk, accessTokenTtl: 60, refreshTokenTtl: 600 });
    config = await discoverAsRp(sim, keys);
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.resetStats();
    sim.resetFaults();
  });

  it('publishes Keycloak-style endpoints under the realm issuer', () => {
    const meta = config.serverMetadata();
    expect(meta.issuer).toBe(`${sim.url}/api/realms/main`);
    expect(meta.authorization_endpoint).toBe(`${sim.issuer}/protocol/openid-connect/auth`);
    expect(meta.token_endpoint).toBe(`${sim.issuer}/protocol/openid-connect/token`);
    expect(meta.userinfo_endpoint).toBe(`${sim.issuer}/protocol/openid-connect/userinfo`);
    expect(meta.jwks_uri).toBe(`${sim.issuer}/protocol/openid-connect/certs`);
    expect(meta.revocation_endpoint).toBe(`${sim.issuer}/protocol/openid-connect/revoke`);
    expect(meta.response_types_supported).toEqual(['code']);
    expect(meta.code_challenge_methods_supported).toEqual(['S256']);
    expect(meta.id_token_signing_alg_values_supported).toContain('ES256');
  });

  it('runs code + PKCE + private_key_jwt, verifies the ID token, userinfo, refresh rotation and revocation', async () => {
    const persona = personaById('sato-hanako')!;
    const { tokens, login, nonce } = await linkPersona(config, persona.id, DEFAULT_REDIRECT_URI);

    expect(login.iss).toBe(sim.issuer);
    expect(login.session_state).toMatch(/^[0-9a-f-]{36}$/);
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({
      iss: sim.issuer,
      aud: 'RP00000001',
      sub: persona.subject,
      nonce,
      name: '佐藤 花子',
      birthdate: '1985-04-12',
      gender: 'female',
      address: persona.address,
    });
    const header = JSON.parse(Buffer.from(tokens.id_token!.split('.')[0], 'base64url').toString()) as {
      alg: string;
    };
    expect(header.alg).toBe('ES256');
    expect(tokens.expires_in).toBe(60);
    expect(tokens.refresh_expires_in).toBeGreaterThan(590);
    expect(tokens.refresh_token).toEqual(expect.any(String));

    const userinfo = await client.fetchUserInfo(config, tokens.access_token, persona.subject);
    expect(userinfo).toMatchObject({ sub: persona.subject, name: persona.name });

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).toEqual(expect.any(String));
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(sim.stats().token).toEqual({ authorization_code: 1, refresh_token: 1 });

    await client.tokenRevocation(config, refreshed.refresh_token!);
    await expect(client.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    expect(sim.stats().revocation).toBe(1);
  });

  it('rejects reuse of a rotated refresh token and revokes the whole grant', async () => {
    const { tokens } = await linkPersona(config, 'suzuki-ichiro', DEFAULT_REDIRECT_URI);
    const first = tokens.refresh_token!;
    const second = await client.refreshTokenGrant(config, first);

    await expect(client.refreshTokenGrant(config, first)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(client.refreshTokenGrant(config, second.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    await expect(sim.verifyAccessToken(second.access_token)).resolves.toBeNull();
  });

  it('verifies access tokens in-process and via introspection, and expires them', async () => {
    const short = await startOidcSimulator({ clientJwks: keys.publicJwk, accessTokenTtl: 1 });
    try {
      const rp = await discoverAsRp(short, keys);
      const { tokens } = await linkPersona(rp, 'family-member', DEFAULT_REDIRECT_URI);
      const subject = personaById('family-member')!.subject;
      await expect(short.verifyAccessToken(tokens.access_token)).resolves.toMatchObject({ sub: subject });
      const introspect = await fetch(`${short.issuer}/protocol/openid-connect/token/introspect`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${short.introspectionClient.clientId}:${short.introspectionClient.clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ token: tokens.access_token }),
      });
      expect(await introspect.json()).toMatchObject({ active: true, sub: subject });
      await new Promise((r) => setTimeout(r, 1100));
      await expect(short.verifyAccessToken(tokens.access_token)).resolves.toBeNull();
      await expect(short.verifyAccessToken('not-a-token')).resolves.toBeNull();
    } finally {
      await short.close();
    }
  });

  describe('rejects authorization requests the real provider rejects', () => {
    const base = async (): Promise<Record<string, string>> => ({
      redirect_uri: DEFAULT_REDIRECT_URI,
      scope: 'openid',
      state: 'st-1',
      nonce: 'n-1',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const attempt = async (change: (p: Record<string, string>) => void): Promise<unknown> => {
      const params = await base();
      change(params);
      return driveLogin(client.buildAuthorizationUrl(config, params).href, 'sato-hanako').catch(
        (e: unknown) => e,
      );
    };

    it.each([
      ['nonce', (p: Record<string, string>) => delete p.nonce, /nonce is required/],
      ['PKCE', (p: Record<string, string>) => delete p.code_challenge, /code_challenge/],
      [
        'plain PKCE',
        (p: Record<string, string>) => (p.code_challenge_method = 'plain'),
        /code_challenge_method/,
      ],
    ])('without %s', async (_name, change, description) => {
      const error = await attempt(change);
      expect(error).toBeInstanceOf(LoginRedirectError);
      expect((error as LoginRedirectError).error).toBe('invalid_request');
      expect((error as LoginRedirectError).errorDescription).toMatch(description);
    });

    it('without state', async () => {
      const error = await attempt((p) => delete p.state);
      expect((error as LoginRedirectError).errorDescription).toMatch(/state is required/);
    });

    it('with an unregistered redirect_uri (no redirect at all)', async () => {
      const error = await attempt((p) => (p.redirect_uri = 'https://evil.example/cb'));
      expect(String(error)).toMatch(/HTTP 400/);
    });

    it('with an unknown persona', async () => {
      const params = await base();
      const error = await driveLogin(client.buildAuthorizationUrl(config, params).href, 'nobody').catch(
        (e: unknown) => e,
      );
      expect((error as LoginRedirectError).error).toBe('access_denied');
    });
  });

  it('switches person when a later login_hint names someone else in the same browser', async () => {
    const browser = new Map<string, string>();
    const a = await linkPersona(config, 'sato-hanako', DEFAULT_REDIRECT_URI, 'openid name', browser);
    const b = await linkPersona(config, 'garcia-maria', DEFAULT_REDIRECT_URI, 'openid name', browser);
    expect(browser.size).toBeGreaterThan(0);
    expect(a.tokens.claims()!.sub).not.toBe(b.tokens.claims()!.sub);
    expect(b.tokens.claims()!.name).toBe('GARCIA MARIA');
  });

  it('does not let an unknown login_hint reuse the previous person of the browser session', async () => {
    const params = {
      redirect_uri: DEFAULT_REDIRECT_URI,
      scope: 'openid',
      state: 's',
      nonce: 'n',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    };
    const url = client.buildAuthorizationUrl(config, params).href;
    const jar = new Map<string, string>();
    await driveLogin(url, 'sato-hanako', jar);
    await expect(driveLogin(url, 'nobody', jar)).rejects.toMatchObject({ error: 'access_denied' });
  });

  it('accepts a native custom-scheme redirect URI next to the https one', async () => {
    const native = await startOidcSimulator({
      clientJwks: keys.publicJwk,
      redirectUris: [DEFAULT_REDIRECT_URI, 'jp.go.myna.app:/callback'],
    });
    try {
      const rp = await discoverAsRp(native, keys);
      const viaApp = await linkPersona(rp, 'sato-hanako', 'jp.go.myna.app:/callback');
      const viaWeb = await linkPersona(rp, 'sato-hanako', DEFAULT_REDIRECT_URI);
      expect(viaApp.login.callbackUrl).toMatch(/^jp\.go\.myna\.app:\/callback\?code=/);
      expect(viaWeb.tokens.claims()!.sub).toBe(viaApp.tokens.claims()!.sub);
    } finally {
      await native.close();
    }
  });

  it('counts token requests and can be taken down and slowed at /__control', async () => {
    const stats = await (await fetch(`${sim.url}/__control/stats`)).json();
    expect(stats).toEqual({ token: {}, authorization: 0, revocation: 0, introspection: 0, userinfo: 0 });

    await fetch(`${sim.url}/__control`, { method: 'PUT', body: JSON.stringify({ down: '503' }) });
    const unavailable = await fetch(`${sim.issuer}/.well-known/openid-configuration`);
    expect(unavailable.status).toBe(503);

    await fetch(`${sim.url}/__control`, { method: 'PUT', body: JSON.stringify({ down: 'refuse' }) });
    await expect(fetch(`${sim.issuer}/.well-known/openid-configuration`)).rejects.toThrow();

    await fetch(`${sim.url}/__control`, { method: 'PUT', body: JSON.stringify({ down: 'hang' }) });
    await expect(
      fetch(`${sim.issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(200) }),
    ).rejects.toMatchObject({ name: 'TimeoutError' });

    await fetch(`${sim.url}/__control`, {
      method: 'PUT',
      body: JSON.stringify({ down: null, latencyMs: 200 }),
    });
    const started = Date.now();
    const ok = await fetch(`${sim.issuer}/.well-known/openid-configuration`);
    expect(ok.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);

    const bad = await fetch(`${sim.url}/__control`, {
      method: 'PUT',
      body: JSON.stringify({ down: 'maybe' }),
    });
    expect(bad.status).toBe(400);
    await fetch(`${sim.url}/__control/reset`, { method: 'POST' });
    expect(await (await fetch(`${sim.url}/__control`)).json()).toEqual({ down: null, latencyMs: 0 });
  });
});
