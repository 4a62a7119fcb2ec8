/**
 * The body of a benchmark's simulator process (its CPU is measured apart from the BFF's): starts
 * the simulators, tells the parent what it needs over IPC, and closes them and exits when the
 * parent stops it (SIGTERM, SIGINT or the IPC channel closing).
 */
export function runSimulatorChild(
  start: () => Promise<{ info: Record<string, unknown>; close: () => Promise<unknown> }>,
): void {
  start()
    .then(({ info, close }) => {
      process.send?.(info);
      const stop = (): void => {
        void close().finally(() => process.exit(0));
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      process.once('disconnect', stop);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
