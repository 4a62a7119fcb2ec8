import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class CampaignIdParamsDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}
