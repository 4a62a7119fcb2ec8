import { unwrapCursor, wrapCursor } from './page-cursor';

describe('page cursor', () => {
  it('round-trips the backend cursor for its list', () => {
    const cursor = wrapCursor('notices', 'eyJsIjoibm90aWNlcyIsImkiOjIwfQ');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(unwrapCursor('notices', cursor)).toBe('eyJsIjoibm90aWNlcyIsImkiOjIwfQ');
  });

  it('refuses a cursor of another list, a forged or garbled one', () => {
    expect(unwrapCursor('todos', wrapCursor('notices', 'abc'))).toBeUndefined();
    const forged = Buffer.from(JSON.stringify({ v: 1, l: 'notices', c: '../../admin' })).toString(
      'base64url',
    );
    expect(unwrapCursor('notices', forged)).toBeUndefined();
    for (const bad of [
      '',
      'not base64!',
      '%2e%2e',
      'x'.repeat(801),
      Buffer.from('[]').toString('base64url'),
    ]) {
      expect(unwrapCursor('notices', bad)).toBeUndefined();
    }
  });
});
