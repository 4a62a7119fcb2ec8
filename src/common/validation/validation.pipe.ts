import { ValidationPipe } from '@nestjs/common';
import { DomainException } from '../errors/domain.exception.js';
import { ErrorCode } from '../errors/error-code.js';
import { toFieldErrors } from './field-errors.js';

/** Rejects unknown fields and wrong types with VALIDATION_FAILED listing each field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: true, value: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) =>
      new DomainException(ErrorCode.VALIDATION_FAILED, { fieldErrors: toFieldErrors(errors) }),
  });
}
