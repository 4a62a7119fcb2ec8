import { Injectable } from '@nestjs/common';
import type { Language } from '../../common/i18n/language.js';
import { MynaportalClient } from '../../upstream/mynaportal/mynaportal.client.js';
import {
  invalidCursorIfRejected,
  upstreamCursor,
  wrapCursor,
} from '../../upstream/mynaportal/page-cursor.js';
import { ProviderTokenService } from '../account-link/index.js';
import type { TodoPageDto } from './dto/todo.dto.js';
import { toTodo } from './todo.mapper.js';

const DEFAULT_PAGE_LIMIT = 20;

/** To-dos (やること) of the person, from the Mynaportal backend. */
@Injectable()
export class TodosService {
  constructor(
    private readonly tokens: ProviderTokenService,
    private readonly portal: MynaportalClient,
  ) {}

  async list(
    userId: string,
    query: { limit?: number; cursor?: string },
    language: Language,
  ): Promise<TodoPageDto> {
    const cursor = upstreamCursor('todos', query.cursor);
    const page = await this.tokens
      .withAccessToken(userId, (token) =>
        this.portal.listTodos(token, { limit: query.limit ?? DEFAULT_PAGE_LIMIT, cursor }),
      )
      .catch(invalidCursorIfRejected(cursor));
    return {
      items: page.todos.map((todo) => toTodo(todo, language)),
      nextCursor: page.nextCursor ? wrapCursor('todos', page.nextCursor) : null,
    };
  }
}
