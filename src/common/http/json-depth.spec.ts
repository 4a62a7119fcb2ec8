import { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-depth';

const nested = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;

describe('exceedsJsonDepth', () => {
  it('accepts up to the limit and refuses one level more', () => {
    expect(exceedsJsonDepth(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(exceedsJsonDepth(nested(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(exceedsJsonDepth(`{"x":${nested(5000)}}`)).toBe(true);
  });

  it('counts objects and arrays alike, siblings do not add up', () => {
    expect(exceedsJsonDepth('{"a":{"b":[{"c":1}]},"d":[[1],[2]]}', 4)).toBe(false);
    expect(exceedsJsonDepth('{"a":{"b":[{"c":[]}]}}', 4)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    const s = JSON.stringify({ text: `${'['.repeat(100)} \\" {{{ "` });
    expect(exceedsJsonDepth(s, 2)).toBe(false);
    expect(exceedsJsonDepth(Buffer.from(s), 2)).toBe(false);
  });
});
