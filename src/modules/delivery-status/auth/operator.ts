import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/** Where AdminGuard leaves the authenticated operator's name on the request. */
export const OPERATOR_KEY = 'adminOperator';

export type RequestWithOperator = { [OPERATOR_KEY]?: string };

/** The operator of the current admin request (set by AdminGuard). */
export const CurrentOperator = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<RequestWithOperator>();
  return request[OPERATOR_KEY] ?? 'unknown';
});
