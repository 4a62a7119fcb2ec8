import { negotiateLanguage } from './language';

describe('negotiateLanguage', () => {
  it.each([
    [undefined, 'ja'],
    ['en', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['ja-JP', 'ja'],
    ['fr, en;q=0.5', 'en'],
    ['fr', 'ja'],
    ['en;q=0.3, ja;q=0.8', 'ja'],
    ['*', 'ja'],
  ])('%s → %s', (header, expected) => {
    expect(negotiateLanguage(header)).toBe(expected);
  });
});
