import type { DynamicModule, Provider, Type } from '@nestjs/common';
import type { AppRole } from '../../config/app-config.js';

export interface RoleParts {
  /** mounted in `api` and `all` */
  controllers?: Type[];
  /** providers that serve HTTP only (hooks, mounts on the Fastify instance): started in `api` and `all` */
  apiProviders?: Provider[];
  /** BullMQ processors and other worker-only providers: started in `worker` and `all` */
  processors?: Provider[];
}

/**
 * The one place that decides what runs in which process role: every feature module's `register`
 * goes through here, so no module switches on the role by itself.
 */
export function roleModule(
  role: AppRole,
  parts: RoleParts,
  module: Omit<DynamicModule, 'controllers'>,
): DynamicModule {
  const api = role !== 'worker';
  const worker = role !== 'api';
  return {
    ...module,
    controllers: api ? (parts.controllers ?? []) : [],
    providers: [
      ...(module.providers ?? []),
      ...(api ? (parts.apiProviders ?? []) : []),
      ...(worker ? (parts.processors ?? []) : []),
    ],
  };
}
