/** The public face of the SSO module. */
export { SsoModule } from './sso.module.js';
