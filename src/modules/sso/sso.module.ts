import { Module } from '@nestjs/common';
import { MynaportalModule } from '../../upstream/mynaportal/mynaportal.module.js';
import { SsoController } from './sso.controller.js';
import { SsoService } from './sso.service.js';
import { SsoTicketStore } from './sso-ticket.store.js';

/** マイナポータルへの SSO: one-time tickets and the redirect into Mynaportal web. */
@Module({
  imports: [MynaportalModule],
  controllers: [SsoController],
  providers: [SsoService, SsoTicketStore],
})
export class SsoModule {}
