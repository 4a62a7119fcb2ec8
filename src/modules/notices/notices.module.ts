import { Module } from '@nestjs/common';
import { MynaportalModule } from '../../upstream/mynaportal/mynaportal.module.js';
import { NoticesController } from './notices.controller.js';
import { NoticesService } from './notices.service.js';

/** お知らせ: list and detail, proxied from the Mynaportal backend and mapped to API.md. */
@Module({
  imports: [MynaportalModule],
  controllers: [NoticesController],
  providers: [NoticesService],
})
export class NoticesModule {}
