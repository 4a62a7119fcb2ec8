import { runSimulatorChild } from '../lib/simulator-child.js';
import { startMynaportalSimulator } from '../../test/simulators/mynaportal/mynaportal-simulator.js';
import type { EcJwk } from '../../test/simulators/oidc/client-keys.js';
import { startOidcSimulator } from '../../test/simulators/oidc/oidc-simulator.js';

/**
 * The upstream simulators for `npm run bench:api`, in their own process so they do not share a CPU
 * with the BFF or the load generator more than they must. Tells the parent its URLs over IPC.
 */
runSimulatorChild(async () => {
  const clientJwks = JSON.parse(process.env.BENCH_CLIENT_PUBLIC_JWK ?? '') as EcJwk;
  const oidc = await startOidcSimulator({ clientJwks, accessTokenTtl: 3600, refreshTokenTtl: 7200 });
  const portal = await startMynaportalSimulator({
    verifyAccessToken: (token) => oidc.verifyAccessToken(token),
  });
  portal.setFaults({ latencyMs: Number(process.env.BENCH_UPSTREAM_LATENCY_MS ?? 20) });
  return {
    info: { issuer: oidc.issuer, clientId: oidc.clientId, portalUrl: portal.url },
    close: () => Promise.allSettled([portal.close(), oidc.close()]),
  };
});
