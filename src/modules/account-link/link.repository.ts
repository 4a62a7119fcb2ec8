import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { TokenCipher } from '../../common/crypto/token-cipher.js';
import type { ProviderTokens } from '../../upstream/oidc/oidc.client.js';
import type { Locale, Platform, RevokeReason } from './entities/device-link.entity.js';
import { DEVICE_LINK_LIFECYCLE, type DeviceLinkLifecycle } from './device-link-lifecycle.js';
import { ProviderTokenRepository } from './tokens/provider-token.repository.js';
import { SessionRepository } from './session/session.repository.js';

export interface NewDeviceLink {
  subject: string;
  deviceId: string;
  /** Thumbprint of the device's DPoP key. */
  thumbprint: string;
  platform: Platform;
  locale: Locale;
  pushToken: string | null;
  sessionTokenHash: Buffer;
  /** The link's refresh expiry, capped by the absolute session lifetime. */
  sessionExpiresAt: Date;
  tokens: ProviderTokens;
}

export interface BoundDevice {
  personId: string;
  deviceLinkId: string;
  /** Links this binding revoked: the person's previous device, or this device's previous person. */
  revoked: { deviceLinkId: string; personId: string; reason: RevokeReason }[];
  /** token_revocations rows written for refresh tokens that this link made obsolete. */
  revocationIds: string[];
}

export interface LinkStatusRow {
  device_id: string;
  platform: Platform;
  linked_at: Date;
  access_expires_at: Date | null;
  refresh_expires_at: Date | null;
}

/** The writes of linking and unlinking, each in one transaction. */
@Injectable()
export class LinkRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: ProviderTokenRepository,
    private readonly cipher: TokenCipher,
    private readonly sessions: SessionRepository,
    @Optional() @Inject(DEVICE_LINK_LIFECYCLE) private readonly lifecycle?: DeviceLinkLifecycle,
  ) {}

  /**
   * Upserts the person, revokes the person's other device (session and push token) and any link
   * this device had to another person, binds this device with its session, and stores the tokens —
   * all or nothing (ARCHITECTURE.md decision 3). The revoked sessions end in every task before
   * this returns (SessionRepository.revoked).
   */
  async bindDevice(link: NewDeviceLink): Promise<BoundDevice> {
    const bound = await this.bindDeviceInTransaction(link);
    await this.sessions.revoked(bound.revoked.map((r) => r.deviceLinkId));
    return bound;
  }

  private bindDeviceInTransaction(link: NewDeviceLink): Promise<BoundDevice> {
    // Few round trips: this runs once per link completion (TARGETS.md: ≥ 450/s).
    return this.dataSource.transaction(async (manager) => {
      // Completions for one device key are serialised (transaction-scoped advisory lock), so two
      // racing ones end with the later one holding the device and the earlier one's grant retired,
      // never a unique-index violation (500) with an orphaned grant.
      // The upsert also row-locks the person, serialising concurrent links of the same person. One
      // round trip for both: the upsert's row comes from the CTE, so the lock is taken first.
      const personRows: { id: string }[] = await manager.query(
        `WITH serialised AS MATERIALIZED (SELECT pg_advisory_xact_lock(hashtextextended($2, 7638)))
         INSERT INTO people (subject) SELECT $1 FROM serialised
         ON CONFLICT (subject) DO UPDATE SET updated_at = now()
         RETURNING id`,
        [link.subject, link.thumbprint],
      );
      const personId = personRows[0].id;

      // One device per person, one person per device key: revoke both kinds of previous link at once.
      // The device key, not the deviceId label, decides: a deviceId alone never revokes anything.
      const [revokedRows] = await manager.query<
        [{ id: string; person_id: string; revoked_reason: RevokeReason }[], number]
      >(
        `UPDATE device_links
            SET revoked_at = now(),
                revoked_reason = CASE WHEN person_id = $1 THEN 'replaced' ELSE 'device_relinked' END
          WHERE (person_id = $1 OR dpop_jkt = $2) AND revoked_at IS NULL
          RETURNING id, person_id, revoked_reason`,
        [personId, link.thumbprint],
      );
      const revoked = revokedRows.map((r) => ({
        deviceLinkId: r.id,
        personId: r.person_id,
        reason: r.revoked_reason,
      }));
      if (revoked.length > 0)
        await this.lifecycle?.onRevoked(
          manager,
          revoked.map((r) => r.deviceLinkId),
        );
      const revocationIds: string[] = [];
      for (const other of revoked.filter((r) => r.personId !== personId)) {
        // The device now belongs to someone else: the previous person's tokens go too.
        const id = await this.retireTokens(manager, other.personId);
        if (id) revocationIds.push(id);
      }

      const deviceLinkId = randomUUID();
      await manager.query(
        `INSERT INTO device_links (id, person_id, device_id, dpop_jkt, platform, locale, session_token_hash, session_expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          deviceLinkId,
          personId,
          link.deviceId,
          link.thumbprint,
          link.platform,
          link.locale,
          link.sessionTokenHash,
          link.sessionExpiresAt,
        ],
      );
      await this.lifecycle?.onBound(manager, {
        deviceLinkId,
        personId,
        platform: link.platform,
        locale: link.locale,
        pushToken: link.pushToken,
      });
      const replacedRefresh = await this.tokens.replace(manager, personId, link.tokens);
      if (replacedRefresh)
        revocationIds.push(await this.insertRevocation(manager, personId, replacedRefresh));
      return { personId, deviceLinkId, revoked, revocationIds };
    });
  }

  /** Ends the session, forgets the push token, deletes the tokens and queues their revocation. */
  async unlink(personId: string, deviceLinkId: string): Promise<string | null> {
    const revocationId = await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE device_links SET revoked_at = now(), revoked_reason = 'unlinked'
          WHERE id = $1 AND revoked_at IS NULL`,
        [deviceLinkId],
      );
      await this.lifecycle?.onRevoked(manager, [deviceLinkId]);
      return this.retireTokens(manager, personId);
    });
    await this.sessions.revoked([deviceLinkId]);
    return revocationId;
  }

  async status(deviceLinkId: string): Promise<LinkStatusRow | null> {
    const rows: LinkStatusRow[] = await this.dataSource.query(
      `SELECT d.device_id, d.platform, d.linked_at, t.access_expires_at, t.refresh_expires_at
         FROM device_links d LEFT JOIN provider_tokens t ON t.person_id = d.person_id
        WHERE d.id = $1`,
      [deviceLinkId],
    );
    return rows[0] ?? null;
  }

  /**
   * Counts an attempt on an outbox row and returns its refresh token; null when the row is gone
   * (already revoked), so a repeated job has nothing left to do.
   */
  async claimRevocation(revocationId: string): Promise<string | null> {
    const [rows] = await this.dataSource.query<[{ token_enc: Buffer }[], number]>(
      `UPDATE token_revocations SET attempts = attempts + 1 WHERE id = $1 RETURNING token_enc`,
      [revocationId],
    );
    const row = rows[0];
    return row ? this.cipher.decrypt(row.token_enc, revocationContext(revocationId)) : null;
  }

  async completeRevocation(revocationId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM token_revocations WHERE id = $1`, [revocationId]);
  }

  async pendingRevocations(limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM token_revocations ORDER BY created_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  private async retireTokens(manager: EntityManager, personId: string): Promise<string | null> {
    const refreshToken = await this.tokens.take(manager, personId);
    return refreshToken ? this.insertRevocation(manager, personId, refreshToken) : null;
  }

  private async insertRevocation(
    manager: EntityManager,
    personId: string,
    refreshToken: string,
  ): Promise<string> {
    const id = randomUUID();
    await manager.query(`INSERT INTO token_revocations (id, person_id, token_enc) VALUES ($1, $2, $3)`, [
      id,
      personId,
      this.cipher.encrypt(refreshToken, revocationContext(id)),
    ]);
    return id;
  }
}

function revocationContext(revocationId: string): string {
  return `token_revocations:${revocationId}`;
}
