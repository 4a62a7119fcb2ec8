import { type DynamicModule, Module } from '@nestjs/common';
import type { AppRole } from '../../config/app-config.js';
import { roleModule } from '../../common/role/role-module.js';
import { MynaportalModule } from '../../upstream/mynaportal/mynaportal.module.js';
import { SsoController } from './sso.controller.js';
import { SsoService } from './sso.service.js';
import { SsoTicketStore } from './sso-ticket.store.js';

/** マイナポータルへの SSO: one-time tickets and the redirect into Mynaportal web. */
@Module({})
export class SsoModule {
  static register(role: AppRole): DynamicModule {
    return roleModule(
      role,
      { controllers: [SsoController] },
      { module: SsoModule, imports: [MynaportalModule], providers: [SsoService, SsoTicketStore] },
    );
  }
}
