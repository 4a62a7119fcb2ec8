import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import fastifyStatic from '@fastify/static';
import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem } from '../../../common/errors/problem-reply.js';
import { DomainException } from '../../../common/errors/domain.exception.js';
import { ErrorCode } from '../../../common/errors/error-code.js';
import { AppLogger } from '../../../common/logging/app-logger.js';
import { ALL_QUEUES } from '../../../queue/queues.js';
import { AdminAudit } from '../auth/admin-audit.js';
import { AdminSessionStore } from '../auth/admin-session.store.js';
import { ADMIN_SESSION_PATH, sessionFromCookieHeader } from '../auth/admin-session.cookie.js';
import { DASHBOARD_HEADERS } from './dashboard-csp.js';

/**
 * The dashboard's files: next to the compiled code (nest-cli.json `assets` copies them into dist/);
 * builds without that copy step (tsc for dist-sim, ts-jest) read them from the source tree.
 */
export const DASHBOARD_DIR =
  [join(__dirname, 'static'), join(process.cwd(), 'src/modules/delivery-status/dashboard/static')].find(
    (dir) => existsSync(join(dir, 'index.html')),
  ) ?? join(__dirname, 'static');

/**
 * Mounts what is not a Nest route: the dashboard page and its assets (public files: the page asks
 * for the token and calls /admin/v1 with it) and Bull Board under /admin/queues, which takes the
 * operator's short-lived session cookie (POST /admin/v1/session) and nothing else.
 */
@Injectable()
export class AdminWebMount implements OnModuleInit {
  private readonly audit: AdminAudit;

  constructor(
    private readonly host: HttpAdapterHost,
    private readonly moduleRef: ModuleRef,
    private readonly sessions: AdminSessionStore,
    logger: AppLogger,
  ) {
    this.audit = new AdminAudit(logger.forContext('AdminAudit'));
  }

  onModuleInit(): void {
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    const page = readFileSync(join(DASHBOARD_DIR, 'index.html'));

    void fastify.register((scope, _opts, done) => {
      scope.addHook('onSend', (_request, reply, payload, next) => {
        void reply.headers(DASHBOARD_HEADERS);
        next(null, payload);
      });
      scope.get('/admin', (_request, reply) =>
        reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(page),
      );
      void scope.register(fastifyStatic, {
        root: DASHBOARD_DIR,
        prefix: '/admin/assets/',
        decorateReply: false,
        index: false,
        list: false,
        dotfiles: 'deny',
        cacheControl: true,
        maxAge: 0,
      });
      done();
    });

    const board = new BullBoardFastifyAdapter();
    board.setBasePath(ADMIN_SESSION_PATH);
    createBullBoard({
      queues: ALL_QUEUES.map(
        (name) => new BullMQAdapter(this.moduleRef.get<Queue>(getQueueToken(name), { strict: false })),
      ),
      serverAdapter: board,
      options: { uiConfig: { boardTitle: 'myna-bff queues' } },
    });
    void fastify.register((scope, _opts, done) => {
      scope.addHook('onRequest', (request, reply, next) => {
        void this.authorize(request, reply).then(
          (ok) => (ok ? next() : undefined),
          (error: unknown) => sendProblem(error, request, reply),
        );
      });
      void scope.register(board.registerPlugin(), { prefix: ADMIN_SESSION_PATH });
      done();
    });
  }

  private async authorize(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const id = sessionFromCookieHeader(request.headers.cookie);
    const operator = await this.sessions.operatorFor(id);
    if (!operator) {
      this.audit.denied(request, id ? 'unknown' : 'missing');
      sendProblem(new DomainException(ErrorCode.ADMIN_AUTH_REQUIRED), request, reply);
      return false;
    }
    this.audit.accepted(request, reply, operator);
    return true;
  }
}
