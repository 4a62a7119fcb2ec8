import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppRole } from '../../config/app-config.js';
import { DpopModule } from '../../common/dpop/dpop.module.js';
import { roleModule } from '../../common/role/role-module.js';
import { TOKEN_REVOCATION_QUEUE } from '../../queue/queues.js';
import { OidcClient } from '../../upstream/oidc/oidc.client.js';
import { DeviceLink } from './entities/device-link.entity.js';
import { Person } from './entities/person.entity.js';
import { ProviderToken } from './entities/provider-token.entity.js';
import { TokenRevocation } from './entities/token-revocation.entity.js';
import { LinkController } from './link.controller.js';
import { LinkRepository } from './link.repository.js';
import { LinkService } from './link.service.js';
import { LinkStateStore } from './link-state.store.js';
import { PersonDirectory } from './person-directory.js';
import { TokenRevocationProcessor } from './revocation/token-revocation.processor.js';
import { TokenRevocationQueue } from './revocation/token-revocation.queue.js';
import { LinkStatsReader } from './stats/link-stats.reader.js';
import { SessionGuard } from './session/session.guard.js';
import { SessionRepository } from './session/session.repository.js';
import { ProviderTokenRepository } from './tokens/provider-token.repository.js';
import { ProviderTokenService } from './tokens/provider-token.service.js';

/**
 * Account linkage: link/unlink, app sessions (SessionGuard) and the provider tokens
 * (ProviderTokenService), which other modules use through index.ts.
 */
@Module({})
export class AccountLinkModule {
  static register(role: AppRole): DynamicModule {
    return roleModule(
      role,
      { controllers: [LinkController], processors: [TokenRevocationProcessor] },
      {
        module: AccountLinkModule,
        global: true,
        imports: [
          TypeOrmModule.forFeature([Person, DeviceLink, ProviderToken, TokenRevocation]),
          BullModule.registerQueue({ name: TOKEN_REVOCATION_QUEUE }),
          DpopModule,
        ],
        providers: [
          OidcClient,
          LinkStateStore,
          LinkRepository,
          LinkService,
          SessionRepository,
          SessionGuard,
          ProviderTokenRepository,
          ProviderTokenService,
          TokenRevocationQueue,
          PersonDirectory,
          LinkStatsReader,
        ],
        exports: [
          LinkStatsReader,
          SessionGuard,
          SessionRepository,
          ProviderTokenService,
          PersonDirectory,
          // SessionGuard is instantiated in the modules that use it, which need its verifier.
          DpopModule,
        ],
      },
    );
  }
}
