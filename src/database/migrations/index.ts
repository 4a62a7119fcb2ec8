import type { MigrationInterface } from 'typeorm';

type MigrationClass = new () => MigrationInterface;

/** Every migration, in order. Listed explicitly (no glob) so it works from ts-jest and from dist/. */
export const migrations: MigrationClass[] = [];
