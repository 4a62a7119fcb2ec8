import { Body, Controller, Delete, Get, Header, HttpCode, Ip, Post, UseGuards } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiDpopProof, ApiDpopSession } from '../../common/dpop/api-dpop.decorator.js';
import { DeviceKey } from '../../common/dpop/device-key.js';
import { DpopGuard } from '../../common/dpop/dpop.guard.js';
import { CompleteLinkDto, CompleteLinkResponseDto } from './dto/complete-link.dto.js';
import { StartLinkDto, StartLinkResponseDto } from './dto/start-link.dto.js';
import { LinkStatusDto } from './dto/link-status.dto.js';
import { LinkService } from './link.service.js';
import { SessionGuard } from './session/session.guard.js';
import { CurrentSession } from './session/current-session.decorator.js';
import type { AppSession } from './session/app-session.js';

/** Answers with session tokens or personal data are never stored by a cache (API.md). */
const NO_STORE = ['cache-control', 'no-store'] as const;

@ApiTags('account linkage (マイナポータル連携)')
@Controller('v1/link')
export class LinkController {
  constructor(private readonly links: LinkService) {}

  @Post('start')
  @UseGuards(DpopGuard)
  @Header(...NO_STORE)
  @ApiDpopProof()
  @ApiOperation({
    summary: 'Start linking: returns the authorization URL to open (no session; signed by the device key)',
  })
  @ApiCreatedResponse({ type: StartLinkResponseDto })
  start(
    @Body() body: StartLinkDto,
    @Ip() ip: string,
    @DeviceKey() thumbprint: string,
  ): Promise<StartLinkResponseDto> {
    return this.links.start(body, ip, thumbprint);
  }

  @Post('complete')
  @UseGuards(DpopGuard)
  @Header(...NO_STORE)
  @ApiDpopProof()
  @ApiOperation({
    summary:
      'Complete linking with the code from the redirect (no session; signed by the key that started it); the session is bound to that key. Revokes any other device of the person and any other person on this key',
  })
  @ApiCreatedResponse({ type: CompleteLinkResponseDto })
  complete(
    @Body() body: CompleteLinkDto,
    @Ip() ip: string,
    @DeviceKey() thumbprint: string,
  ): Promise<CompleteLinkResponseDto> {
    return this.links.complete(body, ip, thumbprint);
  }

  @Get()
  @UseGuards(SessionGuard)
  @Header(...NO_STORE)
  @ApiDpopSession()
  @ApiOperation({ summary: 'The link of this device' })
  @ApiOkResponse({ type: LinkStatusDto })
  status(@CurrentSession() session: AppSession): Promise<LinkStatusDto> {
    return this.links.status(session);
  }

  @Delete()
  @HttpCode(204)
  @UseGuards(SessionGuard)
  @Header(...NO_STORE)
  @ApiDpopSession()
  @ApiOperation({ summary: 'Unlink (連携停止): ends the session, deletes tokens, revokes at the provider' })
  @ApiNoContentResponse()
  async unlink(@CurrentSession() session: AppSession): Promise<void> {
    await this.links.unlink(session);
  }
}
