import { Controller, Get, Headers, Query, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ApiSessionAuth } from '../../common/openapi/api-problems.decorator.js';
import { RateLimit } from '../../common/rate-limit/rate-limit.decorator.js';
import { EtagInterceptor } from '../../common/http/etag.interceptor.js';
import { negotiateLanguage } from '../../common/i18n/language.js';
import { CurrentSession, SessionGuard, type AppSession } from '../account-link/index.js';
import { ListTodosQueryDto } from './dto/list-todos.query.dto.js';
import { TodoPageDto } from './dto/todo.dto.js';
import { TodosService } from './todos.service.js';

@ApiTags('to-dos (やること)')
@ApiSessionAuth()
@UseGuards(SessionGuard)
@RateLimit('session')
@Controller('v1/todos')
export class TodosController {
  constructor(private readonly todos: TodosService) {}

  @Get()
  @UseInterceptors(EtagInterceptor)
  @ApiOperation({ summary: 'To-do list (やること一覧), cursor paging' })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'ETag of a previous answer → 304' })
  @ApiOkResponse({ type: TodoPageDto, description: 'With ETag and Cache-Control: no-store' })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched the ETag)' })
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
    @Query() query: ListTodosQueryDto,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<TodoPageDto> {
    return this.todos.list(session.userId, query, negotiateLanguage(acceptLanguage));
  }
}
