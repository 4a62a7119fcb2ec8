import { daysBetween, featureOf, jstDay } from './jst-day.js';

describe('usage day and feature keys', () => {
  it('counts days in JST: 15:00 UTC is already the next day', () => {
    expect(jstDay(new Date('2026-03-31T14:59:59Z'))).toBe('2026-03-31');
    expect(jstDay(new Date('2026-03-31T15:00:00Z'))).toBe('2026-04-01');
  });

  it('lists every day of a range, inclusive, across a month end', () => {
    expect(daysBetween('2026-02-27', '2026-03-01')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
    expect(daysBetween('2026-03-02', '2026-03-01')).toEqual([]);
  });

  it('names the feature by the first path segment of /v1 routes only', () => {
    expect(featureOf('/v1/notices/:id')).toBe('notices');
    expect(featureOf('/v1/link/start')).toBe('link');
    expect(featureOf('/admin/v1/system')).toBeNull();
    expect(featureOf('/health/ready')).toBeNull();
  });
});
