import { runSimulatorChild } from '../lib/simulator-child.js';
import { startFcmSimulator } from '../../test/simulators/fcm/fcm-simulator.js';

/**
 * The FCM simulator for `npm run bench:push`, in a process of its own (its CPU is measured apart
 * from the worker's). Tells the parent its URL and certificate over IPC.
 */
runSimulatorChild(async () => {
  const sim = await startFcmSimulator({ latencyMs: Number(process.env.BENCH_FCM_LATENCY_MS ?? 5) });
  return { info: { url: sim.url, ca: sim.ca }, close: () => sim.close() };
});
