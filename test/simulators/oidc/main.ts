import { envInt, envJson, envList, envString, runMain } from '../shared/env.js';
import { generateClientKeys, type EcJwk } from './client-keys.js';
import { DEFAULT_INTROSPECTION_CLIENT, DEFAULT_REDIRECT_URI, startOidcSimulator } from './oidc-simulator.js';

// `npm run sim:oidc`: the Digital Authentication App simulator alone (settings in README.md).
runMain(async () => {
  let clientJwks = envJson<{ keys: EcJwk[] } | EcJwk>('SIM_OIDC_CLIENT_JWKS');
  if (!clientJwks) {
    const keys = generateClientKeys();
    clientJwks = keys.publicJwk;
    console.log('SIM_OIDC_CLIENT_JWKS not set: generated a client key pair. The BFF needs:');
    console.log(`OIDC_CLIENT_PRIVATE_JWK='${JSON.stringify(keys.privateJwk)}'`);
  }
  const sim = await startOidcSimulator({
    port: envInt('SIM_OIDC_PORT', 4010),
    host: envString('SIM_OIDC_HOST', '127.0.0.1'),
    publicUrl: envString('SIM_OIDC_PUBLIC_URL'),
    clientId: envString('SIM_OIDC_CLIENT_ID', 'RP00000001'),
    clientJwks,
    redirectUris: envList('SIM_OIDC_REDIRECT_URIS', [DEFAULT_REDIRECT_URI]),
    accessTokenTtl: envInt('SIM_OIDC_ACCESS_TOKEN_TTL', 300),
    refreshTokenTtl: envInt('SIM_OIDC_REFRESH_TOKEN_TTL', 3600),
    idTokenTtl: envInt('SIM_OIDC_ID_TOKEN_TTL', 300),
    introspectionClient: {
      clientId: envString('SIM_OIDC_INTROSPECTION_CLIENT_ID', DEFAULT_INTROSPECTION_CLIENT.clientId),
      clientSecret: envString(
        'SIM_OIDC_INTROSPECTION_CLIENT_SECRET',
        DEFAULT_INTROSPECTION_CLIENT.clientSecret,
      ),
    },
  });
  console.log(`Digital Authentication App simulator: issuer ${sim.issuer}`);
  console.log(`  discovery ${sim.issuer}/.well-known/openid-configuration · control ${sim.url}/__control`);
  return sim;
});
