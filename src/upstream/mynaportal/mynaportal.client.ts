import { requestContext } from '../../common/logging/request-context.js';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Pool, type Dispatcher } from 'undici';
import type { z } from 'zod';
import type { AppConfig } from '../../config/app-config.js';
import { Metrics } from '../../metrics/metrics.js';
import { BreakerRegistry } from '../breaker-registry.js';
import { resilienceOptions } from '../resilience/resilience.config.js';
import { ResilientExecutor } from '../resilience/resilient-executor.js';
import {
  UpstreamNotFoundError,
  UpstreamResponseError,
  UpstreamUnauthorizedError,
  UpstreamUnavailableError,
} from '../resilience/upstream.errors.js';
import { fullJitterDelay } from './backoff.js';
import { MynaportalRejectedError, MynaportalServerError } from './mynaportal.errors.js';
import {
  noticePageSchema,
  noticeSchema,
  qualificationSchema,
  ssoSessionSchema,
  todoPageSchema,
  type PortalNotice,
  type PortalNoticePage,
  type PortalQualification,
  type PortalSsoSession,
  type PortalTodoPage,
} from './mynaportal.schemas.js';

const UPSTREAM = 'mynaportal';
const MAX_BODY_BYTES = 1024 * 1024;
const BACKOFF_BASE_MS = 50;
const BACKOFF_CAP_MS = 400;
/** A retry needs at least this much of the operation's deadline left to be worth starting. */
const MIN_RETRY_BUDGET_MS = 150;

export interface PageQuery {
  limit: number;
  cursor?: string;
}

interface Call<T> {
  operation: string;
  method: 'GET' | 'POST';
  path: string;
  accessToken: string;
  schema: z.ZodType<T>;
  body?: unknown;
}

/**
 * The one client of the Mynaportal backend API. It owns the keep-alive connection pool, the breaker
 * and per-call deadline (through ResilientExecutor), retries for idempotent GETs, response
 * validation and the mapping of failures to API.md codes:
 * 401 → UpstreamUnauthorizedError (the token service refreshes once), 404 → NOT_FOUND,
 * other 4xx → UPSTREAM_ERROR (not counted by the breaker), 5xx or an unparseable / invalid body →
 * UPSTREAM_ERROR (counted), connection failures, deadlines and an open breaker → 503.
 * Upstream bodies never leave this class except as validated values.
 */
@Injectable()
export class MynaportalClient implements OnModuleDestroy {
  private readonly settings: AppConfig['mynaportal'];
  private readonly executor: ResilientExecutor;
  private readonly pool: Pool;
  private readonly basePath: string;

  constructor(config: ConfigService<AppConfig, true>, breakers: BreakerRegistry, metrics: Metrics) {
    this.settings = config.get('mynaportal', { infer: true });
    this.executor = new ResilientExecutor(
      resilienceOptions(UPSTREAM, this.settings.timeoutMs, config.get('upstreams', { infer: true }).breaker),
      breakers,
      metrics,
    );
    const base = new URL(this.settings.baseUrl);
    this.basePath = base.pathname.replace(/\/$/, '');
    this.pool = new Pool(base.origin, {
      connections: 64,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      connect: { timeout: this.settings.timeoutMs },
    });
  }

  async onModuleDestroy(): Promise<void> {
    // destroy, not close: a hung upstream request must not hold shutdown up
    await this.pool.destroy();
  }

  listNotices(accessToken: string, page: PageQuery): Promise<PortalNoticePage> {
    return this.get({
      operation: 'notices.list',
      method: 'GET',
      path: `/api/v1/notices?${pageQuery(page)}`,
      accessToken,
      schema: noticePageSchema,
    });
  }

  /** The detail; the backend marks the notice read as a side effect (idempotent, so retried). */
  getNotice(accessToken: string, noticeId: string): Promise<PortalNotice> {
    return this.get({
      operation: 'notices.get',
      method: 'GET',
      path: `/api/v1/notices/${encodeURIComponent(noticeId)}`,
      accessToken,
      schema: noticeSchema,
    });
  }

  listTodos(accessToken: string, page: PageQuery): Promise<PortalTodoPage> {
    return this.get({
      operation: 'todos.list',
      method: 'GET',
      path: `/api/v1/todos?${pageQuery(page)}`,
      accessToken,
      schema: todoPageSchema,
    });
  }

  getQualification(accessToken: string): Promise<PortalQualification> {
    return this.get({
      operation: 'insurance.qualification',
      method: 'GET',
      path: '/api/v1/insurance/qualification',
      accessToken,
      schema: qualificationSchema,
    });
  }

  /** A one-time login URL into Mynaportal web. Never retried: each call creates a session. */
  createSsoSession(accessToken: string, returnTo: string): Promise<PortalSsoSession> {
    return this.executor.execute('sso.create', (signal) =>
      this.send(
        {
          operation: 'sso.create',
          method: 'POST',
          path: '/api/v1/sso/sessions',
          accessToken,
          schema: ssoSessionSchema,
          body: { returnTo },
        },
        signal,
      ),
    );
  }

  /**
   * An idempotent GET with retries: only for failures that say nothing about the request (5xx,
   * connection errors), never on 4xx or an invalid body, never while the breaker is open, and only
   * within the operation's deadline (timeoutMs covers all attempts, not each).
   */
  private async get<T>(call: Call<T>): Promise<T> {
    const deadline = Date.now() + this.settings.timeoutMs;
    for (let attempt = 0; ; attempt += 1) {
      try {
        if (attempt === 0)
          return await this.executor.execute(call.operation, (signal) => this.send(call, signal));
        const remaining = AbortSignal.timeout(Math.max(1, deadline - Date.now()));
        return await this.executor.execute(call.operation, (signal) =>
          this.send(call, AbortSignal.any([signal, remaining])),
        );
      } catch (error) {
        if (attempt >= this.settings.maxRetries || !this.retryable(error)) throw error;
        const delay = fullJitterDelay(attempt, BACKOFF_BASE_MS, BACKOFF_CAP_MS);
        if (deadline - Date.now() - delay < MIN_RETRY_BUDGET_MS) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private retryable(error: unknown): boolean {
    if (this.executor.open) return false;
    // 429 asks us to slow down: retrying at once would be the opposite
    if (error instanceof MynaportalServerError) return error.status !== 429;
    return error instanceof UpstreamUnavailableError;
  }

  private async send<T>(call: Call<T>, signal: AbortSignal): Promise<T> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${call.accessToken}`,
      accept: 'application/json',
    };
    // The app's request id travels on, so both teams can find one request in each other's logs.
    const requestId = requestContext.getStore()?.requestId;
    if (requestId) headers['x-request-id'] = requestId;
    let body: string | undefined;
    if (call.body !== undefined) {
      body = JSON.stringify(call.body);
      headers['content-type'] = 'application/json';
    }
    const response = await this.pool.request({
      method: call.method,
      path: `${this.basePath}${call.path}`,
      headers,
      body,
      signal,
    });
    const { statusCode } = response;
    if (statusCode >= 200 && statusCode < 300) return this.parse(call, response);
    // the body is theirs, not ours to pass on: drain it so the connection is reused
    await response.body.dump().catch(() => undefined);
    if (statusCode === 401) throw new UpstreamUnauthorizedError(UPSTREAM);
    if (statusCode === 404) throw new UpstreamNotFoundError(UPSTREAM);
    if (statusCode === 429 || statusCode >= 500) throw new MynaportalServerError(call.operation, statusCode);
    throw new MynaportalRejectedError(call.operation, statusCode);
  }

  private async parse<T>(call: Call<T>, response: Dispatcher.ResponseData): Promise<T> {
    const contentType = String(response.headers['content-type'] ?? '');
    const length = Number(response.headers['content-length'] ?? 0);
    if (!/^application\/([a-z.+-]*\+)?json\b/i.test(contentType) || length > MAX_BODY_BYTES) {
      await response.body.dump().catch(() => undefined);
      throw new UpstreamResponseError(UPSTREAM, `${call.operation}: not a JSON body`);
    }
    const text = await response.body.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new UpstreamResponseError(UPSTREAM, `${call.operation}: unparseable JSON`);
    }
    const result = call.schema.safeParse(json);
    if (!result.success) {
      // paths only: the values may be personal data
      const where = result.error.issues
        .slice(0, 5)
        .map((issue) => issue.path.join('.') || '(root)')
        .join(', ');
      throw new UpstreamResponseError(UPSTREAM, `${call.operation}: unexpected body at ${where}`);
    }
    return result.data;
  }
}

function pageQuery(page: PageQuery): string {
  const query = new URLSearchParams({ limit: String(page.limit) });
  if (page.cursor) query.set('cursor', page.cursor);
  return query.toString();
}
