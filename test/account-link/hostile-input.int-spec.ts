import { randomBytes } from 'node:crypto';
import { DpopClient, type DpopHeaders } from '../support/dpop-client';
import { dpopHeaders } from '../support/link-helper';
import { startLinkStack, type LinkStack } from './account-link-stack';

/** Deterministic pseudo-random generator (mulberry32) so a failure can be replayed from the seed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NASTY_VALUES: unknown[] = [
  '',
  ' ',
  'A'.repeat(129),
  'a'.repeat(5000),
  '../../etc/passwd',
  "'; DROP TABLE people;--",
  '<script>alert(1)</script>',
  '\u0000\u0001',
  '☃𠮷',
  '__proto__',
  null,
  true,
  0,
  -1,
  1e308,
  [],
  ['device-0001'],
  {},
  { $gt: '' },
  { __proto__: { admin: true } },
];

describe('hostile input on the account-linkage routes (TARGETS.md reliability)', () => {
  let s: LinkStack;

  beforeAll(async () => {
    s = await startLinkStack({
      env: { LINK_RATE_LIMIT_PER_IP: '100000', LINK_RATE_LIMIT_PER_DEVICE: '100000' },
    });
  });
  afterAll(async () => {
    await s.close();
  });

  it('answers 2,000 generated malformed requests without a 5xx, every 4xx as problem+json', async () => {
    const random = rng(20261125);
    const key = await DpopClient.create();
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
    const field = (): unknown =>
      random() < 0.5 ? pick(NASTY_VALUES) : randomBytes(1 + Math.floor(random() * 60)).toString('base64url');
    const body = (keys: string[]): unknown => {
      const shape = random();
      if (shape < 0.1) return pick(NASTY_VALUES);
      const out: Record<string, unknown> = {};
      for (const key of keys) if (random() < 0.8) out[key] = random() < 0.5 ? field() : 'device-0001';
      if (random() < 0.3) out[String(field())] = field();
      return out;
    };
    const builders: (() => {
      method: 'GET' | 'POST' | 'DELETE';
      url: string;
      payload?: string;
      headers?: Record<string, string>;
    })[] = [
      () => ({
        method: 'POST',
        url: '/v1/link/start',
        payload: JSON.stringify(body(['deviceId', 'platform'])),
      }),
      () => ({
        method: 'POST',
        url: '/v1/link/complete',
        payload: JSON.stringify(body(['state', 'code', 'deviceId', 'pushToken', 'locale'])),
      }),
      () => ({ method: 'POST', url: '/v1/link/complete', payload: `{"state": ${'['.repeat(50)}` }),
      () => ({
        method: 'POST',
        url: '/v1/link/start',
        payload: 'deviceId=x&platform=ios',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      () => ({ method: 'GET', url: '/v1/link', headers: { authorization: `Bearer ${String(field())}` } }),
      () => ({
        method: 'DELETE',
        url: '/v1/link',
        headers: { authorization: `DPoP ${randomBytes(32).toString('base64url')}` },
      }),
      () => ({ method: 'GET', url: '/v1/link', headers: { dpop: String(field()) } }),
      () => ({ method: 'POST', url: '/v1/link/start', headers: { dpop: `${String(field())}.e30.x` } }),
      () => ({
        method: 'GET',
        url: `/v1/link?${String(field())}=1`,
        headers: { authorization: String(field()) },
      }),
    ];
    const failures: string[] = [];
    for (let i = 0; i < 2000; i += 1) {
      const r = pick(builders)();
      // Most requests carry a good proof, so that the bodies behind the DPoP guard are reached too.
      const proof =
        random() < 0.7 ? await dpopHeaders(s.app, key, r.method, r.url.split('?')[0]) : ({} as DpopHeaders);
      const res = await s.inject({
        method: r.method,
        url: r.url,
        payload: r.payload,
        headers: {
          'content-type': 'application/json',
          'accept-language': random() < 0.5 ? 'en' : 'ja',
          ...proof,
          ...r.headers,
        },
      });
      const type = String(res.headers['content-type'] ?? '');
      const ok = res.statusCode < 500 && (res.statusCode < 400 || /^application\/problem\+json/.test(type));
      if (!ok)
        failures.push(
          `${r.method} ${r.url} ${r.payload?.slice(0, 200)} → ${res.statusCode} ${res.body.slice(0, 200)}`,
        );
    }
    expect(failures).toEqual([]);
    // Nothing half-written: no person exists without a successful link.
    const people = await s.db.query(`SELECT count(*)::int AS n FROM people`);
    expect(people.rows[0].n).toBe(0);
    const ready = await s.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
  });
});
