import { ApiProperty } from '@nestjs/swagger';

export class QueueStatusDto {
  @ApiProperty({ example: 'push-send' }) name!: string;
  @ApiProperty() waiting!: number;
  @ApiProperty() active!: number;
  @ApiProperty() delayed!: number;
  @ApiProperty() failed!: number;
  @ApiProperty() completed!: number;
}

export class BreakerStatusDto {
  @ApiProperty({ example: 'mynaportal' }) upstream!: string;
  @ApiProperty({ enum: ['closed', 'open', 'halfOpen'] }) state!: 'closed' | 'open' | 'halfOpen';
}

export class SystemStatusDto {
  @ApiProperty({ type: [QueueStatusDto] }) queues!: QueueStatusDto[];
  @ApiProperty({ type: [BreakerStatusDto] }) breakers!: BreakerStatusDto[];
}
