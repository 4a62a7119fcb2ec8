import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { DEVICE_ID_PATTERN } from './start-link.dto.js';

export class CompleteLinkDto {
  @ApiProperty({ description: 'The state returned by POST /v1/link/start' })
  @IsString()
  @Length(16, 256)
  @Matches(/^[A-Za-z0-9._~-]+$/)
  state!: string;

  @ApiProperty({ description: 'The authorization code from the redirect' })
  @IsString()
  @Length(1, 2048)
  @Matches(/^[\x21-\x7e]+$/)
  code!: string;

  @ApiProperty({ minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9._-]+$' })
  @IsString()
  @Length(8, 128)
  @Matches(DEVICE_ID_PATTERN)
  deviceId!: string;

  @ApiPropertyOptional({ description: 'FCM registration token of this device' })
  @IsOptional()
  @IsString()
  @Length(1, 4096)
  @Matches(/^[\x21-\x7e]+$/)
  pushToken?: string;

  @ApiPropertyOptional({ enum: ['ja', 'en'] })
  @IsOptional()
  @IsIn(['ja', 'en'])
  locale?: 'ja' | 'en';
}

export class CompleteLinkResponseDto {
  @ApiProperty({
    description:
      'Session token for every app call, as `Authorization: DPoP <token>` with a DPoP proof by the same key; keep it in the secure storage',
  })
  sessionToken!: string;

  @ApiProperty({ enum: ['DPoP'], description: 'The session is bound to the DPoP key that signed this call' })
  tokenType!: 'DPoP';

  @ApiProperty({ format: 'date-time' })
  sessionExpiresAt!: string;

  @ApiProperty()
  userId!: string;
}
