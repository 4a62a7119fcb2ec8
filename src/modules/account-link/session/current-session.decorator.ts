import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AppSession } from './app-session.js';

export const SESSION_KEY = 'appSession';

/** The AppSession that SessionGuard attached to the request. Use only on guarded routes. */
export const CurrentSession = createParamDecorator((_data: unknown, ctx: ExecutionContext): AppSession => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest & { [SESSION_KEY]?: AppSession }>();
  const session = request[SESSION_KEY];
  if (!session) throw new Error('CurrentSession used on a route without SessionGuard');
  return session;
});
