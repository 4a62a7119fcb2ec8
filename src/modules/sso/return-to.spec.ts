import { normalizeReturnTo } from './return-to';

const prefixes = ['/notices', '/settings/profile/'];

describe('normalizeReturnTo', () => {
  it.each([
    ['/notices', '/notices'],
    ['/notices/123?tab=body#top', '/notices/123?tab=body#top'],
    ['/settings/profile/', '/settings/profile/'],
    ['/settings/profile/edit', '/settings/profile/edit'],
    ['/notices/./a/../b', '/notices/b'],
  ])('accepts %s as %s', (value, expected) => {
    expect(normalizeReturnTo(value, prefixes)).toBe(expected);
  });

  it.each([
    '',
    'notices',
    'https://evil.example/notices',
    'javascript:alert(1)',
    '//evil.example/notices',
    '/\\evil.example',
    '\\\\evil.example',
    '/notices\\..\\admin',
    '/notices/../admin',
    '/notices/%2e%2e/admin',
    '/notices/%2F%2Fevil',
    '/notices%5c..',
    '/notices\n/x',
    '/notices\t',
    '/notices%0d%0aSet-Cookie:x',
    '/noticesX',
    '/settings/profileX',
    '/admin',
    `/notices/${'a'.repeat(600)}`,
  ])('refuses %j', (value) => {
    expect(normalizeReturnTo(value, prefixes)).toBeNull();
  });

  it('allows every path under the root prefix, still refusing other hosts', () => {
    expect(normalizeReturnTo('/anything', ['/'])).toBe('/anything');
    expect(normalizeReturnTo('//evil.example', ['/'])).toBeNull();
    expect(normalizeReturnTo('/\t/evil.example', ['/'])).toBeNull();
  });
});
