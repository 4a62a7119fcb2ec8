import { runSimulatorChild } from '../lib/simulator-child.js';
import { startMynaportalSimulator } from '../../test/simulators/mynaportal/mynaportal-simulator.js';
import type { EcJwk } from '../../test/simulators/oidc/client-keys.js';
import { startOidcSimulator } from '../../test/simulators/oidc/oidc-simulator.js';

/**
 * The upstreams of `npm run bench:profile` in a process of their own: the OIDC simulator with
 * generated personas (one distinct person per link; codes live BENCH_CODE_TTL s so that a batch is
 * issued before the run) and the Mynaportal simulator (BENCH_UPSTREAM_LATENCY_MS, default 20).
 */
runSimulatorChild(async () => {
  const clientJwks = JSON.parse(process.env.BENCH_CLIENT_PUBLIC_JWK ?? '') as EcJwk;
  const oidc = await startOidcSimulator({
    clientJwks,
    accessTokenTtl: 3600,
    refreshTokenTtl: 7200,
    authorizationCodeTtl: Number(process.env.BENCH_CODE_TTL ?? 900),
    generatedPersonas: true,
  });
  const portal = await startMynaportalSimulator({
    verifyAccessToken: (token) => oidc.verifyAccessToken(token),
  });
  portal.setFaults({ latencyMs: Number(process.env.BENCH_UPSTREAM_LATENCY_MS ?? 20) });
  return {
    info: { issuer: oidc.issuer, clientId: oidc.clientId, portalUrl: portal.url },
    close: () => Promise.allSettled([portal.close(), oidc.close()]),
  };
});
