import { runSimulatorChild } from '../lib/simulator-child.js';
import type { EcJwk } from '../../test/simulators/oidc/client-keys.js';
import { startOidcSimulator } from '../../test/simulators/oidc/oidc-simulator.js';

/**
 * The Digital Authentication App simulator for `bench:link` and `drill:restore`, in a process of its
 * own so that its CPU is measured apart from the BFF's. Generated personas (`bench-<n>`) are on, and
 * authorization codes live BENCH_CODE_TTL seconds so that a batch can be issued before it is timed.
 */
runSimulatorChild(async () => {
  const clientJwks = JSON.parse(process.env.BENCH_CLIENT_PUBLIC_JWK ?? '') as EcJwk;
  const oidc = await startOidcSimulator({
    clientJwks,
    accessTokenTtl: 3600,
    refreshTokenTtl: 7200,
    authorizationCodeTtl: Number(process.env.BENCH_CODE_TTL ?? 600),
    generatedPersonas: true,
  });
  return { info: { issuer: oidc.issuer, clientId: oidc.clientId }, close: () => oidc.close() };
});
