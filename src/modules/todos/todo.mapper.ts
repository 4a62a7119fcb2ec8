import type { Language } from '../../common/i18n/language.js';
import { pickText } from '../../upstream/mynaportal/localized-text.js';
import type { PortalTodo } from '../../upstream/mynaportal/mynaportal.schemas.js';
import type { TodoDto } from './dto/todo.dto.js';

/** Backend to-do → API.md to-do. */
export function toTodo(todo: PortalTodo, language: Language): TodoDto {
  return {
    id: todo.todoId,
    title: pickText(todo.title, language),
    description: todo.description ? pickText(todo.description, language) : null,
    dueDate: todo.dueDate,
    status: todo.status === 'DONE' ? 'done' : 'open',
    sender: pickText(todo.senderName, language),
    url: todo.url,
  };
}
