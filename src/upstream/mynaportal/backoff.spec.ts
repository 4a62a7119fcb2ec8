import { fullJitterDelay } from './backoff';

describe('fullJitterDelay', () => {
  it('stays within [0, min(cap, base·2^attempt))', () => {
    for (let attempt = 0; attempt < 8; attempt += 1) {
      for (let i = 0; i < 200; i += 1) {
        const delay = fullJitterDelay(attempt, 50, 400);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(Math.min(400, 50 * 2 ** attempt));
      }
    }
  });

  it('uses the whole range (jitter, not a fixed step)', () => {
    expect(fullJitterDelay(2, 50, 400, () => 0)).toBe(0);
    expect(fullJitterDelay(2, 50, 400, () => 0.999)).toBe(199);
    expect(fullJitterDelay(10, 50, 400, () => 0.5)).toBe(200);
  });
});
