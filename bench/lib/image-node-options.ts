import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The NODE_OPTIONS the production image sets (Dockerfile, runtime stage): benchmarks run the BFF
 * with exactly these, so the memory figures are the image's (TARGETS.md: "with the image's own
 * Node flags"). BENCH_NODE_OPTIONS overrides them, e.g. to compare heap settings.
 */
export function imageNodeOptions(root: string): string {
  if (process.env.BENCH_NODE_OPTIONS !== undefined) return process.env.BENCH_NODE_OPTIONS;
  const dockerfile = readFileSync(resolve(root, 'Dockerfile'), 'utf8');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const match = /NODE_OPTIONS=("[^"]*"|\S+)/.exec(runtime);
  if (!match) throw new Error('Dockerfile: no NODE_OPTIONS in the runtime stage');
  return match[1].replace(/^"|"$/g, '');
}
