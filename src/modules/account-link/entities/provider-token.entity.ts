import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The provider's tokens for a person, encrypted (AES-256-GCM, key id inside the ciphertext).
 * `version` increases with every refresh, so concurrent writers never overwrite a newer rotation.
 */
@Entity({ name: 'provider_tokens' })
export class ProviderToken {
  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ name: 'access_token_enc', type: 'bytea' })
  accessTokenEnc!: Buffer;

  @Column({ name: 'refresh_token_enc', type: 'bytea', nullable: true })
  refreshTokenEnc!: Buffer | null;

  @Column({ name: 'access_expires_at', type: 'timestamptz' })
  accessExpiresAt!: Date;

  @Column({ name: 'refresh_expires_at', type: 'timestamptz' })
  refreshExpiresAt!: Date;

  @Column({ type: 'text' })
  scope!: string;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
