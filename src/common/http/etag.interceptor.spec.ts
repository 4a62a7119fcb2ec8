import { ifNoneMatchMatches, weakEtag } from './etag.interceptor';

describe('ETag helpers', () => {
  it('hashes body and language into a weak tag', () => {
    const ja = weakEtag('ja', '{"a":1}');
    expect(ja).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
    expect(weakEtag('ja', '{"a":1}')).toBe(ja);
    expect(weakEtag('en', '{"a":1}')).not.toBe(ja);
    expect(weakEtag('ja', '{"a":2}')).not.toBe(ja);
  });

  it('compares If-None-Match weakly, in lists and with *', () => {
    const tag = weakEtag('ja', '{}');
    const opaque = tag.slice(2);
    expect(ifNoneMatchMatches(tag, tag)).toBe(true);
    expect(ifNoneMatchMatches(opaque, tag)).toBe(true);
    expect(ifNoneMatchMatches(`W/"other", ${tag}`, tag)).toBe(true);
    expect(ifNoneMatchMatches('*', tag)).toBe(true);
    expect(ifNoneMatchMatches('W/"other"', tag)).toBe(false);
    expect(ifNoneMatchMatches(undefined, tag)).toBe(false);
  });
});
