import { fromCounters } from './usage.service.js';

describe('usage figures from a day of counters', () => {
  it('splits api calls by feature and computes upstream error rates', () => {
    const out = fromCounters({
      'api:notices': 7,
      'api:todos': 2,
      'upstream:mynaportal:calls': 200,
      'upstream:mynaportal:errors': 3,
      'upstream:oidc:calls': 5,
      activePushDevices: 42,
    });
    expect(out.apiCalls).toEqual({ notices: 7, todos: 2 });
    expect(out.upstreams).toEqual([
      { upstream: 'mynaportal', calls: 200, errors: 3, errorRate: 0.015 },
      { upstream: 'oidc', calls: 5, errors: 0, errorRate: 0 },
    ]);
    expect(out.activePushDevices).toBe(42);
  });

  it('a day without counters has no calls and no device snapshot', () => {
    expect(fromCounters({})).toEqual({ activePushDevices: null, apiCalls: {}, upstreams: [] });
  });
});
