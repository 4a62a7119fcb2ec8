import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DEVICE_KEY, type RequestWithDeviceKey } from './device-key.js';
import { dpopRequest } from './dpop-request.js';
import { DpopVerifier } from './dpop-verifier.js';

/**
 * For app routes without a session (link start and complete): a valid DPoP proof, else
 * `401 DPOP_PROOF_INVALID`. The key's thumbprint is on the request (`@DeviceKey()`).
 */
@Injectable()
export class DpopGuard implements CanActivate {
  constructor(private readonly verifier: DpopVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<RequestWithDeviceKey>();
    const verified = await this.verifier.verify(dpopRequest(request));
    if (verified.nextNonce) void http.getResponse<FastifyReply>().header('dpop-nonce', verified.nextNonce);
    request[DEVICE_KEY] = verified.thumbprint;
    return true;
  }
}
