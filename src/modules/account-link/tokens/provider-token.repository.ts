import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { TokenCipher } from '../../../common/crypto/token-cipher.js';
import { AppLogger } from '../../../common/logging/app-logger.js';
import { Metrics } from '../../../metrics/metrics.js';
import type { ProviderTokens } from '../../../upstream/oidc/oidc.client.js';
import { ProviderToken } from '../entities/provider-token.entity.js';

export interface StoredTokens {
  version: number;
  accessToken: () => string;
  refreshToken: () => string | null;
  accessExpiresAt: Date;
  /** When these tokens were stored (≈ issued): with accessExpiresAt, the access token's lifetime. */
  storedAt: Date;
  refreshExpiresAt: Date;
}

/** A stored token that no key decrypts any more (its key was retired, or the value is damaged). */
export class UndecryptableTokenError extends Error {
  constructor() {
    super('stored provider token does not decrypt');
    this.name = 'UndecryptableTokenError';
  }
}

/** How long this process reuses tokens it read (findRecent); see there for why that is safe. */
const RECENT_TTL_MS = 15_000;
const RECENT_MAX_ENTRIES = 50_000;

/** Reads and writes a person's provider tokens, encrypting on the way in, decrypting on demand. */
@Injectable()
export class ProviderTokenRepository {
  private readonly recent = new Map<string, { tokens: StoredTokens; until: number }>();
  private readonly audit: AppLogger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: TokenCipher,
    private readonly metrics: Metrics,
    logger: AppLogger,
  ) {
    this.audit = logger.forContext('audit');
  }

  /**
   * The tokens as this process read them at most RECENT_TTL_MS ago, else from the database, with the
   * access token decrypted once. For the first attempt of an upstream call only (the hot path of
   * every content request: it saves a query and a decryption): when the upstream rejects that access
   * token because another task refreshed or the link was revoked, the caller reads afresh with
   * find(), which also replaces what is remembered. Writes through this class forget at once.
   */
  async findRecent(personId: string): Promise<StoredTokens | null> {
    const hit = this.recent.get(personId);
    if (hit && hit.until > Date.now()) return hit.tokens;
    return this.find(personId);
  }

  async find(personId: string): Promise<StoredTokens | null> {
    const row = await this.dataSource.getRepository(ProviderToken).findOneBy({ personId });
    if (!row) {
      this.recent.delete(personId);
      return null;
    }
    return this.remember(personId, {
      version: row.version,
      accessToken: () => this.decrypt(row.accessTokenEnc, context(personId, 'access')),
      refreshToken: () =>
        row.refreshTokenEnc ? this.decrypt(row.refreshTokenEnc, context(personId, 'refresh')) : null,
      accessExpiresAt: row.accessExpiresAt,
      storedAt: row.updatedAt,
      refreshExpiresAt: row.refreshExpiresAt,
    });
  }

  private remember(personId: string, tokens: StoredTokens): StoredTokens {
    let accessToken: string | undefined;
    const remembered = { ...tokens, accessToken: () => (accessToken ??= tokens.accessToken()) };
    this.recent.delete(personId);
    if (this.recent.size >= RECENT_MAX_ENTRIES) this.recent.delete(this.recent.keys().next().value!);
    this.recent.set(personId, { tokens: remembered, until: Date.now() + RECENT_TTL_MS });
    return remembered;
  }

  /**
   * Replaces the tokens (a new link), returning the refresh token it replaced, for revocation.
   * Two statements: the previous row is read and locked first. (One statement cannot do it: a
   * CTE's `FOR UPDATE` of the row the same statement's upsert overwrites yields nothing, so the
   * replaced token came back NULL and was never revoked.)
   */
  async replace(manager: EntityManager, personId: string, tokens: ProviderTokens): Promise<string | null> {
    this.recent.delete(personId);
    const enc = this.encrypt(personId, tokens);
    const previous: { refresh_token_enc: Buffer | null }[] = await manager.query(
      `SELECT refresh_token_enc FROM provider_tokens WHERE person_id = $1 FOR UPDATE`,
      [personId],
    );
    await manager.query(
      `INSERT INTO provider_tokens
         (person_id, access_token_enc, refresh_token_enc, access_expires_at, refresh_expires_at, scope, version, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, 1, $7)
       ON CONFLICT (person_id) DO UPDATE SET
         access_token_enc = EXCLUDED.access_token_enc, refresh_token_enc = EXCLUDED.refresh_token_enc,
         access_expires_at = EXCLUDED.access_expires_at, refresh_expires_at = EXCLUDED.refresh_expires_at,
         scope = EXCLUDED.scope, version = provider_tokens.version + 1, updated_at = EXCLUDED.updated_at`,
      [
        personId,
        enc.accessTokenEnc,
        enc.refreshTokenEnc,
        enc.accessExpiresAt,
        enc.refreshExpiresAt,
        enc.scope,
        // The app's clock, like the expiries: updated_at is the storedAt that token lifetimes are
        // derived from (stillFresh).
        new Date(),
      ],
    );
    return this.refreshTokenToRetire(personId, previous[0]?.refresh_token_enc ?? null);
  }

  /**
   * Stores rotated tokens only if nobody wrote since `version` was read (compare-and-set), so a
   * late writer can never put back an older refresh token.
   */
  async rotate(personId: string, version: number, tokens: ProviderTokens): Promise<boolean> {
    this.recent.delete(personId);
    const result = await this.dataSource
      .createQueryBuilder()
      .update(ProviderToken)
      .set({ ...this.encrypt(personId, tokens), version: version + 1, updatedAt: new Date() })
      .where('person_id = :personId AND version = :version', { personId, version })
      .execute();
    return result.affected === 1;
  }

  /** The provider's subject of a person (for the refresh's ID token check; refreshes are rare). */
  async subjectOf(personId: string): Promise<string | null> {
    const rows: { subject: string }[] = await this.dataSource.query(
      `SELECT subject FROM people WHERE id = $1`,
      [personId],
    );
    return rows[0]?.subject ?? null;
  }

  async delete(personId: string): Promise<void> {
    this.recent.delete(personId);
    await this.dataSource.getRepository(ProviderToken).delete({ personId });
  }

  /** Deletes and returns the refresh token (for revocation), in the caller's transaction. */
  async take(manager: EntityManager, personId: string): Promise<string | null> {
    this.recent.delete(personId);
    const rows: { refresh_token_enc: Buffer | null }[][] = await manager.query(
      `DELETE FROM provider_tokens WHERE person_id = $1 RETURNING refresh_token_enc`,
      [personId],
    );
    return this.refreshTokenToRetire(personId, rows[0]?.[0]?.refresh_token_enc ?? null);
  }

  /**
   * Records a provider grant dropped without revocation (its token no longer decrypts): a metric
   * for the alarm and an audit line, never silently (it stays live at the provider until it expires).
   */
  recordSkippedRevocation(personId: string, where: string): void {
    this.metrics.revocationsSkipped.inc({ reason: 'undecryptable' });
    this.audit.warn(
      { event: 'token.revocation_skipped', userId: personId, reason: 'undecryptable', where },
      'stored refresh token does not decrypt (retired key?): not revoked at the provider',
    );
  }

  /**
   * The plaintext of a refresh token being replaced or deleted, for revocation. If its key was
   * retired (or the value is damaged) it cannot be revoked, but that must not block the person from
   * linking again or unlinking: it expires at the provider by itself. Recorded, never silently.
   */
  private refreshTokenToRetire(personId: string, enc: Buffer | null): string | null {
    if (!enc) return null;
    try {
      return this.cipher.decrypt(enc, context(personId, 'refresh'));
    } catch {
      this.recordSkippedRevocation(personId, 'retire');
      return null;
    }
  }

  private decrypt(blob: Buffer, ctx: string): string {
    try {
      return this.cipher.decrypt(blob, ctx);
    } catch {
      throw new UndecryptableTokenError();
    }
  }

  private encrypt(personId: string, tokens: ProviderTokens): Partial<ProviderToken> {
    return {
      accessTokenEnc: this.cipher.encrypt(tokens.accessToken, context(personId, 'access')),
      refreshTokenEnc: tokens.refreshToken
        ? this.cipher.encrypt(tokens.refreshToken, context(personId, 'refresh'))
        : null,
      accessExpiresAt: tokens.accessExpiresAt,
      refreshExpiresAt: tokens.refreshExpiresAt,
      scope: tokens.scope,
    };
  }
}

/** Associated data binding a ciphertext to its person and column. */
function context(personId: string, kind: 'access' | 'refresh'): string {
  return `provider_tokens:${personId}:${kind}`;
}
