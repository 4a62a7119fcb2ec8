import { Controller, Get, Headers, Param, Query, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ApiSessionAuth } from '../../common/openapi/api-problems.decorator.js';
import { RateLimit } from '../../common/rate-limit/rate-limit.decorator.js';
import { EtagInterceptor } from '../../common/http/etag.interceptor.js';
import { negotiateLanguage } from '../../common/i18n/language.js';
import { CurrentSession, SessionGuard, type AppSession } from '../account-link/index.js';
import { ListNoticesQueryDto } from './dto/list-notices.query.dto.js';
import { NoticeDto } from './dto/notice.dto.js';
import { NoticeIdParamsDto } from './dto/notice-id.params.dto.js';
import { NoticePageDto } from './dto/notice-page.dto.js';
import { NoticesService } from './notices.service.js';

@ApiTags('notices (お知らせ)')
@ApiSessionAuth()
@ApiHeader({ name: 'If-None-Match', required: false, description: 'ETag of a previous answer → 304' })
@ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched the ETag)' })
@UseGuards(SessionGuard)
@RateLimit('session')
@UseInterceptors(EtagInterceptor)
@Controller('v1/notices')
export class NoticesController {
  constructor(private readonly notices: NoticesService) {}

  @Get()
  @ApiOperation({ summary: 'Notice list (お知らせ一覧), newest first, cursor paging' })
  @ApiOkResponse({ type: NoticePageDto, description: 'With ETag and Cache-Control: no-store' })
  @ApiProblems(
    'SESSION_REQUIRED',
    'LINK_EXPIRED',
    'DPOP_PROOF_INVALID',
    'RATE_LIMITED',
    'UPSTREAM_AUTH_FAILED',
    'UPSTREAM_ERROR',
    'UPSTREAM_UNAVAILABLE',
  )
  list(
    @CurrentSession() session: AppSession,
    @Query() query: ListNoticesQueryDto,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<NoticePageDto> {
    return this.notices.list(session.userId, query, negotiateLanguage(acceptLanguage));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Notice detail (お知らせ詳細); marks the notice read' })
  @ApiOkResponse({ type: NoticeDto, description: 'With ETag and Cache-Control: no-store' })
  @ApiProblems(
    'NOT_FOUND',
    'SESSION_REQUIRED',
    'LINK_EXPIRED',
    'DPOP_PROOF_INVALID',
    'RATE_LIMITED',
    'UPSTREAM_AUTH_FAILED',
    'UPSTREAM_ERROR',
    'UPSTREAM_UNAVAILABLE',
  )
  get(
    @CurrentSession() session: AppSession,
    @Param() params: NoticeIdParamsDto,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<NoticeDto> {
    return this.notices.get(session.userId, params.id, negotiateLanguage(acceptLanguage));
  }
}
