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

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  accessTokenExpiresAt!: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  refreshTokenExpiresAt!: string | null;
}
