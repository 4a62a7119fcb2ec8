import { Body, Controller, Get, Ip, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentSession, SessionGuard, type AppSession } from '../account-link/index.js';
import { CreateSsoDto, SsoTicketDto } from './dto/create-sso.dto.js';
import { SSO_REDIRECT_HEADERS } from './sso-page.js';
import { SsoPageFilter } from './sso-page.filter.js';
import {
  ApiHtmlProblems,
  ApiProblems,
  ApiPublic,
  ApiSessionAuth,
} from '../../common/openapi/api-problems.decorator.js';
import { RateLimit } from '../../common/rate-limit/rate-limit.decorator.js';
import { TICKET_SHAPE } from './sso-ticket.store.js';
import { SsoService } from './sso.service.js';

@ApiTags('SSO (マイナポータルへの SSO)')
@Controller('v1/sso')
export class SsoController {
  constructor(private readonly sso: SsoService) {}

  @Post()
  @UseGuards(SessionGuard)
  @RateLimit('session')
  @ApiSessionAuth()
  @ApiOperation({ summary: 'Issue a one-time URL (60 s, single use) that opens Mynaportal web signed in' })
  @ApiCreatedResponse({ type: SsoTicketDto })
  @ApiProblems(
    'PAYLOAD_TOO_LARGE',
    'SESSION_REQUIRED',
    'LINK_EXPIRED',
    'DPOP_PROOF_INVALID',
    'RATE_LIMITED',
    'UPSTREAM_AUTH_FAILED',
    'UPSTREAM_ERROR',
    'UPSTREAM_UNAVAILABLE',
  )
  issue(@CurrentSession() session: AppSession, @Body() body: CreateSsoDto): Promise<SsoTicketDto> {
    return this.sso.issue(session, body.returnTo);
  }

  @Get('redirect')
  @UseFilters(SsoPageFilter)
  @RateLimit('ip')
  @ApiOperation({
    summary: 'Opened in the browser (no auth): uses the ticket up and redirects into Mynaportal web',
  })
  @ApiPublic()
  @ApiQuery({
    name: 'ticket',
    required: true,
    description: 'The one-time ticket of POST /v1/sso',
    schema: { type: 'string', pattern: TICKET_SHAPE.source },
  })
  @ApiResponse({
    status: 302,
    description:
      'On to the Mynaportal web login URL. Only GET redeems: HEAD (link previews) answers 200 and leaves the ticket unused',
    headers: { Location: { description: 'The Mynaportal web login URL', schema: { type: 'string' } } },
  })
  @ApiHtmlProblems(
    'SSO_TICKET_INVALID',
    'LINK_EXPIRED',
    'RATE_LIMITED',
    'UPSTREAM_AUTH_FAILED',
    'UPSTREAM_ERROR',
    'UPSTREAM_UNAVAILABLE',
  )
  async redirect(
    @Query('ticket') ticket: unknown,
    @Ip() ip: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // Fastify answers HEAD with the GET route: a link preview or scanner must not use the ticket up.
    if (request.method === 'HEAD') {
      await reply.status(200).headers(SSO_REDIRECT_HEADERS).type('text/html; charset=utf-8').send();
      return;
    }
    const location = await this.sso.redeem(ticket, ip);
    await reply.status(302).headers(SSO_REDIRECT_HEADERS).header('location', location).send();
  }
}
