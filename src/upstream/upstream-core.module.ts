import { Global, Module } from '@nestjs/common';
import { BreakerRegistry } from './breaker-registry.js';

/** Shared upstream plumbing; each upstream client registers its breaker here. */
@Global()
@Module({ providers: [BreakerRegistry], exports: [BreakerRegistry] })
export class UpstreamCoreModule {}
