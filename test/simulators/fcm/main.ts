import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { envInt, envString, runMain } from '../shared/env.js';
import { generateSimulatorCertificate } from './certificate.js';
import { DEV_FCM_ACCESS_TOKEN, startFcmSimulator } from './fcm-simulator.js';

// `npm run sim:fcm`: the FCM HTTP v1 simulator alone (settings in README.md). Its certificate is
// written to SIM_FCM_CA_OUT so the BFF can trust it (FCM_SIMULATOR_CA).
runMain(async () => {
  const keyFile = envString('SIM_FCM_TLS_KEY_FILE');
  const certFile = envString('SIM_FCM_TLS_CERT_FILE');
  const tls =
    keyFile && certFile
      ? { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') }
      : await generateSimulatorCertificate();
  const sim = await startFcmSimulator({
    port: envInt('SIM_FCM_PORT', 4030),
    host: envString('SIM_FCM_HOST', '127.0.0.1'),
    projectId: envString('SIM_FCM_PROJECT_ID'),
    accessToken: envString('SIM_FCM_ACCESS_TOKEN', DEV_FCM_ACCESS_TOKEN),
    latencyMs: envInt('SIM_FCM_LATENCY_MS', 0),
    quotaPerSecond: envInt('SIM_FCM_QUOTA_PER_SECOND', 0),
    tls,
  });
  const caOut = envString('SIM_FCM_CA_OUT', 'dist-sim/fcm-simulator-ca.pem');
  mkdirSync(dirname(caOut), { recursive: true });
  writeFileSync(caOut, sim.ca);
  console.log(`FCM simulator: ${sim.url}/v1/projects/<project>/messages:send · control ${sim.url}/__control`);
  console.log(`  certificate (FCM_SIMULATOR_CA) written to ${caOut}`);
  return sim;
});
