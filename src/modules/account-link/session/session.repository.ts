import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { AppSession } from './app-session.js';

@Injectable()
export class SessionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The session with this token hash that has not been revoked, and whether it is past its expiry
   * (which is the link's: an expired one means "link again", not "unknown"). One indexed lookup,
   * run on every app request, so it is a named prepared statement on the pg pool under TypeORM:
   * PostgreSQL parses and plans it once per connection instead of on every request.
   */
  async findUnrevoked(tokenHash: Buffer): Promise<{ session: AppSession; expired: boolean } | null> {
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    const { rows } = await pool.query<{
      id: string;
      person_id: string;
      subject: string;
      device_id: string;
      live: boolean;
    }>({
      name: 'session_find_unrevoked',
      text: `SELECT d.id, d.person_id, p.subject, d.device_id, d.session_expires_at > now() AS live
         FROM device_links d JOIN people p ON p.id = d.person_id
        WHERE d.session_token_hash = $1 AND d.revoked_at IS NULL`,
      values: [tokenHash],
    });
    const row = rows[0];
    if (!row) return null;
    return {
      session: { userId: row.person_id, subject: row.subject, deviceLinkId: row.id, deviceId: row.device_id },
      expired: !row.live,
    };
  }

  /** Sessions live as long as the link: a refresh that extends the link extends them. */
  async extendTo(personId: string, expiresAt: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE device_links SET session_expires_at = $2 WHERE person_id = $1 AND revoked_at IS NULL`,
      [personId, expiresAt],
    );
  }
}
