import { startFcmSimulator } from '../../test/simulators/fcm/fcm-simulator.js';

/**
 * The FCM simulator for `npm run bench:push`, in a process of its own (its CPU is measured apart
 * from the worker's). Tells the parent its URL and certificate over IPC.
 */
async function main(): Promise<void> {
  const sim = await startFcmSimulator({ latencyMs: Number(process.env.BENCH_FCM_LATENCY_MS ?? 5) });
  process.send?.({ url: sim.url, ca: sim.ca });
  const stop = (): void => {
    void sim.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.once('disconnect', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
