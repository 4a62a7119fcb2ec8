import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

type UpstreamLabels = 'upstream' | 'operation' | 'outcome';

/** The process's Prometheus registry and the HTTP and upstream metrics every route and client shares. */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly upstreamDuration: Histogram<UpstreamLabels>;
  readonly upstreamRequests: Counter<UpstreamLabels>;
  /** Refresh tokens that could not be revoked at the provider because they no longer decrypt. */
  readonly revocationsSkipped: Counter<'reason'>;
  /** push messages by outcome: sent, failed, invalid_token, cancelled, retried */
  readonly pushMessages: Counter<'outcome'>;
  readonly pushBatchDuration: Histogram<'outcome'>;
  /** batches recorded and campaigns ended, for progress dashboards */
  readonly pushCampaignEvents: Counter<'event'>;
  /** app-session lookups by where they were answered from: cache (this process) or database */
  readonly sessionLookups: Counter<'source'>;
  /** DPoP proofs refused, by reason (DpopRejectionReason) */
  readonly dpopRejections: Counter<'reason'>;
  /** provider token refreshes by outcome: refreshed, rejected (link expired), failed */
  readonly tokenRefreshes: Counter<'outcome'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route template and status',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
      registers: [this.registry],
    });
    this.upstreamDuration = new Histogram({
      name: 'upstream_request_duration_seconds',
      help: 'Upstream call duration by upstream, operation and outcome',
      labelNames: ['upstream', 'operation', 'outcome'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3],
      registers: [this.registry],
    });
    this.upstreamRequests = new Counter({
      name: 'upstream_requests_total',
      help: 'Upstream calls by upstream, operation and outcome (ok, rejected, failed, timeout, open)',
      labelNames: ['upstream', 'operation', 'outcome'],
      registers: [this.registry],
    });
    this.revocationsSkipped = new Counter({
      name: 'token_revocations_skipped_total',
      help: 'Provider tokens dropped without revocation at the provider (reason: undecryptable, e.g. a retired key)',
      labelNames: ['reason'],
      registers: [this.registry],
    });
    this.pushMessages = new Counter({
      name: 'push_messages_total',
      help: 'Push messages by outcome (sent, failed, invalid_token, cancelled, retried)',
      labelNames: ['outcome'],
      registers: [this.registry],
    });
    this.pushBatchDuration = new Histogram({
      name: 'push_send_batch_duration_seconds',
      help: 'Time to send one batch of up to 500 messages, retries included',
      labelNames: ['outcome'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [this.registry],
    });
    this.pushCampaignEvents = new Counter({
      name: 'push_campaign_events_total',
      help: 'Campaign progress: batches_enqueued, batches_recorded, completed, cancelled',
      labelNames: ['event'],
      registers: [this.registry],
    });
    this.dpopRejections = new Counter({
      name: 'dpop_rejections_total',
      help: 'DPoP proofs refused (401 DPOP_PROOF_INVALID) by reason: missing, malformed, header, key, signature, jti, htm, htu, ath, iat, use_nonce, replay, bearer, key_mismatch',
      labelNames: ['reason'],
      registers: [this.registry],
    });
    this.tokenRefreshes = new Counter({
      name: 'token_refreshes_total',
      help: 'Provider access-token refreshes by outcome: refreshed, rejected (the link expired), failed (provider unavailable)',
      labelNames: ['outcome'],
      registers: [this.registry],
    });
    this.sessionLookups = new Counter({
      name: 'session_lookups_total',
      help: 'App-session lookups by source: cache (this process, revocation checked in Redis) or database',
      labelNames: ['source'],
      registers: [this.registry],
    });
  }
}
