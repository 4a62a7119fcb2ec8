import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * scripts/ensure-services.sh in DRY_RUN=1 mode, with a PATH of its own (a fake bin directory):
 * what it plans on a fresh Debian machine without PostgreSQL or Redis, and what it tells a person
 * who is not root. Nothing is installed or started; the shared services are never touched.
 */
const script = join(__dirname, '..', '..', 'scripts', 'ensure-services.sh');
const tools = ['bash', 'cat', 'grep', 'head', 'tail', 'ls', 'sort', 'seq', 'sleep', 'uname', 'dirname'];

let dir: string;

function which(tool: string): string {
  const found = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
  if (!found) throw new Error(`${tool} not on this machine`);
  return found;
}

function fake(bin: string, name: string, body: string): void {
  const file = join(bin, name);
  writeFileSync(file, `#!${which('bash')}\n${body}\n`);
  chmodSync(file, 0o755);
}

/** A bin directory with the basic tools, no PostgreSQL or Redis programs, and the given stubs. */
function machine(stubs: Record<string, string>): string {
  const bin = mkdtempSync(join(dir, 'bin-'));
  for (const tool of tools) symlinkSync(which(tool), join(bin, tool));
  for (const [name, body] of Object.entries(stubs)) fake(bin, name, body);
  return bin;
}

function ensure(bin: string, osRelease: string): { status: number | null; stdout: string; stderr: string } {
  const release = join(dir, `os-release-${Math.random().toString(36).slice(2)}`);
  writeFileSync(release, osRelease);
  const res = spawnSync(join(bin, 'bash'), [script], {
    encoding: 'utf8',
    env: { PATH: bin, DRY_RUN: '1', ENSURE_OS_RELEASE: release },
  });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n';
const UBUNTU = 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ensure-services-'));
  mkdirSync(dir, { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scripts/ensure-services.sh (DRY_RUN=1)', () => {
  it('plans apt-get update once and the install of both services on a fresh Debian as root, then starts them', () => {
    const bin = machine({ id: 'echo 0', 'apt-get': 'exit 0' });
    const out = ensure(bin, DEBIAN);
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    const planned = out.stdout
      .split('\n')
      .filter((l) => l.startsWith('+ '))
      .map((l) => l.slice(2));
    expect(planned.filter((c) => c === 'apt-get update')).toHaveLength(1);
    const install = planned.findIndex((c) => /apt-get install -y .*postgresql redis-server$/.test(c));
    expect(install).toBeGreaterThan(planned.indexOf('apt-get update'));
    const hba = planned.findIndex(
      (c) => c.startsWith('sed -i') && c.includes('pg_hba.conf') && c.includes('trust'),
    );
    const startPg = planned.findIndex((c) => c.startsWith('pg_ctlcluster --skip-systemctl-redirect'));
    const createTest = planned.findIndex((c) => c.includes('CREATE DATABASE test'));
    const startRedis = planned.findIndex((c) => c.startsWith('redis-server --daemonize yes'));
    expect(hba).toBeGreaterThan(install);
    expect(startPg).toBeGreaterThan(hba);
    expect(createTest).toBeGreaterThan(startPg);
    expect(startRedis).toBeGreaterThan(install);
    // never a command that stops a service
    expect(planned.some((c) => /\bstop\b|shutdown|kill/.test(c))).toBe(false);
  });

  it('installs only what is missing: Redis present but stopped, PostgreSQL absent (Ubuntu)', () => {
    const bin = machine({
      id: 'echo 0',
      'apt-get': 'exit 0',
      'redis-server': 'exit 0',
      'redis-cli': 'exit 1',
    });
    const out = ensure(bin, UBUNTU);
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(
      /^\+ DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql$/m,
    );
    expect(out.stdout).toMatch(/^\+ redis-server --daemonize yes/m);
  });

  it('says exactly what to run, and exits 1, when it is not root', () => {
    const bin = machine({ id: 'echo 1000', 'apt-get': 'exit 0' });
    const out = ensure(bin, DEBIAN);
    expect(out.status).toBe(1);
    expect(out.stdout).not.toContain('+ apt-get');
    expect(out.stderr).toContain('sudo apt-get update && sudo apt-get install -y postgresql redis-server');
    expect(out.stderr).toContain('docker compose up');
  });

  it('points at docker compose on a system it does not know', () => {
    const bin = machine({ id: 'echo 0' });
    const out = ensure(bin, 'ID=alpine\n');
    expect(out.status).toBe(1);
    expect(out.stderr).toContain('docker compose up');
    expect(out.stdout).not.toContain('+ ');
  });

  it('does nothing when both answer', () => {
    const bin = machine({ pg_isready: 'exit 0', 'redis-cli': 'echo PONG' });
    const out = ensure(bin, DEBIAN);
    expect(out).toEqual({ status: 0, stdout: '', stderr: '' });
  });
});
