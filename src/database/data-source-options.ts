import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { migrations } from './migrations/index.js';

/**
 * One definition of the TypeORM connection, used by the app, `npm run migrate` and the test harness.
 * The schema is owned by migrations only: `synchronize` is never on.
 */
export function dataSourceOptions(config: AppConfig['database']): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.url,
    ssl: config.ssl ? { rejectUnauthorized: true } : false,
    // The app adds each module's entities through TypeOrmModule.forFeature (autoLoadEntities).
    entities: [],
    migrations,
    migrationsTableName: 'schema_migrations',
    migrationsRun: false,
    synchronize: false,
    logging: false,
    extra: {
      max: config.poolMax,
      connectionTimeoutMillis: 2000,
      idleTimeoutMillis: 30000,
      // A statement that runs longer than this is a bug or an outage: fail it rather than hang a request.
      statement_timeout: 5000,
      application_name: 'myna-bff',
    },
  };
}
