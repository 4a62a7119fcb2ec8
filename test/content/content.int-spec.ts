import { personaById } from '../simulators/personas';
import type { LinkedDevice } from '../support/link-helper';
import { startContentStack, type ContentStack } from './content-harness';

interface NoticeSummary {
  id: string;
  title: string;
  sender: string;
  category: string;
  publishedAt: string;
  read: boolean;
}

describe('notices, todos and insurance through the Mynaportal simulator', () => {
  let stack: ContentStack;
  const sessions: Record<string, LinkedDevice> = {};

  beforeAll(async () => {
    stack = await startContentStack();
    for (const persona of [
      'sato-hanako',
      'tanaka-many',
      'suzuki-ichiro',
      'family-member',
      'garcia-maria',
      'ito-empty',
    ]) {
      sessions[persona] = await stack.link(persona);
    }
  });
  afterAll(() => stack.close());

  describe('GET /v1/notices', () => {
    it('returns the contract fields, 20 by default, newest first', async () => {
      const res = await stack.get('/v1/notices', sessions['sato-hanako']);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const body = res.json<{ items: NoticeSummary[]; nextCursor: string | null }>();
      expect(body.items).toHaveLength(20);
      expect(typeof body.nextCursor).toBe('string');
      for (const item of body.items) {
        expect(Object.keys(item).sort()).toEqual([
          'category',
          'id',
          'publishedAt',
          'read',
          'sender',
          'title',
        ]);
        expect(item.publishedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
        expect(typeof item.read).toBe('boolean');
      }
      const times = body.items.map((i) => Date.parse(i.publishedAt));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
    });

    it('answers 400, not 404, for an over-long notice id', async () => {
      const res = await stack.get(`/v1/notices/${'a'.repeat(500)}`, sessions['sato-hanako']);
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    });

    it("passes the app's request id on to the Mynaportal backend", async () => {
      const res = await stack.get('/v1/notices?limit=1', sessions['sato-hanako'], {
        'x-request-id': 'app-req-12345678',
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-request-id']).toBe('app-req-12345678');
      expect(stack.portal.stats().requestIds).toContain('app-req-12345678');
    });

    it('walks thousands of notices page by page without duplicates or gaps', async () => {
      const persona = personaById('tanaka-many')!;
      const ids: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const url: string = `/v1/notices?limit=100${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await stack.get(url, sessions['tanaka-many']);
        expect(res.statusCode).toBe(200);
        const body = res.json<{ items: NoticeSummary[]; nextCursor: string | null }>();
        ids.push(...body.items.map((i) => i.id));
        cursor = body.nextCursor;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(Math.ceil(persona.noticeCount / 100));
      expect(ids).toHaveLength(persona.noticeCount);
      expect(new Set(ids).size).toBe(persona.noticeCount);
      // no gaps: the simulator numbers a person's notices 0..n-1 in its ids
      const indexes = ids.map((id) => Number(id.slice(-6)));
      expect(indexes).toEqual([...Array(persona.noticeCount).keys()]);
    });

    it('picks English texts where the backend has them, Japanese otherwise', async () => {
      const ja = (await stack.get('/v1/notices?limit=30', sessions['sato-hanako'])).json<{
        items: NoticeSummary[];
      }>();
      const en = (
        await stack.get('/v1/notices?limit=30', sessions['sato-hanako'], {
          'accept-language': 'en-US,en;q=0.9',
        })
      ).json<{ items: NoticeSummary[] }>();
      expect(en.items.map((i) => i.id)).toEqual(ja.items.map((i) => i.id));
      const translated = en.items.filter((item, i) => item.title !== ja.items[i].title);
      const untranslated = en.items.filter((item, i) => item.title === ja.items[i].title);
      expect(translated.length).toBeGreaterThan(0);
      expect(untranslated.length).toBeGreaterThan(0);
      for (const item of translated) expect(item.title).toMatch(/^[\x20-\x7e]+$/);
      for (const item of untranslated) expect(item.title).toMatch(/[^\x20-\x7e]/);
    });

    it('answers an empty list for a person without notices', async () => {
      const res = await stack.get('/v1/notices', sessions['ito-empty']);
      expect(res.json()).toEqual({ items: [], nextCursor: null });
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=1&limit=2', 'limit'],
      ['cursor=%2F..%2Fadmin', 'cursor'],
      ['cursor=bm90LW91cnM', 'cursor'],
      ['unknown=1', 'unknown'],
    ])('refuses %s with 400 VALIDATION_FAILED', async (query, field) => {
      const res = await stack.get(`/v1/notices?${query}`, sessions['sato-hanako']);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = res.json<{ code: string; errors: { field: string }[] }>();
      expect(problem.code).toBe('VALIDATION_FAILED');
      expect(problem.errors.map((e) => e.field)).toContain(field);
    });

    it("refuses another person's cursor", async () => {
      const theirs = (await stack.get('/v1/notices', sessions['tanaka-many'])).json<{ nextCursor: string }>();
      const res = await stack.get(`/v1/notices?cursor=${theirs.nextCursor}`, sessions['sato-hanako']);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'cursor' }] });
    });

    it('needs a session', async () => {
      const res = await stack.inject({ method: 'GET', url: '/v1/notices' });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ code: 'SESSION_REQUIRED' });
    });
  });

  describe('GET /v1/notices/{id}', () => {
    it('returns the detail with the contract fields and marks it read upstream', async () => {
      const session = sessions['suzuki-ichiro'];
      const list = (await stack.get('/v1/notices?limit=5', session)).json<{ items: NoticeSummary[] }>();
      const target = list.items[2];
      expect(target.read).toBe(false);
      const res = await stack.get(`/v1/notices/${target.id}`, session);
      expect(res.statusCode).toBe(200);
      const detail = res.json<Record<string, unknown>>();
      expect(Object.keys(detail).sort()).toEqual(
        ['body', 'category', 'id', 'links', 'publishedAt', 'read', 'sender', 'title'].sort(),
      );
      expect(detail).toMatchObject({ id: target.id, title: target.title, sender: target.sender, read: true });
      expect(detail.links).toEqual([{ label: '詳しくはこちら', url: expect.stringMatching(/^https:\/\//) }]);
      const again = (await stack.get('/v1/notices?limit=5', session)).json<{ items: NoticeSummary[] }>();
      expect(again.items[2]).toMatchObject({ id: target.id, read: true });
      expect(again.items[1].read).toBe(false);
    });

    it('answers 404 NOT_FOUND for an unknown id or a notice of another person', async () => {
      const theirs = (await stack.get('/v1/notices?limit=1', sessions['tanaka-many'])).json<{
        items: NoticeSummary[];
      }>();
      for (const id of ['ntc-0000000000-000001', theirs.items[0].id]) {
        const res = await stack.get(`/v1/notices/${id}`, sessions['sato-hanako']);
        expect(res.statusCode).toBe(404);
        expect(res.json()).toMatchObject({ code: 'NOT_FOUND', status: 404 });
      }
    });

    it('refuses an id outside the safe charset or too long with 400, without asking the backend', async () => {
      stack.portal.reset();
      for (const id of ['..%2F..%2Fadmin', '%00', 'a%20b', '-leading-dash', 'x'.repeat(129), 'ntc%3Fx%3D1']) {
        const res = await stack.get(`/v1/notices/${id}`, sessions['sato-hanako']);
        expect(res.statusCode).toBe(400);
        expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'id' }] });
      }
      expect(stack.portal.stats().requests['GET /api/v1/notices/:noticeId']).toBeUndefined();
    });
  });

  describe('ETag and If-None-Match', () => {
    it('answers 304 without a body when nothing changed, 200 when it did', async () => {
      const session = sessions['garcia-maria'];
      const first = await stack.get('/v1/notices?limit=3', session);
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
      expect(first.headers['cache-control']).toBe('private, no-cache');
      const notModified = await stack.get('/v1/notices?limit=3', session, { 'if-none-match': etag });
      expect(notModified.statusCode).toBe(304);
      expect(notModified.body).toBe('');
      expect(notModified.headers.etag).toBe(etag);
      // another language is another representation
      const en = await stack.get('/v1/notices?limit=3', session, {
        'if-none-match': etag,
        'accept-language': 'en',
      });
      expect(en.statusCode).toBe(200);
      expect(en.headers.etag).not.toBe(etag);
      // reading a notice changes the list (read flag): the old ETag no longer matches
      const id = first.json<{ items: NoticeSummary[] }>().items[0].id;
      const detail = await stack.get(`/v1/notices/${id}`, session);
      expect(detail.headers.etag).toMatch(/^W\//);
      const detailAgain = await stack.get(`/v1/notices/${id}`, session, {
        'if-none-match': detail.headers.etag as string,
      });
      expect(detailAgain.statusCode).toBe(304);
      const changed = await stack.get('/v1/notices?limit=3', session, { 'if-none-match': etag });
      expect(changed.statusCode).toBe(200);
      expect(changed.headers.etag).not.toBe(etag);
    });

    it('works on the to-do list too', async () => {
      const first = await stack.get('/v1/todos', sessions['garcia-maria']);
      const again = await stack.get('/v1/todos', sessions['garcia-maria'], {
        'if-none-match': first.headers.etag as string,
      });
      expect(again.statusCode).toBe(304);
    });
  });

  describe('GET /v1/todos', () => {
    it('returns the contract fields and pages through hundreds without duplicates', async () => {
      const persona = personaById('tanaka-many')!;
      const items: Record<string, unknown>[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/v1/todos?limit=100${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await stack.get(url, sessions['tanaka-many']);
        expect(res.statusCode).toBe(200);
        const body = res.json<{ items: Record<string, unknown>[]; nextCursor: string | null }>();
        items.push(...body.items);
        cursor = body.nextCursor;
      } while (cursor);
      expect(items).toHaveLength(persona.todoCount);
      expect(new Set(items.map((i) => i.id)).size).toBe(persona.todoCount);
      for (const item of items) {
        expect(Object.keys(item).sort()).toEqual([
          'description',
          'dueDate',
          'id',
          'sender',
          'status',
          'title',
          'url',
        ]);
        expect(['open', 'done']).toContain(item.status);
        if (item.dueDate !== null) expect(item.dueDate).toMatch(/^\d{4}-\d\d-\d\d$/);
      }
      expect(items.some((i) => i.status === 'done')).toBe(true);
      expect(items.some((i) => i.dueDate === null)).toBe(true);
    });

    it('refuses a notices cursor on the to-do list', async () => {
      const notices = (await stack.get('/v1/notices', sessions['sato-hanako'])).json<{
        nextCursor: string;
      }>();
      const res = await stack.get(`/v1/todos?cursor=${notices.nextCursor}`, sessions['sato-hanako']);
      expect(res.statusCode).toBe(400);
    });
  });

  describe('GET /v1/insurance/qualification', () => {
    it('maps the オンライン資格確認 record of the insured person', async () => {
      const res = await stack.get('/v1/insurance/qualification', sessions['sato-hanako']);
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const body = res.json<Record<string, unknown>>();
      expect(body).toEqual({
        insurerNumber: '01130012',
        insurerName: '全国健康保険協会 東京支部',
        symbol: '4010',
        number: '123456',
        branch: '00',
        relationship: 'self',
        qualifiedSince: '2008-04-01',
        validFrom: '2024-04-01',
        validUntil: '2029-12-31',
        copaymentRatio: 0.3,
        status: 'valid',
        checkedAt: expect.any(String),
      });
      expect(Math.abs(Date.parse(body.checkedAt as string) - Date.now())).toBeLessThan(10_000);
    });

    it('maps a dependent, a card without expiry and a lost qualification', async () => {
      const family = (await stack.get('/v1/insurance/qualification', sessions['family-member'])).json();
      expect(family).toMatchObject({
        relationship: 'family',
        branch: '02',
        copaymentRatio: 0.2,
        status: 'valid',
      });
      const noExpiry = (await stack.get('/v1/insurance/qualification', sessions['suzuki-ichiro'])).json();
      expect(noExpiry).toMatchObject({ validUntil: null, status: 'valid' });
      const lost = (await stack.get('/v1/insurance/qualification', sessions['garcia-maria'])).json();
      expect(lost).toMatchObject({ status: 'invalid' });
    });

    it('answers 404 NOT_FOUND when the backend has no record', async () => {
      const res = await stack.get('/v1/insurance/qualification', sessions['ito-empty']);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('OpenAPI', () => {
    it('documents the routes and response shapes of the contract', async () => {
      const res = await stack.inject({ method: 'GET', url: '/docs/openapi.json' });
      const doc = res.json<{
        paths: Record<string, Record<string, { security?: unknown }>>;
        components: {
          schemas: Record<string, { properties?: Record<string, unknown> }>;
          securitySchemes: Record<string, Record<string, string>>;
        };
      }>();
      // Device-bound sessions: the session routes need the DPoP token and a proof, together.
      expect(doc.components.securitySchemes.session).toMatchObject({ type: 'http', scheme: 'DPoP' });
      expect(doc.components.securitySchemes.dpop).toMatchObject({
        type: 'apiKey',
        in: 'header',
        name: 'DPoP',
      });
      for (const [path, method] of [
        ['/v1/notices', 'get'],
        ['/v1/todos', 'get'],
        ['/v1/insurance/qualification', 'get'],
        ['/v1/sso', 'post'],
        ['/v1/link', 'get'],
        ['/v1/link', 'delete'],
      ]) {
        expect(doc.paths[path][method].security).toEqual([{ session: [], dpop: [] }]);
      }
      expect(doc.paths['/v1/link/complete'].post.security).toEqual([{ dpop: [] }]);

      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          '/v1/notices',
          '/v1/notices/{id}',
          '/v1/todos',
          '/v1/insurance/qualification',
          '/v1/sso',
          '/v1/sso/redirect',
        ]),
      );
      const props = (name: string): string[] =>
        Object.keys(doc.components.schemas[name]?.properties ?? {}).sort();
      expect(props('NoticePageDto')).toEqual(['items', 'nextCursor']);
      expect(props('NoticeDto')).toEqual(
        ['body', 'category', 'id', 'links', 'publishedAt', 'read', 'sender', 'title'].sort(),
      );
      expect(props('TodoDto')).toEqual(['description', 'dueDate', 'id', 'sender', 'status', 'title', 'url']);
      expect(props('QualificationDto')).toEqual(
        [
          'branch',
          'checkedAt',
          'copaymentRatio',
          'insurerName',
          'insurerNumber',
          'number',
          'qualifiedSince',
          'relationship',
          'status',
          'symbol',
          'validFrom',
          'validUntil',
        ].sort(),
      );
      expect(props('SsoTicketDto')).toEqual(['expiresIn', 'redirectUrl']);
      expect(props('CompleteLinkResponseDto')).toEqual([
        'sessionExpiresAt',
        'sessionToken',
        'tokenType',
        'userId',
      ]);
    });
  });
});
