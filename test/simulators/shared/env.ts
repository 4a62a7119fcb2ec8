/** Reading the simulators' `SIM_*` settings; a bad value stops the process with its name. */

export function envString(name: string, fallback: string): string;
export function envString(name: string): string | undefined;
export function envString(name: string, fallback?: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value;
}

export function envInt(name: string, fallback: number): number {
  const raw = envString(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

export function envJson<T>(name: string): T | undefined {
  const raw = envString(name);
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch {
    throw new Error(`${name} must be JSON`);
  }
}

export function envList(name: string, fallback: string[]): string[] {
  const raw = envString(name);
  return raw === undefined
    ? fallback
    : raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
}

/** Runs a CLI entry: prints its failure and exits 1; closes `close` on SIGINT/SIGTERM. */
export function runMain(start: () => Promise<{ close(): Promise<void> }>): void {
  start()
    .then((running) => {
      const stop = (): void => {
        void running.close().finally(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    })
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
