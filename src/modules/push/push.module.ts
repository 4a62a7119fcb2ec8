import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import type { AppRole } from '../../config/app-config.js';
import { roleModule } from '../../common/role/role-module.js';
import { PUSH_FANOUT_QUEUE, PUSH_SEND_QUEUE } from '../../queue/queues.js';
import { DEVICE_LINK_LIFECYCLE } from '../account-link/index.js';
import { CampaignQueryService } from './campaigns/campaign-query.service.js';
import { CampaignRepository } from './campaigns/campaign.repository.js';
import { CampaignService } from './campaigns/campaign.service.js';
import { DeliveryRepository } from './delivery/delivery.repository.js';
import { PushFanoutProcessor } from './delivery/push-fanout.processor.js';
import { PushSendProcessor } from './delivery/push-send.processor.js';
import { PushQueue } from './queue/push.queue.js';
import { FcmClient } from '../../upstream/fcm/fcm.client.js';
import { PushRegistrationRepository } from './registrations/push-registration.repository.js';
import { WebhookController } from './webhook/webhook.controller.js';
import { PushAppController } from './events/push-app.controller.js';
import { PushEventsService } from './events/push-events.service.js';
import { PushExportReader } from './stats/push-export.reader.js';

/**
 * プッシュ通知: push registrations (following device links through account-link's lifecycle port),
 * campaigns from the signed webhook, fan-out and FCM sending in the worker (ADR 0008).
 */
@Module({})
export class PushModule {
  static register(role: AppRole): DynamicModule {
    return roleModule(
      role,
      {
        controllers: [WebhookController, PushAppController],
        processors: [FcmClient, PushFanoutProcessor, PushSendProcessor],
      },
      {
        module: PushModule,
        global: true,
        imports: [BullModule.registerQueue({ name: PUSH_FANOUT_QUEUE }, { name: PUSH_SEND_QUEUE })],
        providers: [
          PushRegistrationRepository,
          CampaignRepository,
          CampaignService,
          CampaignQueryService,
          PushQueue,
          DeliveryRepository,
          PushEventsService,
          PushExportReader,
          { provide: DEVICE_LINK_LIFECYCLE, useExisting: PushRegistrationRepository },
        ],
        exports: [DEVICE_LINK_LIFECYCLE, CampaignQueryService, PushEventsService, PushExportReader],
      },
    );
  }
}
