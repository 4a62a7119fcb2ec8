import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';

export const DEVICE_ID_PATTERN = /^[A-Za-z0-9._-]+$/;

export class StartLinkDto {
  @ApiProperty({ minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9._-]+$', example: 'a1b2c3d4-device' })
  @IsString()
  @Length(8, 128)
  @Matches(DEVICE_ID_PATTERN)
  deviceId!: string;

  @ApiProperty({ enum: ['ios', 'android'] })
  @IsIn(['ios', 'android'])
  platform!: 'ios' | 'android';
}

export class StartLinkResponseDto {
  @ApiProperty({ description: 'Open in the system browser / the Digital Authentication App' })
  authorizationUrl!: string;

  @ApiProperty()
  state!: string;

  @ApiProperty({ type: 'integer', example: 600, description: 'Seconds the state stays usable' })
  expiresIn!: number;
}
