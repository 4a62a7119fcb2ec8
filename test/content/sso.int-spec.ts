import type { Redis } from 'ioredis';
import { ticketKey } from '../../src/modules/sso/sso-ticket.store';
import { REDIS } from '../../src/redis/redis.constants';
import { personaById } from '../simulators/personas';
import type { LinkedDevice } from '../support/link-helper';
import { startContentStack, type ContentStack } from './content-harness';

const PUBLIC_BASE_URL = 'https://bff.myna.example';

describe('SSO into Mynaportal web', () => {
  let stack: ContentStack;
  let sato: LinkedDevice;
  let suzuki: LinkedDevice;

  beforeAll(async () => {
    stack = await startContentStack({
      PUBLIC_BASE_URL,
      SSO_RETURN_TO_PREFIXES: '/notices,/settings/profile',
    });
    sato = await stack.link('sato-hanako');
    suzuki = await stack.link('suzuki-ichiro');
  });
  afterEach(() => stack.portal.reset());
  afterAll(() => stack.close());

  const issue = async (session: LinkedDevice, body: Record<string, unknown> = {}) =>
    stack.inject({
      method: 'POST',
      url: '/v1/sso',
      headers: await session.auth('POST', '/v1/sso'),
      payload: body,
    });

  const ticketOf = (redirectUrl: string): string => new URL(redirectUrl).searchParams.get('ticket')!;

  const open = (redirectUrl: string, headers: Record<string, string> = {}, remoteAddress?: string) => {
    const url = new URL(redirectUrl);
    return stack.inject({ method: 'GET', url: `${url.pathname}${url.search}`, headers, remoteAddress });
  };

  /** Follows the Location into the simulator's web page, as the browser would. */
  const landOn = async (location: string): Promise<string> => {
    const page = await fetch(location);
    expect(page.status).toBe(200);
    return page.text();
  };

  it('issues a one-time BFF URL and redirects it to the web page of the right person', async () => {
    const res = await issue(sato, { returnTo: '/notices/123' });
    expect(res.statusCode).toBe(201);
    const body = res.json<{ redirectUrl: string; expiresIn: number }>();
    expect(Object.keys(body).sort()).toEqual(['expiresIn', 'redirectUrl']);
    expect(body.expiresIn).toBe(60);
    expect(body.redirectUrl).toMatch(
      /^https:\/\/bff\.myna\.example\/v1\/sso\/redirect\?ticket=[A-Za-z0-9_-]{43}$/,
    );

    const redirect = await open(body.redirectUrl);
    expect(redirect.statusCode).toBe(302);
    expect(redirect.headers['cache-control']).toBe('no-store');
    expect(redirect.headers['referrer-policy']).toBe('no-referrer');
    const location = redirect.headers.location as string;
    expect(location.startsWith(`${stack.portal.url}/sso/login?`)).toBe(true);
    const html = await landOn(location);
    expect(html).toContain(personaById('sato-hanako')!.name);
    expect(html).toContain(personaById('sato-hanako')!.subject);
    expect(html).toContain('<code id="returnTo">/notices/123</code>');
  });

  it('HEAD (a link preview) never uses the ticket up; only GET redeems it', async () => {
    const { redirectUrl } = (await issue(sato)).json<{ redirectUrl: string }>();
    const url = new URL(redirectUrl);
    const head = await stack.inject({ method: 'HEAD', url: `${url.pathname}${url.search}` });
    expect(head.statusCode).toBe(200);
    expect(head.headers.location).toBeUndefined();
    expect(head.headers['cache-control']).toBe('no-store');
    expect(stack.portal.stats().requests['POST /api/v1/sso/sessions']).toBeUndefined();
    const get = await open(redirectUrl);
    expect(get.statusCode).toBe(302);
  });

  it('refuses a ticket whose device link was replaced since (the person linked another phone)', async () => {
    const old = await stack.link('garcia-maria');
    const { redirectUrl } = (await issue(old)).json<{ redirectUrl: string }>();
    await stack.link('garcia-maria'); // a new phone: the old device link is revoked, the person is not
    const res = await open(redirectUrl);
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('data-code="LINK_EXPIRED"');
    expect(stack.portal.stats().requests['POST /api/v1/sso/sessions']).toBeUndefined();
  });

  it('binds each ticket to the person who created it', async () => {
    const a = ticketOf((await issue(sato)).json<{ redirectUrl: string }>().redirectUrl);
    const b = ticketOf((await issue(suzuki)).json<{ redirectUrl: string }>().redirectUrl);
    // opened in any browser, by anyone, a ticket signs in only its creator
    const pageB = await landOn(
      (await open(`${PUBLIC_BASE_URL}/v1/sso/redirect?ticket=${b}`)).headers.location as string,
    );
    const pageA = await landOn(
      (await open(`${PUBLIC_BASE_URL}/v1/sso/redirect?ticket=${a}`)).headers.location as string,
    );
    expect(pageA).toContain(personaById('sato-hanako')!.subject);
    expect(pageA).not.toContain(personaById('suzuki-ichiro')!.subject);
    expect(pageB).toContain(personaById('suzuki-ichiro')!.subject);
    expect(pageB).toContain('<code id="returnTo">/</code>');
  });

  it('refuses a reused ticket with a small HTML page in the browser language', async () => {
    const { redirectUrl } = (await issue(sato)).json<{ redirectUrl: string }>();
    expect((await open(redirectUrl)).statusCode).toBe(302);
    const again = await open(redirectUrl);
    expect(again.statusCode).toBe(400);
    expect(again.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(again.headers['cache-control']).toBe('no-store');
    expect(again.headers['referrer-policy']).toBe('no-referrer');
    expect(again.headers['content-security-policy']).toContain("default-src 'none'");
    expect(again.body).toContain('data-code="SSO_TICKET_INVALID"');
    expect(again.body).toContain('<html lang="ja">');
    expect(again.body).toContain('マイナアプリに戻り');
    const en = await open(redirectUrl, { 'accept-language': 'en' });
    expect(en.statusCode).toBe(400);
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('Go back to the Myna App');
    // only one session was ever asked of the backend
    expect(stack.portal.stats().requests['POST /api/v1/sso/sessions']).toBe(1);
  });

  it('refuses an expired ticket', async () => {
    const { redirectUrl } = (await issue(sato)).json<{ redirectUrl: string }>();
    const redis = stack.app.app.get<Redis>(REDIS);
    // what 60 s of waiting would do
    expect(await redis.pexpire(ticketKey(ticketOf(redirectUrl)), 1)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const res = await open(redirectUrl);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('data-code="SSO_TICKET_INVALID"');
  });

  it('stores tickets only as hashes, for 60 s', async () => {
    const { redirectUrl } = (await issue(sato)).json<{ redirectUrl: string }>();
    const ticket = ticketOf(redirectUrl);
    const redis = stack.app.app.get<Redis>(REDIS);
    const ttl = await redis.ttl(ticketKey(ticket));
    expect(ttl).toBeGreaterThan(55);
    expect(ttl).toBeLessThanOrEqual(60);
    expect(await redis.get(ticketKey(ticket))).not.toContain(ticket);
    expect(await redis.exists(`sso:ticket:${ticket}`)).toBe(0);
  });

  it.each([
    ['missing', '/v1/sso/redirect'],
    ['malformed', '/v1/sso/redirect?ticket=abc'],
    ['unknown', `/v1/sso/redirect?ticket=${'A'.repeat(43)}`],
    ['repeated', `/v1/sso/redirect?ticket=${'A'.repeat(43)}&ticket=${'B'.repeat(43)}`],
  ])('refuses a %s ticket with the HTML page', async (_case, url) => {
    const res = await stack.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('data-code="SSO_TICKET_INVALID"');
  });

  it('refuses a ticket of a person who has since unlinked', async () => {
    const leaving = await stack.link('garcia-maria');
    const { redirectUrl } = (await issue(leaving)).json<{ redirectUrl: string }>();
    const unlink = await stack.inject({
      method: 'DELETE',
      url: '/v1/link',
      headers: await leaving.auth('DELETE', '/v1/link'),
    });
    expect(unlink.statusCode).toBe(204);
    const res = await open(redirectUrl);
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('data-code="LINK_EXPIRED"');
    expect(stack.portal.stats().requests['POST /api/v1/sso/sessions']).toBeUndefined();
  });

  it.each([
    '/admin',
    '//evil.example/notices',
    'https://evil.example/notices',
    '/notices/../admin',
    '/notices\\..\\admin',
    '/noticesX',
    '/notices%2F..%2Fadmin',
    'javascript:alert(1)',
    '/notices\r\nLocation: https://evil.example',
  ])('refuses returnTo %j with 400 VALIDATION_FAILED', async (returnTo) => {
    const res = await issue(sato, { returnTo });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'returnTo' }] });
  });

  it('refuses a non-string returnTo and unknown fields', async () => {
    expect((await issue(sato, { returnTo: 42 })).statusCode).toBe(400);
    expect((await issue(sato, { returnTo: null })).statusCode).toBe(400);
    expect((await issue(sato, { returnTo: '/notices', extra: 1 })).statusCode).toBe(400);
  });

  it('needs a session to issue', async () => {
    const res = await stack.inject({ method: 'POST', url: '/v1/sso', payload: {} });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'SESSION_REQUIRED' });
  });

  it('shows an HTML page for backend failures and never retries the session POST', async () => {
    const first = (await issue(sato)).json<{ redirectUrl: string }>().redirectUrl;
    stack.portal.setFaults({ status: 500 });
    const failed = await open(first);
    expect(failed.statusCode).toBe(502);
    expect(failed.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(failed.body).toContain('data-code="UPSTREAM_ERROR"');
    expect(failed.body).not.toContain('simulated_status');
    expect(stack.portal.stats().requests['POST /api/v1/sso/sessions']).toBe(1);

    const second = (await issue(sato)).json<{ redirectUrl: string }>().redirectUrl;
    stack.portal.setFaults({ status: null, down: 'refuse' });
    const down = await open(second, { 'accept-language': 'en' });
    expect(down.statusCode).toBe(503);
    expect(down.headers['retry-after']).toBeDefined();
    expect(down.body).toContain('data-code="UPSTREAM_UNAVAILABLE"');
    expect(down.body).toContain('Mynaportal cannot be reached');
  });

  it('rate-limits the redirect per client IP', async () => {
    let limited: Awaited<ReturnType<typeof open>> | undefined;
    for (let i = 0; i < 130 && !limited; i += 1) {
      const res = await open(
        `${PUBLIC_BASE_URL}/v1/sso/redirect?ticket=${'C'.repeat(43)}`,
        {},
        '203.0.113.9',
      );
      if (res.statusCode === 429) limited = res;
      else expect(res.statusCode).toBe(400);
    }
    expect(limited).toBeDefined();
    expect(limited!.headers['retry-after']).toBeDefined();
    expect(limited!.body).toContain('data-code="RATE_LIMITED"');
    // another address is not affected
    const other = await open(
      `${PUBLIC_BASE_URL}/v1/sso/redirect?ticket=${'C'.repeat(43)}`,
      {},
      '203.0.113.10',
    );
    expect(other.statusCode).toBe(400);
  });

  it('never writes tickets to the logs', async () => {
    const { redirectUrl } = (await issue(sato)).json<{ redirectUrl: string }>();
    await open(redirectUrl);
    await open(redirectUrl);
    expect(stack.app.rawLogs()).not.toContain(ticketOf(redirectUrl));
  });
});

describe('SSO login URL pinned to the configured Mynaportal web origin', () => {
  let stack: ContentStack;
  beforeAll(async () => {
    // The simulator's login URLs are on its own origin: not the one configured here.
    stack = await startContentStack({
      PUBLIC_BASE_URL,
      MYNAPORTAL_WEB_ORIGIN: 'https://web.mynaportal.example',
    });
  });
  afterAll(() => stack.close());

  it('refuses to redirect to a login URL on any other origin', async () => {
    const session = await stack.link('sato-hanako');
    const issued = await stack.inject({
      method: 'POST',
      url: '/v1/sso',
      headers: await session.auth('POST', '/v1/sso'),
      payload: {},
    });
    const url = new URL(issued.json<{ redirectUrl: string }>().redirectUrl);
    const res = await stack.inject({ method: 'GET', url: `${url.pathname}${url.search}` });
    expect(res.statusCode).toBe(502);
    expect(res.headers.location).toBeUndefined();
    expect(res.body).toContain('data-code="UPSTREAM_ERROR"');
  });
});
