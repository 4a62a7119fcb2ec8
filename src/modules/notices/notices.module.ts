import { type DynamicModule, Module } from '@nestjs/common';
import type { AppRole } from '../../config/app-config.js';
import { roleModule } from '../../common/role/role-module.js';
import { MynaportalModule } from '../../upstream/mynaportal/mynaportal.module.js';
import { NoticesController } from './notices.controller.js';
import { NoticesService } from './notices.service.js';

/** お知らせ: list and detail, proxied from the Mynaportal backend and mapped to API.md. */
@Module({})
export class NoticesModule {
  static register(role: AppRole): DynamicModule {
    return roleModule(
      role,
      { controllers: [NoticesController] },
      { module: NoticesModule, imports: [MynaportalModule], providers: [NoticesService] },
    );
  }
}
