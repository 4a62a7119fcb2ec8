import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../../config/app-config.js';
import type { AppSession } from './app-session.js';

export interface FoundSession {
  session: AppSession;
  /** Thumbprint of the DPoP key the session is bound to (null for links made before binding). */
  thumbprint: string | null;
  expired: boolean;
}

@Injectable()
export class SessionRepository {
  /** Absolute session lifetime from the link, whatever refreshes extended (config, default 400 days). */
  private readonly maxLifetimeSeconds: number;

  constructor(
    private readonly dataSource: DataSource,
    config: ConfigService<AppConfig, true>,
  ) {
    this.maxLifetimeSeconds = config.get('session', { infer: true }).maxLifetimeSeconds;
  }

  /**
   * The session with this token hash that has not been revoked, and whether it is past its expiry
   * (which is the link's: an expired one means "link again", not "unknown"). One indexed lookup,
   * run on every app request, so it is a named prepared statement on the pg pool under TypeORM:
   * PostgreSQL parses and plans it once per connection instead of on every request. It also
   * returns the key thumbprint, so device binding costs no extra round trip.
   */
  async findUnrevoked(tokenHash: Buffer): Promise<FoundSession | null> {
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    const { rows } = await pool.query<{
      id: string;
      person_id: string;
      subject: string;
      device_id: string;
      dpop_jkt: string | null;
      live: boolean;
    }>({
      name: 'session_find_unrevoked_v2',
      text: `SELECT d.id, d.person_id, p.subject, d.device_id, d.dpop_jkt,
                    d.session_expires_at > now() AND d.linked_at > now() - make_interval(secs => $2) AS live
         FROM device_links d JOIN people p ON p.id = d.person_id
        WHERE d.session_token_hash = $1 AND d.revoked_at IS NULL`,
      values: [tokenHash, this.maxLifetimeSeconds],
    });
    const row = rows[0];
    if (!row) return null;
    return {
      session: { userId: row.person_id, subject: row.subject, deviceLinkId: row.id, deviceId: row.device_id },
      thumbprint: row.dpop_jkt,
      expired: !row.live,
    };
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
