import { type DynamicModule, Module } from '@nestjs/common';
import type { AppRole } from '../../config/app-config.js';
import { roleModule } from '../../common/role/role-module.js';
import { MynaportalModule } from '../../upstream/mynaportal/mynaportal.module.js';
import { TodosController } from './todos.controller.js';
import { TodosService } from './todos.service.js';

/** やること: the to-do list from the Mynaportal backend. */
@Module({})
export class TodosModule {
  static register(role: AppRole): DynamicModule {
    return roleModule(
      role,
      { controllers: [TodosController] },
      { module: TodosModule, imports: [MynaportalModule], providers: [TodosService] },
    );
  }
}
