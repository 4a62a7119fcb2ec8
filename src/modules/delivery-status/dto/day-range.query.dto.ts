import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** `from` and `to` as JST calendar days, inclusive; at most 366 days apart. */
export class DayRangeQueryDto {
  @ApiProperty({ example: '2026-04-01', pattern: DAY.source, description: 'first day (JST), YYYY-MM-DD' })
  @Matches(DAY)
  from!: string;

  @ApiProperty({
    example: '2026-04-30',
    pattern: DAY.source,
    description: 'last day (JST), YYYY-MM-DD, inclusive',
  })
  @Matches(DAY)
  to!: string;
}
