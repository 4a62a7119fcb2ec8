import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../../config/app-config.js';
import { AppLogger } from '../../../common/logging/app-logger.js';
import { Metrics } from '../../../metrics/metrics.js';
import { REDIS } from '../../../redis/redis.constants.js';
import type { AppSession } from './app-session.js';

export interface FoundSession {
  session: AppSession;
  /** Thumbprint of the DPoP key the session is bound to (null for links made before binding). */
  thumbprint: string | null;
  expired: boolean;
  /**
   * True when it came from this process's cache: the caller must then ask `stillUnrevoked` (one
   * Redis EXISTS, sent with its other Redis commands) before trusting it.
   */
  cached: boolean;
}

interface CachedSession {
  session: AppSession;
  thumbprint: string | null;
  sessionExpiresAtMs: number;
  linkedAtMs: number;
  until: number;
}

/** How long a session read from PostgreSQL is reused by this process (revocation stays immediate: see findUnrevoked). */
export const SESSION_CACHE_TTL_MS = 30_000;
/** A revocation marker outlives every cache entry that can have been filled before the revocation. */
const REVOKED_MARKER_TTL_SECONDS = 2 * (SESSION_CACHE_TTL_MS / 1000);
const SESSION_CACHE_MAX_ENTRIES = 20_000;
/** Writing the markers never holds up an unlink for long (API.md: unlink answers at once). */
const MARKER_WRITE_TIMEOUT_MS = 1_000;

@Injectable()
export class SessionRepository {
  /** Absolute session lifetime from the link, whatever refreshes extended (config, default 400 days). */
  private readonly maxLifetimeSeconds: number;
  /** By session token hash (base64); a Map in insertion order, so the oldest is evicted first. */
  private readonly cache = new Map<string, CachedSession>();
  private readonly cacheKeyOfLink = new Map<string, string>();
  private readonly log: AppLogger;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly metrics: Metrics,
    config: ConfigService<AppConfig, true>,
    logger: AppLogger,
  ) {
    this.maxLifetimeSeconds = config.get('session', { infer: true }).maxLifetimeSeconds;
    this.log = logger.forContext('SessionRepository');
    // Markers written while this process could not read them would be missed: forget everything.
    redis.on('close', () => this.forgetAll());
  }

  /**
   * The session with this token hash that has not been revoked, and whether it is past its expiry.
   *
   * Every app request asks this, so a session read from PostgreSQL is reused for up to
   * SESSION_CACHE_TTL_MS by this process (ADR 0006, "Cost"). Revocation stays immediate across
   * tasks: a revoking write (unlink, a new device, a device re-linked to someone else) sets a
   * Redis marker for the device link before it answers, and a cached session is only accepted
   * after `stillUnrevoked` found no marker. Without Redis, nothing is served from the cache.
   * A cached session that looks expired is read again (a refresh in another task may have
   * extended it).
   */
  async findUnrevoked(tokenHash: Buffer): Promise<FoundSession | null> {
    const key = tokenHash.toString('base64');
    const hit = this.cache.get(key);
    const now = Date.now();
    if (hit && hit.until > now && this.redis.status === 'ready') {
      const live = hit.sessionExpiresAtMs > now && hit.linkedAtMs > now - this.maxLifetimeSeconds * 1000;
      if (live) {
        this.metrics.sessionLookups.inc({ source: 'cache' });
        return { session: hit.session, thumbprint: hit.thumbprint, expired: false, cached: true };
      }
    }
    this.metrics.sessionLookups.inc({ source: 'database' });
    return this.read(key, tokenHash);
  }

  /**
   * False when the cached session's device link was revoked since it was read (its marker is in
   * Redis). If Redis cannot answer, PostgreSQL does, and the cache is emptied.
   */
  async stillUnrevoked(tokenHash: Buffer, found: FoundSession): Promise<boolean> {
    try {
      if ((await this.redis.exists(revokedMarker(found.session.deviceLinkId))) === 0) return true;
      this.forget(found.session.deviceLinkId);
      return false;
    } catch {
      this.forgetAll();
      const again = await this.read(tokenHash.toString('base64'), tokenHash);
      return again !== null && !again.expired && again.session.deviceLinkId === found.session.deviceLinkId;
    }
  }

  /**
   * After a revoking write has committed: marks the device links revoked for every task (before
   * the caller answers) and forgets them here. Bounded: if Redis cannot take the markers, the
   * tasks that lost Redis have emptied their caches (see the constructor), and this is logged.
   */
  async revoked(deviceLinkIds: readonly string[]): Promise<void> {
    if (deviceLinkIds.length === 0) return;
    for (const id of deviceLinkIds) this.forget(id);
    const pipeline = this.redis.pipeline();
    for (const id of deviceLinkIds) pipeline.set(revokedMarker(id), '1', 'EX', REVOKED_MARKER_TTL_SECONDS);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        pipeline.exec().then((results) => {
          const failed = results?.find(([error]) => error)?.[0];
          if (failed) throw failed;
        }),
        new Promise((_, fail) => {
          timer = setTimeout(() => fail(new Error('timed out')), MARKER_WRITE_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      this.log.warn(
        { reason: (error as Error).message, deviceLinks: deviceLinkIds.length },
        'session revocation markers not written: other tasks rely on their Redis connection loss',
      );
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The session from PostgreSQL (the expiry is the link's: an expired one means "link again", not
   * "unknown"), remembered when live. One indexed lookup, a named prepared statement on the pg
   * pool under TypeORM: PostgreSQL parses and plans it once per connection. It also returns the
   * key thumbprint, so device binding costs no extra round trip.
   */
  private async read(key: string, tokenHash: Buffer): Promise<FoundSession | null> {
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    const { rows } = await pool.query<{
      id: string;
      person_id: string;
      subject: string;
      device_id: string;
      dpop_jkt: string | null;
      session_expires_at: Date;
      linked_at: Date;
      live: boolean;
    }>({
      name: 'session_find_unrevoked_v3',
      text: `SELECT d.id, d.person_id, p.subject, d.device_id, d.dpop_jkt, d.session_expires_at, d.linked_at,
                    d.session_expires_at > now() AND d.linked_at > now() - make_interval(secs => $2) AS live
         FROM device_links d JOIN people p ON p.id = d.person_id
        WHERE d.session_token_hash = $1 AND d.revoked_at IS NULL`,
      values: [tokenHash, this.maxLifetimeSeconds],
    });
    const row = rows[0];
    if (!row) {
      this.cache.delete(key);
      return null;
    }
    const session = {
      userId: row.person_id,
      subject: row.subject,
      deviceLinkId: row.id,
      deviceId: row.device_id,
    };
    if (row.live) {
      this.remember(key, {
        session,
        thumbprint: row.dpop_jkt,
        sessionExpiresAtMs: row.session_expires_at.getTime(),
        linkedAtMs: row.linked_at.getTime(),
        until: Date.now() + SESSION_CACHE_TTL_MS,
      });
    }
    return { session, thumbprint: row.dpop_jkt, expired: !row.live, cached: false };
  }

  private remember(key: string, entry: CachedSession): void {
    this.cache.delete(key);
    if (this.cache.size >= SESSION_CACHE_MAX_ENTRIES) {
      const [oldestKey, oldest] = this.cache.entries().next().value!;
      this.cache.delete(oldestKey);
      this.cacheKeyOfLink.delete(oldest.session.deviceLinkId);
    }
    this.cache.set(key, entry);
    this.cacheKeyOfLink.set(entry.session.deviceLinkId, key);
  }

  private forget(deviceLinkId: string): void {
    const key = this.cacheKeyOfLink.get(deviceLinkId);
    if (key === undefined) return;
    this.cacheKeyOfLink.delete(deviceLinkId);
    this.cache.delete(key);
  }

  private forgetAll(): void {
    this.cache.clear();
    this.cacheKeyOfLink.clear();
  }

  /** True while this person's device link is not revoked and its session has not expired. */
  async isLive(deviceLinkId: string, personId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM device_links
        WHERE id = $1 AND person_id = $2 AND revoked_at IS NULL
          AND session_expires_at > now() AND linked_at > now() - make_interval(secs => $3)`,
      [deviceLinkId, personId, this.maxLifetimeSeconds],
    );
    return rows.length > 0;
  }

  /**
   * Sessions live as long as the link: a refresh that extends the link extends them, never beyond
   * the absolute lifetime.
   */
  async extendTo(personId: string, expiresAt: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE device_links SET session_expires_at = LEAST($2, linked_at + make_interval(secs => $3))
        WHERE person_id = $1 AND revoked_at IS NULL`,
      [personId, expiresAt, this.maxLifetimeSeconds],
    );
  }
}

function revokedMarker(deviceLinkId: string): string {
  return `session:revoked:${deviceLinkId}`;
}
