import { Module } from '@nestjs/common';
import { DpopGuard } from './dpop.guard.js';
import { DpopReplayStore } from './dpop-replay.store.js';
import { DpopVerifier } from './dpop-verifier.js';

/** Device binding (RFC 9449): the proof verifier, its jti store and the guard of session-less routes. */
@Module({
  providers: [DpopVerifier, DpopReplayStore, DpopGuard],
  exports: [DpopVerifier, DpopGuard],
})
export class DpopModule {}
