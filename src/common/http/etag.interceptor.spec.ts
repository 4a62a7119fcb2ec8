import { createHash } from 'node:crypto';
import { ifNoneMatchMatches, weakEtag } from './etag.interceptor';

describe('ETag helpers', () => {
  it('hashes body and language into a weak tag', () => {
    const ja = weakEtag('ja', Buffer.from('{"a":1}'));
    expect(ja).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
    expect(weakEtag('ja', Buffer.from('{"a":1}'))).toBe(ja);
    expect(weakEtag('en', Buffer.from('{"a":1}'))).not.toBe(ja);
    expect(weakEtag('ja', Buffer.from('{"a":2}'))).not.toBe(ja);
    // the same tag as the SHA-1 of the whole text: tags the app kept from earlier releases still match
    const whole = createHash('sha1').update('ja\n{"a":1}').digest('base64url');
    expect(ja).toBe(`W/"${whole}"`);
  });

  it('compares If-None-Match weakly, in lists and with *', () => {
    const tag = weakEtag('ja', Buffer.from('{}'));
    const opaque = tag.slice(2);
    expect(ifNoneMatchMatches(tag, tag)).toBe(true);
    expect(ifNoneMatchMatches(opaque, tag)).toBe(true);
    expect(ifNoneMatchMatches(`W/"other", ${tag}`, tag)).toBe(true);
    expect(ifNoneMatchMatches('*', tag)).toBe(true);
    expect(ifNoneMatchMatches('W/"other"', tag)).toBe(false);
    expect(ifNoneMatchMatches(undefined, tag)).toBe(false);
  });
});
