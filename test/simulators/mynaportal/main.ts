import { DEFAULT_INTROSPECTION_CLIENT } from '../oidc/oidc-simulator.js';
import { envInt, envList, envString, runMain } from '../shared/env.js';
import {
  DEFAULT_WEBHOOK_SECRET,
  DEFAULT_WEBHOOK_URL,
  startMynaportalSimulator,
} from './mynaportal-simulator.js';

// `npm run sim:mynaportal`: the Mynaportal backend simulator alone; it checks tokens by
// introspection at the provider simulator (settings in README.md).
runMain(async () => {
  const issuer = envString('SIM_MYNAPORTAL_OIDC_ISSUER', 'http://127.0.0.1:4010/api/realms/main').replace(
    /\/$/,
    '',
  );
  const sim = await startMynaportalSimulator({
    port: envInt('SIM_MYNAPORTAL_PORT', 4020),
    host: envString('SIM_MYNAPORTAL_HOST', '127.0.0.1'),
    publicUrl: envString('SIM_MYNAPORTAL_PUBLIC_URL'),
    introspection: {
      introspectionUrl: `${issuer}/protocol/openid-connect/token/introspect`,
      clientId: envString('SIM_OIDC_INTROSPECTION_CLIENT_ID', DEFAULT_INTROSPECTION_CLIENT.clientId),
      clientSecret: envString(
        'SIM_OIDC_INTROSPECTION_CLIENT_SECRET',
        DEFAULT_INTROSPECTION_CLIENT.clientSecret,
      ),
    },
    webhookUrl: envString('SIM_WEBHOOK_URL', DEFAULT_WEBHOOK_URL),
    webhookSecret: envList('SIM_WEBHOOK_SECRET', [DEFAULT_WEBHOOK_SECRET]),
  });
  console.log(`Mynaportal backend simulator: ${sim.url}/api/v1 · control ${sim.url}/__control`);
  return sim;
});
