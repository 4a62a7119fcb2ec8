import { ApiProperty } from '@nestjs/swagger';

export class NoticeSummaryDto {
  @ApiProperty({ example: 'ntc-3f2a9c1b7e-000012' })
  id!: string;

  @ApiProperty({ description: 'In the Accept-Language language where the backend has it, else Japanese' })
  title!: string;

  @ApiProperty({ example: '千代田区役所' })
  sender!: string;

  @ApiProperty({ example: 'tax' })
  category!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-20T09:00:00+09:00' })
  publishedAt!: string;

  @ApiProperty()
  read!: boolean;
}
