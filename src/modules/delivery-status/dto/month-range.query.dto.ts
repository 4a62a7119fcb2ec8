import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export class MonthRangeQueryDto {
  @ApiProperty({ example: '2026-04', pattern: MONTH.source, description: 'first month, YYYY-MM' })
  @Matches(MONTH)
  from!: string;

  @ApiProperty({
    example: '2026-09',
    pattern: MONTH.source,
    description: 'last month, YYYY-MM, inclusive (at most 24 months)',
  })
  @Matches(MONTH)
  to!: string;
}
