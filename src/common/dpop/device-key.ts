import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

export const DEVICE_KEY = 'dpopThumbprint';

export type RequestWithDeviceKey = FastifyRequest & { [DEVICE_KEY]?: string };

/** The thumbprint of the DPoP key that signed this request (DpopGuard or SessionGuard checked it). */
export const DeviceKey = createParamDecorator((_data: unknown, ctx: ExecutionContext): string => {
  const thumbprint = ctx.switchToHttp().getRequest<RequestWithDeviceKey>()[DEVICE_KEY];
  if (!thumbprint) throw new Error('DeviceKey used on a route without a DPoP guard');
  return thumbprint;
});
