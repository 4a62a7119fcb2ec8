/** The public face of the notices module. */
export { NoticesModule } from './notices.module.js';
