import { Injectable } from '@nestjs/common';
import { MynaportalClient } from '../../upstream/mynaportal/mynaportal.client.js';
import { ProviderTokenService } from '../account-link/index.js';
import type { QualificationDto } from './dto/qualification.dto.js';
import { toQualification } from './qualification.mapper.js';

/** 保険証資格情報 of the person. The backend's 404 (no record) is NOT_FOUND. */
@Injectable()
export class InsuranceService {
  constructor(
    private readonly tokens: ProviderTokenService,
    private readonly portal: MynaportalClient,
  ) {}

  async qualification(userId: string): Promise<QualificationDto> {
    const record = await this.tokens.withAccessToken(userId, (token) => this.portal.getQualification(token));
    return toQualification(record, new Date());
  }
}
