/**
 * CloudWatch Embedded Metric Format: a JSON log line that CloudWatch Logs turns into metrics.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export interface EmfMetric {
  name: string;
  value: number;
  unit: 'Count' | 'Seconds' | 'None';
}

export function emfLine(
  namespace: string,
  dimensions: Record<string, string>,
  metrics: EmfMetric[],
  timestamp = Date.now(),
): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [Object.keys(dimensions)],
          Metrics: metrics.map((m) => ({ Name: m.name, Unit: m.unit })),
        },
      ],
    },
    ...dimensions,
    ...Object.fromEntries(metrics.map((m) => [m.name, m.value])),
  };
}
