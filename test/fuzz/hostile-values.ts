/** Values that broke, or could break, a parser, a database column or a log line somewhere. */

/** Unicode edge cases: combining marks, bidi controls, NUL, lone surrogates, JIS X 0213, emoji. */
export const UNICODE_EDGES: readonly string[] = [
  'e\u0301\u0301\u0301\u0301',
  'Z\u0335\u0321\u0322\u031b\u0317\u034e',
  '\u202eevil\u202c',
  '\u200f\u0645\u0631\u062d\u0628\u0627',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\ud83dy',
  '\ufeffbom',
  '\u200b\u200c\u200d\u2060',
  // JIS X 0213 (plane 1 and 2, beyond JIS X 0208): 𠮷 𩸽 㐂 丂 髙 﨑 𡈽, か゚ (kana + combining U+309A), ㇷ゚
  '\u{20BB7}',
  '\u{29E3D}',
  '\u3402',
  '\u4E02',
  '\u9AD9',
  '\uFA11',
  '\u{2123D}',
  '\u304B\u309A',
  '\u31F7\u309A',
  '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}',
  '\uFFFD',
  '\uFFFF',
  '\u0085\u2028\u2029',
];

/** Strings that mean something to a shell, SQL, HTML, a path or a JavaScript object. */
export const INJECTIONS: readonly string[] = [
  '',
  ' ',
  "'; DROP TABLE person;--",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'prototype',
  'null',
  'undefined',
  'NaN',
  '-1',
  '0',
  '1e309',
  '0x10',
  '9007199254740993',
  '%s%s%s%n',
  '\r\nX-Injected: 1',
  'javascript:alert(1)',
  '//evil.example/',
  'https://evil.example/',
];

/** Path traversal and malformed percent-encoding for path segments (sent raw, not re-encoded). */
export const PATH_TRAVERSALS: readonly string[] = [
  '..',
  '../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '%2e%2e%2f%2e%2e%2f',
  '%2e%2e',
  '..%5c..%5cwindows',
  '%252e%252e%252f',
  '%00',
  '%ED%A0%80',
  '%C0%AF',
  '%',
  '%ZZ',
  '%E3%81',
  '.%2e/link',
  ';',
  '%3B',
  '%23fragment',
  '%3F%3D',
];

/** Content types a JSON route must refuse (or take as JSON only when they are JSON). */
export const CONTENT_TYPES: readonly string[] = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  'application/json; charset=shift_jis',
  'application/json; charset=utf-16',
  'application/json; charset=iso-8859-1',
  'application/json;charset="utf-8"',
  'APPLICATION/JSON',
  'application/problem+json',
  'application/json, text/plain',
  'application/jsonx',
  'application/json; boundary=',
  '*/*',
  '',
];

/** Bodies that are not JSON, or not well-formed UTF-8. */
export const MALFORMED_BODIES: readonly (string | Buffer)[] = [
  '{',
  '}',
  '{"a":',
  '{"a":1,}',
  "{'a':1}",
  '[]',
  'null',
  'true',
  '0',
  '"string"',
  '{"a":1}{"b":2}',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"a":NaN}',
  '{"a":1e99999}',
  '\u0000',
  '\ufeff{}',
  Buffer.from([0xc0, 0xaf, 0x7b, 0x7d]),
  Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]),
  Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]),
  // {"a":"ｱ"} in Shift_JIS
  Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xb1, 0x22, 0x7d]),
];

/** Values of Accept-Language, If-None-Match and X-Request-Id a client could send. */
export const HEADER_VALUES: readonly string[] = [
  'ja',
  'en',
  'fr',
  '*',
  'en-US,en;q=0.9,ja;q=0.8',
  'ja;q=abc',
  ''.padEnd(2000, 'x'),
  'W/"abc"',
  '"*"',
  '*',
  'short',
  'a'.repeat(129),
  '../../etc',
];

/** A JSON text nested `depth` levels deep (arrays or objects), well under the body limit. */
export function deeplyNested(depth: number, kind: 'array' | 'object', field?: string): string {
  const inner =
    kind === 'array'
      ? '['.repeat(depth) + ']'.repeat(depth)
      : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  return field ? `{${JSON.stringify(field)}:${inner}}` : inner;
}
