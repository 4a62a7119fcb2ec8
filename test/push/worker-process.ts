import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '../..');

/**
 * The application compiled to a directory of its own (tsc with the build's tsconfig, without
 * touching dist/), so a test can run the worker role as a real process it may kill.
 */
export async function buildApp(): Promise<{ main: string; remove: () => void }> {
  // inside node_modules/.cache: the compiled files resolve their packages from the worktree's node_modules
  const cache = join(ROOT, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const out = mkdtempSync(join(cache, 'myna-worker-'));
  await promisify(execFile)(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', out],
    { cwd: ROOT },
  );
  return { main: join(out, 'main.js'), remove: () => rmSync(out, { recursive: true, force: true }) };
}

/** `node main.js` with APP_ROLE=worker on the test file's database and Redis prefix. */
export class WorkerProcess {
  private constructor(
    readonly child: ChildProcess,
    private output: string[],
  ) {}

  static async start(main: string, env: Record<string, string>): Promise<WorkerProcess> {
    const output: string[] = [];
    const port = await freePort();
    const child = spawn(process.execPath, [main], {
      cwd: ROOT,
      env: {
        ...process.env,
        APP_ROLE: 'worker',
        PORT: String(port),
        LOG_LEVEL: 'info',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (d: Buffer): void => {
      output.push(d.toString());
      if (output.length > 200) output.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    return new WorkerProcess(child, output);
  }

  /** The last lines it wrote (for a failing test's message). */
  tail(): string {
    return this.output.join('').split('\n').slice(-20).join('\n');
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGKILL: no shutdown hook runs, jobs in hand stay locked in Redis until found stalled. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.running) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill(signal);
    await exited;
  }
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}
