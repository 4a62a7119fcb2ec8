import { ApiDpopSession } from '../../common/dpop/api-dpop.decorator.js';
import { Body, Controller, Get, Ip, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentSession, SessionGuard, type AppSession } from '../account-link/index.js';
import { CreateSsoDto, SsoTicketDto } from './dto/create-sso.dto.js';
import { SSO_REDIRECT_HEADERS } from './sso-page.js';
import { SsoPageFilter } from './sso-page.filter.js';
import { SsoService } from './sso.service.js';

@ApiTags('SSO (マイナポータルへの SSO)')
@Controller('v1/sso')
export class SsoController {
  constructor(private readonly sso: SsoService) {}

  @Post()
  @UseGuards(SessionGuard)
  @ApiDpopSession()
  @ApiOperation({ summary: 'Issue a one-time URL (60 s, single use) that opens Mynaportal web signed in' })
  @ApiCreatedResponse({ type: SsoTicketDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: returnTo is not an allow-listed path' })
  issue(@CurrentSession() session: AppSession, @Body() body: CreateSsoDto): Promise<SsoTicketDto> {
    return this.sso.issue(session, body.returnTo);
  }

  @Get('redirect')
  @UseFilters(SsoPageFilter)
  @ApiOperation({
    summary: 'Opened in the browser (no auth): uses the ticket up and redirects into Mynaportal web',
  })
  @ApiQuery({ name: 'ticket', required: true })
  @ApiProduces('text/html')
  @ApiResponse({
    status: 302,
    description:
      'Location: the Mynaportal web login URL. Only GET redeems: HEAD (link previews) answers 200 and leaves the ticket unused',
  })
  @ApiResponse({ status: 400, description: 'SSO_TICKET_INVALID, as a small ja/en HTML page' })
  @ApiResponse({ status: 503, description: 'UPSTREAM_UNAVAILABLE, as an HTML page' })
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
