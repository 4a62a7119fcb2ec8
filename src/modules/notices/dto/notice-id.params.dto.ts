import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export class NoticeIdParamsDto {
  @ApiProperty({ example: 'ntc-3f2a9c1b7e-000012', pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$', maxLength: 128 })
  @IsString()
  @Length(1, 128)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/)
  id!: string;
}
