import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type Platform = 'ios' | 'android';
export type Locale = 'ja' | 'en';
export type RevokeReason = 'unlinked' | 'replaced' | 'device_relinked';

/**
 * A device bound to a person, with that device's app session. At most one active (not revoked)
 * link per person and per device key (partial unique indexes). Only the SHA-256 of the session token
 * is kept. Push registrations are the push module's (ADR 0008).
 */
@Entity({ name: 'device_links' })
export class DeviceLink {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ name: 'device_id', type: 'text' })
  deviceId!: string;

  /** RFC 7638 thumbprint of the device's DPoP key: the device's identity (deviceId is only a label). */
  @Column({ name: 'dpop_jkt', type: 'text', nullable: true })
  dpopJkt!: string | null;

  @Column({ type: 'text' })
  platform!: Platform;

  @Column({ type: 'text', default: 'ja' })
  locale!: Locale;

  @Column({ name: 'session_token_hash', type: 'bytea', unique: true })
  sessionTokenHash!: Buffer;

  @Column({ name: 'session_expires_at', type: 'timestamptz' })
  sessionExpiresAt!: Date;

  @CreateDateColumn({ name: 'linked_at', type: 'timestamptz' })
  linkedAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoked_reason', type: 'text', nullable: true })
  revokedReason!: RevokeReason | null;
}
