import { ApiAdminAuth, ApiProblems } from '../../../common/openapi/api-problems.decorator.js';
import { Controller, Delete, Headers, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AppConfig } from '../../../config/app-config.js';
import { AdminGuard } from './admin.guard.js';
import { ADMIN_SESSION_TTL_SECONDS, AdminSessionStore } from './admin-session.store.js';
import { sessionCookie, sessionFromCookieHeader } from './admin-session.cookie.js';
import { CurrentOperator } from './operator.js';

/**
 * Exchanges the bearer admin token for a short-lived HttpOnly cookie that only Bull Board
 * (/admin/queues) accepts: that UI is a separate app that cannot add an Authorization header.
 */
@ApiTags('operators')
@ApiAdminAuth()
@ApiProblems('ADMIN_AUTH_REQUIRED')
@UseGuards(AdminGuard)
@Controller('admin/v1/session')
export class AdminSessionController {
  private readonly secure: boolean;

  constructor(
    private readonly sessions: AdminSessionStore,
    config: ConfigService<AppConfig, true>,
  ) {
    this.secure = config.get('app', { infer: true }).env === 'production';
  }

  @Post()
  @HttpCode(204)
  @ApiOperation({ summary: 'Open a 15-minute browser session for Bull Board (/admin/queues) as a cookie' })
  @ApiNoContentResponse({ description: 'Set-Cookie: HttpOnly, SameSite=Strict, Path=/admin/queues' })
  async open(
    @CurrentOperator() operator: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const id = await this.sessions.open(operator);
    void reply.header('set-cookie', sessionCookie(id, ADMIN_SESSION_TTL_SECONDS, this.secure));
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'End the Bull Board browser session' })
  @ApiNoContentResponse({ description: 'Cookie cleared' })
  async close(
    @Headers('cookie') cookie: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.sessions.close(sessionFromCookieHeader(cookie));
    void reply.header('set-cookie', sessionCookie('', 0, this.secure));
  }
}
