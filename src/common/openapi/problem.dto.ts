import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorCode } from '../errors/error-code.js';

export class FieldProblemDto {
  @ApiProperty({
    example: 'deviceId',
    description: 'The field, dotted for nested ones (`audience.subjects`)',
  })
  field!: string;

  @ApiProperty({ example: 'must be 8 to 128 characters long.' })
  message!: string;
}

/** RFC 9457 problem details as API.md fixes them (`application/problem+json`). */
export class ProblemDto {
  @ApiProperty({ example: '/problems/validation-failed' })
  type!: string;

  @ApiProperty({ description: 'In the Accept-Language language (ja default, en)' })
  title!: string;

  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 400 })
  status!: number;

  @ApiProperty()
  detail!: string;

  @ApiProperty({ enum: Object.values(ErrorCode), description: 'Stable identifier clients switch on' })
  code!: ErrorCode;

  @ApiProperty({ description: 'Equals the X-Request-Id response header', example: 'req-abc-12345678' })
  requestId!: string;

  @ApiPropertyOptional({ type: [FieldProblemDto], description: 'VALIDATION_FAILED only: which field, why' })
  errors?: FieldProblemDto[];
}
