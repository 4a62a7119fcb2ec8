import { Module } from '@nestjs/common';
import { MynaportalClient } from './mynaportal.client.js';

/** The Mynaportal backend client, one instance (one pool, one breaker) shared by the content modules. */
@Module({ providers: [MynaportalClient], exports: [MynaportalClient] })
export class MynaportalModule {}
