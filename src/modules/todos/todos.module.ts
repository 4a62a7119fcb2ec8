import { Module } from '@nestjs/common';
import { MynaportalModule } from '../../upstream/mynaportal/mynaportal.module.js';
import { TodosController } from './todos.controller.js';
import { TodosService } from './todos.service.js';

/** やること: the to-do list from the Mynaportal backend. */
@Module({ imports: [MynaportalModule], controllers: [TodosController], providers: [TodosService] })
export class TodosModule {}
