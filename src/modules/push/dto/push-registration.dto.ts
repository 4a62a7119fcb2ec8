import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Length, Matches, ValidateIf } from 'class-validator';

export class PutPushRegistrationDto {
  @ApiProperty({ type: String, nullable: true, description: 'FCM registration token; null forgets it' })
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Length(1, 4096)
  @Matches(/^[\x21-\x7e]+$/)
  pushToken!: string | null;

  @ApiProperty()
  @IsBoolean()
  enabled!: boolean;

  @ApiPropertyOptional({ enum: ['ja', 'en'] })
  @IsOptional()
  @IsIn(['ja', 'en'])
  locale?: 'ja' | 'en';
}

export class NotificationEventDto {
  @ApiProperty({ enum: ['received', 'opened'] })
  @IsIn(['received', 'opened'])
  type!: 'received' | 'opened';
}
