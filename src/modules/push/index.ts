/** The public face of the push module. */
export { PushModule } from './push.module.js';
