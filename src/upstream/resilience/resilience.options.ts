export interface ResilienceOptions {
  /** Name of the upstream, used in metrics, logs and readiness (e.g. "mynaportal"). */
  upstream: string;
  /** Per-call deadline; every call is aborted after it. Must stay well under the 3 s response maximum. */
  timeoutMs: number;
  /** Percentage of failures within the rolling window that opens the breaker. */
  errorThresholdPercentage: number;
  /** How long the breaker stays open before letting one trial call through (half-open). */
  resetTimeoutMs: number;
  /** Minimum calls in the window before the breaker may open. */
  volumeThreshold: number;
  /** Rolling statistics window. */
  rollingCountTimeoutMs: number;
}
