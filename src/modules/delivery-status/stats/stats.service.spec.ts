import { sumPerDay } from './stats.service.js';

const row = (day: string, category: string, sent: number, opened: number) => ({
  day,
  category,
  notifications: 1,
  targeted: sent + 1,
  sent,
  failed: 1,
  invalidTokens: 0,
  received: opened,
  opened,
});

describe('daily statistics', () => {
  it('adds categories up per day, fills days without sends and computes opened / sent', () => {
    const items = sumPerDay(
      ['2026-04-01', '2026-04-02', '2026-04-03'],
      [
        row('2026-04-01', 'operator', 100, 25),
        row('2026-04-01', 'nws', 300, 15),
        row('2026-04-03', 'nws', 0, 0),
      ],
    );
    expect(items.map((d) => d.day)).toEqual(['2026-04-01', '2026-04-02', '2026-04-03']);
    expect(items[0]).toMatchObject({ notifications: 2, sent: 400, opened: 40, failed: 2, openRate: 0.1 });
    expect(items[1]).toMatchObject({ sent: 0, opened: 0, openRate: 0 });
    expect(items[2].openRate).toBe(0);
  });
});
