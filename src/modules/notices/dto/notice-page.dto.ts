import { ApiProperty } from '@nestjs/swagger';
import { NoticeSummaryDto } from './notice-summary.dto.js';

export class NoticePageDto {
  @ApiProperty({ type: [NoticeSummaryDto], description: 'Newest first' })
  items!: NoticeSummaryDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last',
  })
  nextCursor!: string | null;
}
