import { emfLine } from './emf';

describe('emfLine', () => {
  it('builds an Embedded Metric Format document with its dimensions and values at the top level', () => {
    expect(
      emfLine(
        'MynaBff',
        { Queue: 'token-revocation' },
        [{ name: 'QueueWaiting', value: 3, unit: 'Count' }],
        1000,
      ),
    ).toEqual({
      _aws: {
        Timestamp: 1000,
        CloudWatchMetrics: [
          {
            Namespace: 'MynaBff',
            Dimensions: [['Queue']],
            Metrics: [{ Name: 'QueueWaiting', Unit: 'Count' }],
          },
        ],
      },
      Queue: 'token-revocation',
      QueueWaiting: 3,
    });
  });
});
