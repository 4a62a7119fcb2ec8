import type { AppConfig } from '../../config/app-config.js';
import type { ResilienceOptions } from './resilience.options.js';

/** Breaker settings from config for one upstream, with its own deadline. */
export function resilienceOptions(
  upstream: string,
  timeoutMs: number,
  breaker: AppConfig['upstreams']['breaker'],
): ResilienceOptions {
  return {
    upstream,
    timeoutMs,
    errorThresholdPercentage: breaker.errorThresholdPercentage,
    resetTimeoutMs: breaker.resetTimeoutMs,
    volumeThreshold: breaker.volumeThreshold,
    rollingCountTimeoutMs: breaker.rollingWindowMs,
  };
}
