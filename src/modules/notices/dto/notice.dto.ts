import { ApiProperty } from '@nestjs/swagger';
import { NoticeSummaryDto } from './notice-summary.dto.js';

export class NoticeLinkDto {
  @ApiProperty()
  label!: string;

  @ApiProperty({ format: 'uri' })
  url!: string;
}

export class NoticeDto extends NoticeSummaryDto {
  @ApiProperty()
  body!: string;

  @ApiProperty({ type: [NoticeLinkDto] })
  links!: NoticeLinkDto[];
}
