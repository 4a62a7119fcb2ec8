import { randomBytes } from 'node:crypto';
import { driveLogin } from '../simulators/oidc/drive-login';
import { PERSONAS } from '../simulators/personas';
import { linkDevice } from '../support/link-helper';
import { TcpProxy } from '../support/tcp-proxy';
import { DpopClient } from '../support/dpop-client';
import { startLinkStack, type LinkStack } from './account-link-stack';

/**
 * TARGETS.md "Reliability": PostgreSQL unavailable → requests answer 503 quickly, no half-written
 * link. The app reaches PostgreSQL through a TCP proxy that drops every connection the moment the
 * app sends one chosen statement of a transaction: the database goes away mid-request.
 */
describe('PostgreSQL lost in the middle of a link or an unlink', () => {
  let s: LinkStack;
  let pg: TcpProxy;

  beforeAll(async () => {
    pg = TcpProxy.forUrl(process.env.DATABASE_URL!, 5432);
    await pg.start();
    s = await startLinkStack({
      env: { DATABASE_URL: pg.rewrite(process.env.DATABASE_URL!), APP_ROLE: 'api' },
    });
  });
  afterAll(async () => {
    await pg.restore().catch(() => undefined);
    await s.close();
    await pg.stop();
  });

  const subjectOf = (persona: string): string => PERSONAS.find((p) => p.id === persona)!.subject;

  const rowsOf = async (subject: string): Promise<Record<string, number>> => {
    const { rows } = await s.db.query<{ people: number; links: number; tokens: number }>(
      `SELECT (SELECT count(*)::int FROM people WHERE subject = $1) AS people,
              (SELECT count(*)::int FROM device_links d JOIN people p ON p.id = d.person_id WHERE p.subject = $1) AS links,
              (SELECT count(*)::int FROM provider_tokens t JOIN people p ON p.id = t.person_id WHERE p.subject = $1) AS tokens`,
      [subject],
    );
    return rows[0];
  };

  it.each([
    ['binding the device', 'suzuki-ichiro', 'INSERT INTO device_links'],
    ['storing the tokens', 'garcia-maria', 'INSERT INTO provider_tokens'],
  ])(
    'loses the database while %s: a fast 503, nothing of the link written, and linking again works',
    async (_step, persona, statement) => {
      const deviceId = `dev-${randomBytes(6).toString('hex')}`;
      const key = await DpopClient.create();
      const start = await s.injectDpop(key, {
        method: 'POST',
        url: '/v1/link/start',
        payload: { deviceId, platform: 'ios' },
      });
      expect(start.statusCode).toBe(201);
      const login = await driveLogin(start.json<{ authorizationUrl: string }>().authorizationUrl, persona);

      const cut = pg.cutWhenClientSends(statement);
      const started = Date.now();
      const res = await s.injectDpop(key, {
        method: 'POST',
        url: '/v1/link/complete',
        payload: { state: login.state, code: login.code, deviceId },
      });
      await cut;
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
        requestId: res.headers['x-request-id'],
      });
      expect(Date.now() - started).toBeLessThan(5000);

      await pg.restore();
      // the transaction was rolled back as a whole: no person, no device link, no tokens
      expect(await rowsOf(subjectOf(persona))).toEqual({ people: 0, links: 0, tokens: 0 });
      const again = await linkDevice(s.app, persona);
      expect(await rowsOf(subjectOf(persona))).toEqual({ people: 1, links: 1, tokens: 1 });
      expect((await s.as(again, { method: 'GET', url: '/v1/link' })).statusCode).toBe(200);
    },
  );

  it('loses the database while unlinking: a fast 503, the link stays whole, and unlinking again works', async () => {
    const device = await linkDevice(s.app, 'family-member');
    const cut = pg.cutWhenClientSends('INSERT INTO token_revocations');
    const res = await s.as(device, { method: 'DELETE', url: '/v1/link' });
    await cut;
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    await pg.restore();

    // all or nothing: the session still works and the tokens are still there
    expect(await rowsOf(subjectOf('family-member'))).toEqual({ people: 1, links: 1, tokens: 1 });
    expect((await s.as(device, { method: 'GET', url: '/v1/link' })).statusCode).toBe(200);
    const retry = await s.as(device, { method: 'DELETE', url: '/v1/link' });
    expect(retry.statusCode).toBe(204);
    expect((await rowsOf(subjectOf('family-member'))).tokens).toBe(0);
  });
});
