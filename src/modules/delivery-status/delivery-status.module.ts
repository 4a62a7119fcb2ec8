import { type DynamicModule, Module } from '@nestjs/common';
import type { AppRole } from '../../config/app-config.js';
import { roleModule } from '../../common/role/role-module.js';
import { PushDeviceStatsReader } from '../push/index.js';
import { AdminGuard } from './auth/admin.guard.js';
import { AdminTokenVerifier } from './auth/admin-token.verifier.js';
import { AdminSessionStore } from './auth/admin-session.store.js';
import { AdminSessionController } from './auth/admin-session.controller.js';
import { CampaignExportController } from './campaigns/campaign-export.controller.js';
import { CampaignsController } from './campaigns/campaigns.controller.js';
import { StatsController } from './stats/stats.controller.js';
import { StatsService } from './stats/stats.service.js';
import { AdminWebMount } from './dashboard/admin-web.mount.js';
import { ExportController } from './export/export.controller.js';
import { ExportService } from './export/export.service.js';
import { ApiUsageRecorder } from './usage/api-usage.recorder.js';
import { UsageController } from './usage/usage.controller.js';
import { UsageCounterStore } from './usage/usage-counter.store.js';
import { UsageService } from './usage/usage.service.js';
import { SystemController } from './system/system.controller.js';
import { SystemService } from './system/system.service.js';

/**
 * お知らせ・やること配信状況管理: operator authentication, the admin API (/admin/v1), the dashboard
 * (/admin) and Bull Board (/admin/queues). Campaign and device figures come from the push and
 * account-link modules' exported readers; this module owns only the usage counters.
 */
@Module({})
export class DeliveryStatusModule {
  static register(role: AppRole): DynamicModule {
    return roleModule(
      role,
      {
        controllers: [
          AdminSessionController,
          CampaignExportController,
          CampaignsController,
          StatsController,
          SystemController,
          UsageController,
          ExportController,
        ],
        // the dashboard/Bull Board mount and the API-call counter hook into the HTTP server
        apiProviders: [AdminWebMount, ApiUsageRecorder],
      },
      {
        module: DeliveryStatusModule,
        providers: [
          AdminTokenVerifier,
          AdminGuard,
          AdminSessionStore,
          SystemService,
          UsageCounterStore,
          UsageService,
          StatsService,
          ExportService,
          PushDeviceStatsReader,
        ],
        exports: [ExportService],
      },
    );
  }
}
