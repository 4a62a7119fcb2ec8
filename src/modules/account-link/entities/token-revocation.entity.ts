import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A refresh token still to be revoked at the provider (outbox). Written in the same transaction as
 * the unlink, so a lost queue job cannot lose the revocation; the worker deletes the row when done.
 */
@Entity({ name: 'token_revocations' })
export class TokenRevocation {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Whose token it was (no foreign key: the outbox outlives the person if need be). */
  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ name: 'token_enc', type: 'bytea' })
  tokenEnc!: Buffer;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
