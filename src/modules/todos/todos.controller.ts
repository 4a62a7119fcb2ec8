import { ApiDpopSession } from '../../common/dpop/api-dpop.decorator.js';
import { Controller, Get, Headers, Query, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { EtagInterceptor } from '../../common/http/etag.interceptor.js';
import { negotiateLanguage } from '../../common/i18n/language.js';
import { CurrentSession, SessionGuard, type AppSession } from '../account-link/index.js';
import { ListTodosQueryDto } from './dto/list-todos.query.dto.js';
import { TodoPageDto } from './dto/todo.dto.js';
import { TodosService } from './todos.service.js';

@ApiTags('to-dos (やること)')
@ApiDpopSession()
@UseGuards(SessionGuard)
@Controller('v1/todos')
export class TodosController {
  constructor(private readonly todos: TodosService) {}

  @Get()
  @UseInterceptors(EtagInterceptor)
  @ApiOperation({ summary: 'To-do list (やること一覧), cursor paging' })
  @ApiHeader({ name: 'Accept-Language', required: false, description: 'ja (default) or en' })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'ETag of a previous answer → 304' })
  @ApiOkResponse({ type: TodoPageDto, description: 'With ETag and Cache-Control: private, no-cache' })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched the ETag)' })
  list(
    @CurrentSession() session: AppSession,
    @Query() query: ListTodosQueryDto,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<TodoPageDto> {
    return this.todos.list(session.userId, query, negotiateLanguage(acceptLanguage));
  }
}
