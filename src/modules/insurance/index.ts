/** The public face of the insurance module. */
export { InsuranceModule } from './insurance.module.js';
