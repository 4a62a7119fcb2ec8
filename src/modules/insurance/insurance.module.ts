import { type DynamicModule, Module } from '@nestjs/common';
import type { AppRole } from '../../config/app-config.js';
import { roleModule } from '../../common/role/role-module.js';
import { MynaportalModule } from '../../upstream/mynaportal/mynaportal.module.js';
import { InsuranceController } from './insurance.controller.js';
import { InsuranceService } from './insurance.service.js';

/** 保険証資格情報 from the Mynaportal backend. */
@Module({})
export class InsuranceModule {
  static register(role: AppRole): DynamicModule {
    return roleModule(
      role,
      { controllers: [InsuranceController] },
      { module: InsuranceModule, imports: [MynaportalModule], providers: [InsuranceService] },
    );
  }
}
