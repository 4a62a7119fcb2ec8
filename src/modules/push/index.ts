/** The public face of the push module. */
export { PushModule } from './push.module.js';
export {
  CampaignQueryService,
  type CampaignPage,
  type MonthlyStatsItem,
} from './campaigns/campaign-query.service.js';
export type { DailyStatsRow } from './campaigns/campaign.repository.js';
export type { CampaignStatus, CampaignView } from './campaigns/campaign.types.js';
export { WEBHOOK_BODY_LIMIT_BYTES } from './webhook/webhook.schema.js';
export { signWebhook } from './webhook/webhook-signature.js';
export { PushDeviceStatsReader } from './stats/push-device-stats.reader.js';
export {
  PushExportReader,
  type PushEventExportRow,
  type PushRegistrationFlags,
  type PushRowCursor,
} from './stats/push-export.reader.js';
export { PushEventsService } from './events/push-events.service.js';
