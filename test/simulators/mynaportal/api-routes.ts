import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notice, noticeCount, noticeIndex, qualification, noticeSummary, todo, todoCount } from './data.js';
import type { SsoSessions } from './sso.js';
import type { AccessTokenVerifier } from './token-verifier.js';

declare module 'fastify' {
  interface FastifyRequest {
    subject: string;
  }
}

export interface ApiState {
  verify: AccessTokenVerifier;
  /** notice indexes each subject has read */
  read: Map<string, Set<number>>;
  sso: SsoSessions;
}

const MAX_LIMIT = 100;

function unauthorized(reply: FastifyReply, description: string): FastifyReply {
  return reply
    .code(401)
    .header('www-authenticate', `Bearer error="invalid_token", error_description="${description}"`)
    .send({ error: 'invalid_token', error_description: description });
}

async function authenticate(state: ApiState, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer ([\x21-\x7e]+)$/i.exec(header);
  if (!match) return unauthorized(reply, 'missing bearer token');
  let who: { sub: string } | null;
  try {
    who = await state.verify(match[1]);
  } catch {
    return reply.code(503).send({ error: 'temporarily_unavailable', message: 'token check failed' });
  }
  if (!who) return unauthorized(reply, 'token is expired, revoked or unknown');
  request.subject = who.sub;
  return undefined;
}

/** Opaque cursor: the index of the next item, bound to its person and list. */
const encodeCursor = (list: string, subject: string, index: number): string =>
  Buffer.from(JSON.stringify({ l: list, s: subject.slice(-12), i: index })).toString('base64url');

function decodeCursor(list: string, subject: string, cursor: string | undefined): number | undefined {
  if (cursor === undefined || cursor === '') return 0;
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      l: string;
      s: string;
      i: number;
    };
    if (c.l === list && c.s === subject.slice(-12) && Number.isInteger(c.i) && c.i >= 0) return c.i;
  } catch {
    // falls through to invalid
  }
  return undefined;
}

function parsePage(
  list: string,
  request: FastifyRequest<{ Querystring: { limit?: string; cursor?: string } }>,
): { limit: number; start: number } | string {
  const limit = request.query.limit === undefined ? 20 : Number(request.query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) return `limit must be 1..${MAX_LIMIT}`;
  const start = decodeCursor(list, request.subject, request.query.cursor);
  if (start === undefined) return 'cursor is invalid';
  return { limit, start };
}

type PageRequest = FastifyRequest<{ Querystring: { limit?: string; cursor?: string } }>;

export function registerApiRoutes(app: FastifyInstance, state: ApiState): void {
  app.register(async (api) => {
    api.addHook('preHandler', (request, reply) => authenticate(state, request, reply));

    api.get('/api/v1/notices', async (request: PageRequest, reply) => {
      const page = parsePage('notices', request);
      if (typeof page === 'string')
        return reply.code(400).send({ error: 'invalid_parameter', message: page });
      const total = noticeCount(request.subject);
      const read = state.read.get(request.subject);
      const end = Math.min(total, page.start + page.limit);
      const notices = [];
      for (let i = page.start; i < end; i += 1)
        notices.push(noticeSummary(request.subject, i, !!read?.has(i)));
      return {
        notices,
        totalCount: total,
        nextCursor: end < total ? encodeCursor('notices', request.subject, end) : null,
      };
    });

    api.get(
      '/api/v1/notices/:noticeId',
      async (request: FastifyRequest<{ Params: { noticeId: string } }>, reply) => {
        const index = noticeIndex(request.subject, request.params.noticeId);
        if (index === undefined)
          return reply.code(404).send({ error: 'not_found', message: 'no such notice' });
        let read = state.read.get(request.subject);
        if (!read) state.read.set(request.subject, (read = new Set()));
        read.add(index);
        return notice(request.subject, index, true);
      },
    );

    api.get('/api/v1/todos', async (request: PageRequest, reply) => {
      const page = parsePage('todos', request);
      if (typeof page === 'string')
        return reply.code(400).send({ error: 'invalid_parameter', message: page });
      const total = todoCount(request.subject);
      const end = Math.min(total, page.start + page.limit);
      const todos = [];
      for (let i = page.start; i < end; i += 1) todos.push(todo(request.subject, i));
      return { todos, nextCursor: end < total ? encodeCursor('todos', request.subject, end) : null };
    });

    api.get('/api/v1/insurance/qualification', async (request, reply) => {
      const record = qualification(request.subject);
      if (!record) return reply.code(404).send({ error: 'not_found', message: 'no qualification on record' });
      return record;
    });

    api.post('/api/v1/sso/sessions', async (request: FastifyRequest<{ Body: unknown }>, reply) => {
      const returnTo = (request.body as { returnTo?: unknown } | undefined)?.returnTo ?? '/';
      if (typeof returnTo !== 'string' || !returnTo.startsWith('/') || returnTo.startsWith('//')) {
        return reply.code(400).send({ error: 'invalid_parameter', message: 'returnTo must be a path' });
      }
      const { loginUrl, expiresIn } = state.sso.create(request.subject, returnTo);
      return reply.code(201).send({ loginUrl, expiresIn });
    });
  });
}
