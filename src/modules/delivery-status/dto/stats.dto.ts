import { ApiProperty } from '@nestjs/swagger';

export class DailyStatsItemDto {
  @ApiProperty({ example: '2026-04-01', description: 'JST day' }) day!: string;
  @ApiProperty({ description: 'campaigns started that day' }) notifications!: number;
  @ApiProperty() targeted!: number;
  @ApiProperty() sent!: number;
  @ApiProperty() failed!: number;
  @ApiProperty() invalidTokens!: number;
  @ApiProperty() received!: number;
  @ApiProperty() opened!: number;
  @ApiProperty({ description: 'opened / sent; 0 when nothing was sent' }) openRate!: number;
}

export class DailyStatsDto {
  @ApiProperty({ type: [DailyStatsItemDto] }) items!: DailyStatsItemDto[];
}

export class MonthlyStatsItemDto {
  @ApiProperty({ example: '2026-04' }) month!: string;
  @ApiProperty({ example: 'operator' }) category!: string;
  @ApiProperty({ description: '件数: notifications (campaigns)' }) notifications!: number;
  @ApiProperty() targeted!: number;
  @ApiProperty() sent!: number;
  @ApiProperty({ description: '開封件数' }) opened!: number;
  @ApiProperty({ description: '開封率 = opened / sent; 0 when nothing was sent' }) openRate!: number;
}

export class MonthlyStatsDto {
  @ApiProperty({ type: [MonthlyStatsItemDto] }) items!: MonthlyStatsItemDto[];
}
