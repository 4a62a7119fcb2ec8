import { Module } from '@nestjs/common';
import { MynaportalModule } from '../../upstream/mynaportal/mynaportal.module.js';
import { InsuranceController } from './insurance.controller.js';
import { InsuranceService } from './insurance.service.js';

/** 保険証資格情報 from the Mynaportal backend. */
@Module({ imports: [MynaportalModule], controllers: [InsuranceController], providers: [InsuranceService] })
export class InsuranceModule {}
