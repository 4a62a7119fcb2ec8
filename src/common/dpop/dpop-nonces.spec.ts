import { DpopNonces, NONCE_LIFETIME_SECONDS } from './dpop-nonces';

const keys = new Map([
  ['n2', Buffer.alloc(32, 2)],
  ['n1', Buffer.alloc(32, 1)],
]);
const T = 1_764_662_400_000;

describe('DpopNonces (stateless, HMAC over the issue time)', () => {
  const nonces = new DpopNonces(keys, 'n2');

  it('accepts its own nonce for 5 minutes, not after', () => {
    const nonce = nonces.current(T);
    expect(nonces.isValid(nonce, T)).toBe(true);
    expect(nonces.isValid(nonce, T + (NONCE_LIFETIME_SECONDS - 10) * 1000)).toBe(true);
    expect(nonces.isValid(nonce, T + (NONCE_LIFETIME_SECONDS + 11) * 1000)).toBe(false);
  });

  it('accepts a nonce of an older key still listed (rotation), and another task agrees', () => {
    const old = new DpopNonces(keys, 'n1').current(T);
    expect(new DpopNonces(keys, 'n2').isValid(old, T + 1000)).toBe(true);
    expect(new DpopNonces(new Map([['n2', keys.get('n2')!]]), 'n2').isValid(old, T)).toBe(false);
  });

  it('refuses forged, altered or malformed nonces', () => {
    const nonce = nonces.current(T);
    const [kid, issued, mac] = nonce.split('.');
    const later = (parseInt(issued, 36) + 3600).toString(36);
    for (const bad of [
      `${kid}.${later}.${mac}`,
      `${kid}.${issued}.${'A'.repeat(22)}`,
      `n9.${issued}.${mac}`,
      `${nonce}.x`,
      '',
      42,
      null,
      'x'.repeat(200),
    ]) {
      expect(nonces.isValid(bad, T)).toBe(false);
    }
  });

  it('mints one nonce per 10 s step (one HMAC serves every request of a step)', () => {
    expect(nonces.current(T)).toBe(nonces.current(T + 9_000));
    expect(nonces.current(T)).not.toBe(nonces.current(T + 10_000));
  });
});
