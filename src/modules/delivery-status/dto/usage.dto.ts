import { ApiProperty } from '@nestjs/swagger';

export class UpstreamUsageDto {
  @ApiProperty({ example: 'mynaportal' }) upstream!: string;
  @ApiProperty() calls!: number;
  @ApiProperty({ description: 'failed, timed out or refused by an open breaker' }) errors!: number;
  @ApiProperty({ description: 'errors / calls; 0 without calls', example: 0.002 }) errorRate!: number;
}

export class UsageDayDto {
  @ApiProperty({ example: '2026-04-01' }) day!: string;
  @ApiProperty({ description: 'people with an active device link at the end of the day' })
  linkedPeople!: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'last snapshot of the day of active push-enabled devices; null if none was taken',
  })
  activePushDevices!: number | null;
  @ApiProperty() links!: number;
  @ApiProperty() unlinks!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { notices: 1200, todos: 300 },
  })
  apiCalls!: Record<string, number>;
  @ApiProperty({ type: [UpstreamUsageDto] }) upstreams!: UpstreamUsageDto[];
}

export class UsageDto {
  @ApiProperty({ type: [UsageDayDto] }) items!: UsageDayDto[];
}
