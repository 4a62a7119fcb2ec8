import type { FastifyRequest } from 'fastify';
import type { DpopRequest } from './dpop-verifier.js';

/** What of a Fastify request a DPoP proof is checked against. */
export function dpopRequest(request: FastifyRequest, accessToken?: string): DpopRequest {
  const url = request.url;
  const cut = url.indexOf('?');
  return {
    method: request.method,
    path: cut === -1 ? url : url.slice(0, cut),
    get origin(): string {
      // Only read outside production (htu on the origin the request came to); URL normalises the port.
      try {
        return new URL(`${request.protocol}://${request.host}`).origin;
      } catch {
        return '';
      }
    },
    proof: request.headers.dpop,
    accessToken,
  };
}
