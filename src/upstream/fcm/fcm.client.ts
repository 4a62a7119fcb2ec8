import { readFileSync } from 'node:fs';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Message, Messaging } from 'firebase-admin/messaging';
import type { AppConfig } from '../../config/app-config.js';
import { Metrics } from '../../metrics/metrics.js';
import { BreakerRegistry } from '../breaker-registry.js';
import { resilienceOptions } from '../resilience/resilience.config.js';
import { ResilientExecutor } from '../resilience/resilient-executor.js';
import { UpstreamUnavailableError } from '../resilience/upstream.errors.js';
import {
  classifyFcmError,
  isBatchConfigurationFault,
  isBatchOutage,
  isThrottled,
  type TokenOutcome,
} from './fcm-outcome.js';

const UPSTREAM = 'fcm';

export interface TokenResult {
  outcome: 'sent' | TokenOutcome;
  code?: string;
  /** FCM throttles us (429 quota): retried after Retry-After, never counted against the token */
  throttled?: boolean;
  /** seconds, from FCM's Retry-After on a 429/503 for this token */
  retryAfterSeconds?: number;
}

/** The whole batch was refused for our credentials/project: sending pauses (breaker), tokens stay. */
export class FcmConfigurationError extends Error {
  constructor(readonly code: string) {
    super(`FCM configuration fault: ${code}`);
    this.name = 'FcmConfigurationError';
  }
}

export interface SendEachOptions {
  /**
   * Every token failing alike means FCM is down (default). Not for a retry round of a batch: those
   * tokens are the ones that already failed while the rest of their batch went through, so their
   * all failing again says nothing of FCM (a single `unavailable` token would otherwise hold its
   * batch forever).
   */
  outageCheck?: boolean;
}

/** The sender as the send worker sees it (faked in unit tests). */
export interface FcmSender {
  sendEach(messages: Message[], options?: SendEachOptions): Promise<TokenResult[]>;
  readonly paused: boolean;
}

/**
 * The one FCM client: firebase-admin `sendEach` through the shared ResilientExecutor (breaker,
 * metrics, error mapping). firebase-admin takes no AbortSignal, so the executor's deadline
 * (FCM_TIMEOUT_MS) is set above the SDK's own request timeout and retries: a running sendEach
 * settles by itself and is never abandoned and resent as a new batch. Per-token outcomes come only
 * from the responses received.
 */
@Injectable()
export class FcmClient implements FcmSender, OnModuleDestroy {
  private readonly executor: ResilientExecutor;
  private messaging?: Promise<Messaging>;
  private readonly settings: AppConfig['fcm'];

  constructor(config: ConfigService<AppConfig, true>, breakers: BreakerRegistry, metrics: Metrics) {
    this.settings = config.get('fcm', { infer: true });
    this.executor = new ResilientExecutor(
      resilienceOptions(UPSTREAM, this.settings.timeoutMs, config.get('upstreams', { infer: true }).breaker),
      breakers,
      metrics,
    );
  }

  get paused(): boolean {
    return this.executor.open;
  }

  async sendEach(messages: Message[], { outageCheck = true }: SendEachOptions = {}): Promise<TokenResult[]> {
    const messaging = await this.client();
    return this.executor.execute('sendEach', async () => {
      const batch = await messaging.sendEach(messages);
      const codes = batch.responses.map((r) => (r.success ? undefined : r.error?.code));
      if (batch.failureCount === messages.length && isBatchConfigurationFault(codes))
        throw new FcmConfigurationError(codes[0] ?? 'unknown');
      // FCM down (every token 503/500/network after the SDK's own retries): one upstream failure for
      // the breaker, and the batch is tried again later as a whole; nothing of it was delivered
      if (outageCheck && batch.failureCount === messages.length && isBatchOutage(codes))
        throw new UpstreamUnavailableError(UPSTREAM, `every token answered ${codes[0]}`, 1);
      return batch.responses.map((r): TokenResult => {
        if (r.success) return { outcome: 'sent' };
        const code = r.error?.code;
        const headers = (r.error as { httpResponse?: { headers?: Record<string, string> } } | undefined)
          ?.httpResponse?.headers;
        const retryAfter = Number(headers?.['retry-after']);
        return {
          outcome: classifyFcmError(code),
          code,
          throttled: isThrottled(code) || undefined,
          retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
        };
      });
    });
  }

  async onModuleDestroy(): Promise<void> {
    if (!this.messaging) return;
    const { deleteApp } = await import('firebase-admin/app');
    await deleteApp((await this.messaging).app);
  }

  /**
   * firebase-admin is loaded on the first send, not at start: only the worker role sends, and the
   * SDK and its Google dependencies are ~20 MiB of the api role's memory otherwise (TARGETS.md:
   * RSS when ready).
   */
  private client(): Promise<Messaging> {
    if (!this.messaging) {
      const ca = this.settings.simulatorCa;
      this.messaging = import('./firebase-messaging.factory.js').then(({ createFirebaseMessaging }) =>
        createFirebaseMessaging({
          projectId: this.settings.projectId,
          credential: this.settings.serviceAccountJson,
          simulatorUrl: this.settings.simulatorUrl,
          caCert: ca && !ca.startsWith('-----') ? readFileSync(ca, 'utf8') : ca,
        }),
      );
    }
    return this.messaging;
  }
}
