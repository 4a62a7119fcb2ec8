import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppSession } from './app-session.js';

@Injectable()
export class SessionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The active session with this token hash: not revoked, not expired. One indexed lookup. */
  async findActive(tokenHash: Buffer): Promise<AppSession | null> {
    const rows: { id: string; person_id: string; subject: string; device_id: string }[] =
      await this.dataSource.query(
        `SELECT d.id, d.person_id, p.subject, d.device_id
         FROM device_links d JOIN people p ON p.id = d.person_id
        WHERE d.session_token_hash = $1 AND d.revoked_at IS NULL AND d.session_expires_at > now()`,
        [tokenHash],
      );
    const row = rows[0];
    return row
      ? { userId: row.person_id, subject: row.subject, deviceLinkId: row.id, deviceId: row.device_id }
      : null;
  }
}
