import { ApiDpopSession } from '../../common/dpop/api-dpop.decorator.js';
import { Controller, Get, Headers, Param, Query, UseGuards, UseInterceptors } from '@nestjs/common';
import {
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { EtagInterceptor } from '../../common/http/etag.interceptor.js';
import { negotiateLanguage } from '../../common/i18n/language.js';
import { CurrentSession, SessionGuard, type AppSession } from '../account-link/index.js';
import { ListNoticesQueryDto } from './dto/list-notices.query.dto.js';
import { NoticeDto } from './dto/notice.dto.js';
import { NoticeIdParamsDto } from './dto/notice-id.params.dto.js';
import { NoticePageDto } from './dto/notice-page.dto.js';
import { NoticesService } from './notices.service.js';

@ApiTags('notices (お知らせ)')
@ApiDpopSession()
@ApiHeader({ name: 'Accept-Language', required: false, description: 'ja (default) or en' })
@ApiHeader({ name: 'If-None-Match', required: false, description: 'ETag of a previous answer → 304' })
@ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched the ETag)' })
@UseGuards(SessionGuard)
@UseInterceptors(EtagInterceptor)
@Controller('v1/notices')
export class NoticesController {
  constructor(private readonly notices: NoticesService) {}

  @Get()
  @ApiOperation({ summary: 'Notice list (お知らせ一覧), newest first, cursor paging' })
  @ApiOkResponse({ type: NoticePageDto, description: 'With ETag and Cache-Control: private, no-cache' })
  list(
    @CurrentSession() session: AppSession,
    @Query() query: ListNoticesQueryDto,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<NoticePageDto> {
    return this.notices.list(session.userId, query, negotiateLanguage(acceptLanguage));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Notice detail (お知らせ詳細); marks the notice read' })
  @ApiOkResponse({ type: NoticeDto, description: 'With ETag and Cache-Control: private, no-cache' })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no such notice for this person' })
  get(
    @CurrentSession() session: AppSession,
    @Param() params: NoticeIdParamsDto,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<NoticeDto> {
    return this.notices.get(session.userId, params.id, negotiateLanguage(acceptLanguage));
  }
}
