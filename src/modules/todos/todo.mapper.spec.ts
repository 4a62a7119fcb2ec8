import { toTodo } from './todo.mapper';

describe('toTodo', () => {
  it('maps the contract fields, status in lower case, nulls kept', () => {
    const todo = {
      todoId: 'todo-3f2a9c1b7e-00003',
      title: { ja: '電子証明書を更新する', en: 'Renew your electronic certificate' },
      description: null,
      dueDate: null,
      status: 'DONE' as const,
      senderName: { ja: 'デジタル庁', en: 'Digital Agency' },
      url: null,
    };
    expect(toTodo(todo, 'en')).toEqual({
      id: 'todo-3f2a9c1b7e-00003',
      title: 'Renew your electronic certificate',
      description: null,
      dueDate: null,
      status: 'done',
      sender: 'Digital Agency',
      url: null,
    });
    expect(
      toTodo(
        {
          ...todo,
          status: 'OPEN',
          description: { ja: 'オンラインで提出できます。' },
          dueDate: '2026-12-25',
          url: 'https://myna.example/t',
        },
        'en',
      ),
    ).toMatchObject({
      status: 'open',
      description: 'オンラインで提出できます。',
      dueDate: '2026-12-25',
      url: 'https://myna.example/t',
    });
  });
});
