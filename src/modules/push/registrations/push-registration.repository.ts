import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { TokenCipher } from '../../../common/crypto/token-cipher.js';
import type { BoundDeviceLink, DeviceLinkLifecycle } from '../../account-link/index.js';

export type PushLocale = 'ja' | 'en';

export interface SendableRegistration {
  deviceLinkId: string;
  personId: string;
  token: string;
  locale: PushLocale;
}

/**
 * push_registrations: one row per live device link that gave a push token. Implements account-link's
 * DeviceLinkLifecycle port, so registrations exist only for live links (ADR 0008).
 */
@Injectable()
export class PushRegistrationRepository implements DeviceLinkLifecycle {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: TokenCipher,
  ) {}

  async onBound(manager: EntityManager, link: BoundDeviceLink): Promise<void> {
    if (!link.pushToken) return;
    await manager.query(
      `INSERT INTO push_registrations (device_link_id, person_id, token_enc, enabled, locale)
       VALUES ($1, $2, $3, true, $4)`,
      [link.deviceLinkId, link.personId, this.encrypt(link.deviceLinkId, link.pushToken), link.locale],
    );
  }

  async onRevoked(manager: EntityManager, deviceLinkIds: string[]): Promise<void> {
    await manager.query(`DELETE FROM push_registrations WHERE device_link_id = ANY($1::uuid[])`, [
      deviceLinkIds,
    ]);
  }

  /** PUT /v1/devices/current/push: a null token forgets the registration. */
  async upsert(
    deviceLinkId: string,
    personId: string,
    change: { pushToken: string | null; enabled: boolean; locale?: PushLocale },
  ): Promise<void> {
    if (change.pushToken === null) {
      await this.dataSource.query(`DELETE FROM push_registrations WHERE device_link_id = $1`, [deviceLinkId]);
      return;
    }
    await this.dataSource.query(
      `INSERT INTO push_registrations (device_link_id, person_id, token_enc, enabled, locale)
       VALUES ($1, $2, $3, $4, COALESCE($5, 'ja'))
       ON CONFLICT (device_link_id) DO UPDATE
         SET token_enc = EXCLUDED.token_enc, enabled = EXCLUDED.enabled,
             locale = COALESCE($5, push_registrations.locale), updated_at = now()`,
      [
        deviceLinkId,
        personId,
        this.encrypt(deviceLinkId, change.pushToken),
        change.enabled,
        change.locale ?? null,
      ],
    );
  }

  /** One keyset page of the audience, in device_link_id order, only ids (the send job loads tokens). */
  async audiencePage(after: string | null, limit: number, personIds: string[] | null): Promise<string[]> {
    const rows: { device_link_id: string }[] = await this.dataSource.query(
      `SELECT device_link_id FROM push_registrations
        WHERE enabled AND token_enc IS NOT NULL
          AND ($1::uuid IS NULL OR device_link_id > $1::uuid)
          AND ($3::uuid[] IS NULL OR person_id = ANY($3::uuid[]))
        ORDER BY device_link_id LIMIT $2`,
      [after, limit, personIds],
    );
    return rows.map((r) => r.device_link_id);
  }

  /** The sendable registrations among these ids (gone or disabled ones are absent). */
  async sendable(deviceLinkIds: string[]): Promise<SendableRegistration[]> {
    const rows: { device_link_id: string; person_id: string; token_enc: Buffer; locale: PushLocale }[] =
      await this.dataSource.query(
        `SELECT device_link_id, person_id, token_enc, locale FROM push_registrations
          WHERE device_link_id = ANY($1::uuid[]) AND enabled AND token_enc IS NOT NULL`,
        [deviceLinkIds],
      );
    return rows.map((r) => ({
      deviceLinkId: r.device_link_id,
      personId: r.person_id,
      token: this.cipher.decrypt(r.token_enc, registrationContext(r.device_link_id)),
      locale: r.locale,
    }));
  }

  async deleteDead(manager: EntityManager, deviceLinkIds: string[]): Promise<void> {
    if (deviceLinkIds.length === 0) return;
    await manager.query(`DELETE FROM push_registrations WHERE device_link_id = ANY($1::uuid[])`, [
      deviceLinkIds,
    ]);
  }

  private encrypt(deviceLinkId: string, token: string): Buffer {
    return this.cipher.encrypt(token, registrationContext(deviceLinkId));
  }
}

/** The AEAD context of a push token; unchanged from when it lived in device_links, so the migration copies ciphertext. */
export function registrationContext(deviceLinkId: string): string {
  return `device_links:${deviceLinkId}:push`;
}
