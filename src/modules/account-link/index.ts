/** The public face of account linkage for other modules. */
export { AccountLinkModule } from './account-link.module.js';
export { SessionGuard } from './session/session.guard.js';
export { CurrentSession } from './session/current-session.decorator.js';
export type { AppSession } from './session/app-session.js';
export { ProviderTokenService } from './tokens/provider-token.service.js';
export { SessionRepository } from './session/session.repository.js';
export { DeviceLink } from './entities/device-link.entity.js';
export { LinkStatsReader, STATS_TIME_ZONE } from './stats/link-stats.reader.js';
export type { DailyLinkStats, DeviceExportRow, RowCursor } from './stats/link-stats.reader.js';
export { PersonDirectory } from './person-directory.js';
export {
  DEVICE_LINK_LIFECYCLE,
  type BoundDeviceLink,
  type DeviceLinkLifecycle,
} from './device-link-lifecycle.js';
