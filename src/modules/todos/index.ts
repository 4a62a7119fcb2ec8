/** The public face of the to-dos module. */
export { TodosModule } from './todos.module.js';
