import { randomBytes } from 'node:crypto';
import type { LinkedDevice } from '../support/link-helper';
import { startContentStack, type ContentStack } from './content-harness';

/** Deterministic pseudo-random generator so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NASTY = [
  '',
  '%',
  '%ZZ',
  '%00',
  '%2e%2e%2f',
  '..',
  '\u0000',
  '☃',
  '𠮷',
  "'; DROP TABLE people;--",
  '<script>',
  'A'.repeat(300),
  '-1',
  '1e3',
  '0x10',
  'null',
  '[]',
  '{}',
  '__proto__',
  'constructor',
];

describe('hostile input on the content and SSO routes', () => {
  let stack: ContentStack;
  let session: LinkedDevice;

  beforeAll(async () => {
    stack = await startContentStack();
    session = await stack.link('sato-hanako');
  });
  afterAll(() => stack.close());

  it('answers every generated request with a 2xx/3xx/4xx, never a 5xx, and 4xx as problem+json or the SSO page', async () => {
    const random = rng(20261125);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
    const value = (): string =>
      random() < 0.6
        ? encodeURIComponent(pick(NASTY))
        : randomBytes(1 + Math.floor(random() * 40)).toString('base64url');
    const builders: (() => {
      method: 'GET' | 'POST';
      url: string;
      payload?: unknown;
      headers?: Record<string, string>;
    })[] = [
      () => ({ method: 'GET', url: `/v1/notices?limit=${value()}` }),
      () => ({ method: 'GET', url: `/v1/notices?cursor=${value()}` }),
      () => ({ method: 'GET', url: `/v1/notices?${value()}=${value()}` }),
      () => ({ method: 'GET', url: `/v1/notices?limit[]=1&cursor[$gt]=${value()}` }),
      () => ({ method: 'GET', url: `/v1/notices/${value()}` }),
      () => ({ method: 'GET', url: `/v1/todos?limit=${value()}&cursor=${value()}` }),
      () => ({
        method: 'GET',
        url: '/v1/notices',
        headers: { 'if-none-match': pick(NASTY) || '*', 'accept-language': value() },
      }),
      () => ({ method: 'GET', url: `/v1/insurance/qualification?${value()}=1` }),
      () => ({
        method: 'POST',
        url: '/v1/sso',
        payload: pick([
          { returnTo: decodeURIComponentSafe(value()) },
          [],
          'x',
          { returnTo: ['/'] },
          { returnTo: null },
        ]),
      }),
      () => ({ method: 'GET', url: `/v1/sso/redirect?ticket=${value()}` }),
    ];
    const failures: string[] = [];
    for (let i = 0; i < 600; i += 1) {
      const request = pick(builders)();
      const res = await stack.inject({
        method: request.method,
        url: request.url,
        payload: request.payload as string | object | undefined,
        headers: { ...(await session.auth(request.method, request.url.split('?')[0])), ...request.headers },
      });
      const type = String(res.headers['content-type'] ?? '');
      const ok =
        res.statusCode < 500 &&
        (res.statusCode < 400 || /^application\/problem\+json/.test(type) || /^text\/html/.test(type));
      if (!ok)
        failures.push(
          `${request.method} ${request.url} ${JSON.stringify(request.payload)} → ${res.statusCode} ${type}`,
        );
    }
    expect(failures).toEqual([]);
  });
});

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
