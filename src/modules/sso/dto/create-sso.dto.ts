import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength, ValidateIf } from 'class-validator';

export class CreateSsoDto {
  @ApiPropertyOptional({
    description:
      'Path on Mynaportal web to land on (default `/`). Must be a plain path under an allow-listed prefix.',
    example: '/notices',
    maxLength: 512,
  })
  // absent is fine; null is not a path (IsOptional would let null through)
  @ValidateIf((dto: CreateSsoDto) => dto.returnTo !== undefined)
  @IsString()
  @MaxLength(512)
  returnTo?: string;
}

export class SsoTicketDto {
  @ApiProperty({
    description: 'One-time BFF URL to open in the browser; it redirects into Mynaportal web',
    example: 'https://bff.myna.example/v1/sso/redirect?ticket=…',
  })
  redirectUrl!: string;

  @ApiProperty({ type: 'integer', example: 60, description: 'Seconds the URL stays usable (once)' })
  expiresIn!: number;
}
