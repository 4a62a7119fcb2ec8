import type { MigrationInterface } from 'typeorm';
import { AccountLink1764100000000 } from './1764100000000-account-link.js';
import { DeviceBinding1764200000000 } from './1764200000000-device-binding.js';
import { Push1764300000000 } from './1764300000000-push.js';
import { DeliveryStatusIndexes1764400000000 } from './1764400000000-delivery-status-indexes.js';
import { EventExportIndex1764410000000 } from './1764410000000-event-export-index.js';
import { PushFailed1764550000000 } from './1764550000000-push-failed.js';
import { PushAudienceSubjects1764700000000 } from './1764700000000-push-audience-subjects.js';

type MigrationClass = new () => MigrationInterface;

/** Every migration, in order. Listed explicitly (no glob) so it works from ts-jest and from dist/. */
export const migrations: MigrationClass[] = [
  AccountLink1764100000000,
  DeviceBinding1764200000000,
  Push1764300000000,
  DeliveryStatusIndexes1764400000000,
  EventExportIndex1764410000000,
  PushFailed1764550000000,
  PushAudienceSubjects1764700000000,
];
