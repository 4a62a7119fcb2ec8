import { ApiProperty } from '@nestjs/swagger';

export class LinkStatusDto {
  @ApiProperty()
  userId!: string;

  @ApiProperty()
  deviceId!: string;

  @ApiProperty({ enum: ['ios', 'android'] })
  platform!: 'ios' | 'android';

  @ApiProperty({ format: 'date-time' })
  linkedAt!: string;

  @ApiProperty({ format: 'date-time' })
  accessTokenExpiresAt!: string;

  @ApiProperty({ format: 'date-time' })
  refreshTokenExpiresAt!: string;
}
