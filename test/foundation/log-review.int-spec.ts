import {
  startMynaportalSimulator,
  type MynaportalSimulator,
} from '../simulators/mynaportal/mynaportal-simulator';
import { startOidcSimulator, type OidcSimulator } from '../simulators/oidc/oidc-simulator';
import { PERSONAS } from '../simulators/personas';
import { startTestApp, type TestApp } from '../support/test-app';
import { Credentials } from '../fuzz/credentials';
import { queryString, send } from '../fuzz/http-client';
import { listOperations, routeLabel, type OpenApiDocument, type Operation } from '../fuzz/openapi-operations';
import { plainRequest } from '../fuzz/request-arbitrary';

/**
 * Log review (STYLE.md 11, TARGETS.md): one valid request of every route of the served OpenAPI
 * document, plus an SSO ticket redeemed, with every log line captured at debug level. Each line
 * written while a request was served carries its request id, and no line holds a session token, a
 * DPoP proof, an SSO ticket, or the person's name, address, postal code or birthdate.
 */
describe('log review: one request of every route', () => {
  const persona = PERSONAS.find((p) => p.id === 'sato-hanako')!;
  let oidc: OidcSimulator;
  let portal: MynaportalSimulator;
  let app: TestApp;

  beforeAll(async () => {
    oidc = await startOidcSimulator({
      clientJwks: JSON.parse(process.env.TEST_OIDC_CLIENT_PUBLIC_JWK!) as never,
    });
    portal = await startMynaportalSimulator({ verifyAccessToken: oidc.verifyAccessToken });
    app = await startTestApp({
      listen: true,
      // the api role: queue workers log on their own schedule, outside any request
      env: { OIDC_ISSUER: oidc.issuer, MYNAPORTAL_BASE_URL: portal.url, APP_ROLE: 'api', LOG_LEVEL: 'debug' },
    });
  });
  afterAll(async () => {
    await app.close();
    await portal.close();
    await oidc.close();
  });

  it('every line of a request carries its id and none carries a secret or personal data', async () => {
    const doc = JSON.parse(
      (await send(app.url, { method: 'GET', target: '/docs/openapi.json', headers: {} })).body,
    ) as OpenApiDocument;
    // the session-ending call goes last, so the others run with a live session
    const ends = (op: Operation): boolean => op.method === 'DELETE';
    const operations = listOperations(doc).sort((a, b) => Number(ends(a)) - Number(ends(b)));
    const secrets = new Set<string>();
    const requestIds = new Set<string>();
    const linesBefore = app.logs.length;
    // the link itself (start, login, complete) is reviewed too
    const credentials = new Credentials({
      baseUrl: app.url,
      persona: persona.id,
      onLinkRequest: (headers, response) => {
        requestIds.add(String(response.headers['x-request-id']));
        secrets.add(headers.dpop);
        const token = (JSON.parse(response.body) as { sessionToken?: string; state?: string }).sessionToken;
        if (token) secrets.add(token);
      },
    });

    const call = async (
      method: string,
      target: string,
      headers: Record<string, string>,
      body?: string | Buffer,
    ) => {
      const res = await send(app.url, { method, target, headers, body });
      requestIds.add(String(res.headers['x-request-id']));
      if (headers.dpop) secrets.add(headers.dpop);
      return res;
    };
    const answered: string[] = [];
    for (const operation of operations) {
      const request = plainRequest(operation);
      const target = request.path + queryString(request.query);
      const auth = await credentials.headersFor(operation, 'valid', 0, {
        method: request.method,
        target,
        body: request.body,
      });
      const res = await call(request.method, target, { ...auth, ...request.headers }, request.body);
      credentials.observe(operation, 'valid', res);
      answered.push(`${routeLabel(operation)} → ${res.status}`);
      if (operation.path === '/v1/sso' && res.status === 201) {
        // redeem the ticket too: it must not reach the logs either
        const { redirectUrl } = JSON.parse(res.body) as { redirectUrl: string };
        const url = new URL(redirectUrl);
        secrets.add(url.searchParams.get('ticket')!);
        const redeemed = await call('GET', url.pathname + url.search, {});
        answered.push(`GET ${url.pathname} (ticket) → ${redeemed.status}`);
      }
    }
    process.stdout.write(`log review:\n${answered.join('\n')}\n`);
    expect(answered.length).toBeGreaterThan(operations.length);

    const lines = app.logs.slice(linesBefore);
    const raw = app.rawLogs().split('\n').slice(linesBefore).join('\n');
    expect(lines.length).toBeGreaterThan(operations.length);
    const withoutId = lines.filter((l) => typeof l.requestId !== 'string' || !requestIds.has(l.requestId));
    expect(withoutId).toEqual([]);
    const personal = [
      persona.name,
      ...persona.name.split(' '),
      persona.address.formatted,
      persona.address.postal_code,
      persona.birthdate,
      persona.birthdate.replace(/-/g, ''),
    ];
    // every app route carried a proof (and the session routes a token): at least one secret each
    const appRoutes = operations.filter(
      (o) => o.path.startsWith('/v1/') && o.path !== '/v1/webhooks/push' && o.path !== '/v1/sso/redirect',
    );
    expect(secrets.size).toBeGreaterThanOrEqual(appRoutes.length);
    for (const value of [...secrets, ...personal]) expect(raw).not.toContain(value);
    // and no token-looking field slipped through redaction
    expect(raw).not.toMatch(
      /"(sessionToken|accessToken|refreshToken|idToken|authorization|dpop)":"(?!\[Redacted\])/i,
    );
  });
});
