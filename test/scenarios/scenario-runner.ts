import { readFileSync } from 'node:fs';
import type { LightMyRequestResponse } from 'fastify';
import { parse } from 'yaml';
import type { MynaportalFaults } from '../simulators/mynaportal/faults';
import {
  startMynaportalSimulator,
  type MynaportalSimulator,
} from '../simulators/mynaportal/mynaportal-simulator';
import { startOidcSimulator, type OidcFaults, type OidcSimulator } from '../simulators/oidc/oidc-simulator';
import { DpopClient } from '../support/dpop-client';
import { linkDevice, type LinkedDevice } from '../support/link-helper';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Runs a keyword-driven scenario (test/scenarios/*.yaml, format in test/scenarios/README.md)
 * against the real application and the simulators. Each step is one keyword; a scenario reads as
 * a list of things a person, a phone or an operator does and what they must see.
 */

export interface Scenario {
  title: string;
  proves: string;
  /** Branches whose keywords the scenario uses (push, admin): run once they are merged. */
  needs?: string[];
  setup?: { oidc?: { accessTokenTtl?: number; refreshTokenTtl?: number }; env?: Record<string, string> };
  steps: Step[];
}

export type Step = Record<string, unknown>;

/** Keywords this runner knows. */
export const KEYWORDS = [
  'link persona',
  'call',
  'call again',
  'open in browser',
  'save',
  'expect status',
  'expect code',
  'expect field',
  'expect header',
  'fault upstream',
  'restore upstreams',
  'advance clock',
  'note',
] as const;

/** Keywords of scenarios that wait for a branch (see `needs`); the runner refuses them until implemented. */
export const PENDING_KEYWORDS: Record<string, string> = {
  'push to': 'push',
  'push to everyone': 'push',
  'expect delivered': 'push',
  'fault fcm': 'push',
  'kill worker': 'push',
  'restart worker': 'push',
  'expect campaign': 'push',
  'admin call': 'admin',
  'cancel campaign': 'admin',
  'expire admin token': 'admin',
};

/** Options of a step that accompany its keyword (not keywords themselves). */
const OPTIONS = new Set(['phone', 'body', 'headers', 'clock offset', 'without session', 'as', 'new phone']);

export function loadScenario(path: string): Scenario {
  const scenario = parse(readFileSync(path, 'utf8')) as Scenario;
  if (!scenario?.title || !scenario.proves || !Array.isArray(scenario.steps)) {
    throw new Error(`${path}: a scenario needs a title, what it proves, and steps`);
  }
  return scenario;
}

/** The keyword of a step: its one key that is not an option. */
export function keywordOf(step: Step): string {
  const keys = Object.keys(step).filter((k) => !OPTIONS.has(k));
  if (keys.length !== 1)
    throw new Error(`a step has exactly one keyword, got ${JSON.stringify(Object.keys(step))}`);
  return keys[0];
}

/** Reads `a.b.0.c` (and `.length`) out of a JSON value. */
function pick(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => {
    if (v === null || v === undefined) return undefined;
    return (v as Record<string, unknown>)[key];
  }, value);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class ScenarioWorld {
  private oidc!: OidcSimulator;
  private portal!: MynaportalSimulator;
  private app!: TestApp;
  private readonly phones = new Map<string, LinkedDevice>();
  private readonly saved = new Map<string, string>();
  private last?: LightMyRequestResponse;
  private lastCall?: Step;

  constructor(private readonly scenario: Scenario) {}

  async start(): Promise<void> {
    this.oidc = await startOidcSimulator({
      clientJwks: JSON.parse(process.env.TEST_OIDC_CLIENT_PUBLIC_JWK!) as never,
      ...this.scenario.setup?.oidc,
    });
    this.portal = await startMynaportalSimulator({ verifyAccessToken: this.oidc.verifyAccessToken });
    this.app = await startTestApp({
      env: {
        OIDC_ISSUER: this.oidc.issuer,
        MYNAPORTAL_BASE_URL: this.portal.url,
        OIDC_TIMEOUT_MS: '1000',
        MYNAPORTAL_TIMEOUT_MS: '1000',
        ...this.scenario.setup?.env,
      },
    });
  }

  async stop(): Promise<void> {
    await this.app?.close();
    await this.portal?.close();
    await this.oidc?.close();
  }

  async run(): Promise<void> {
    for (const [index, step] of this.scenario.steps.entries()) {
      try {
        await this.step(step);
      } catch (error) {
        (error as Error).message = `step ${index + 1} ${JSON.stringify(step)}: ${(error as Error).message}`;
        throw error;
      }
    }
  }

  private text(value: unknown): string {
    return String(value).replace(/\$\{([^}]+)\}/g, (_m, name: string) => {
      const saved = this.saved.get(name);
      if (saved === undefined) throw new Error(`nothing saved as "${name}"`);
      return saved;
    });
  }

  private phone(name: unknown): LinkedDevice {
    const device = this.phones.get(String(name));
    if (!device) throw new Error(`no phone "${String(name)}" has been linked`);
    return device;
  }

  private response(): LightMyRequestResponse {
    if (!this.last) throw new Error('no call has been made yet');
    return this.last;
  }

  private async step(step: Step): Promise<void> {
    const keyword = keywordOf(step);
    const value = step[keyword];
    switch (keyword) {
      case 'note':
        return;
      case 'link persona': {
        const name = String(step.phone ?? value);
        const device = await linkDevice(this.app, String(value));
        this.phones.set(name, device);
        return;
      }
      case 'call':
        this.lastCall = step;
        return this.call(step, String(value));
      case 'call again':
        if (!this.lastCall) throw new Error('no call to repeat');
        return this.call(this.lastCall, String(this.lastCall.call));
      case 'open in browser': {
        // a URL (or a field of the last answer holding one), opened without a session or a proof
        const text = this.text(value);
        const url = new URL(/^https?:/.test(text) ? text : String(pick(this.response().json(), text)));
        this.last = await this.inject({ method: 'GET', url: url.pathname + url.search, headers: {} });
        return;
      }
      case 'save': {
        for (const [name, path] of Object.entries(value as Record<string, string>)) {
          const found = pick(this.response().json(), path);
          if (found === undefined) throw new Error(`the last answer has no ${path}`);
          this.saved.set(name, typeof found === 'string' ? found : JSON.stringify(found));
        }
        return;
      }
      case 'expect status':
        return expect({
          status: this.response().statusCode,
          body: this.response().body.slice(0, 300),
        }).toMatchObject({
          status: Number(value),
        });
      case 'expect code': {
        const res = this.response();
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.json<{ code: string }>().code).toBe(String(value));
        expect(res.json<{ requestId: string }>().requestId).toBe(res.headers['x-request-id']);
        return;
      }
      case 'expect field': {
        const check = value as {
          path: string;
          equals?: unknown;
          matches?: string;
          exists?: boolean;
          atLeast?: number;
        };
        const found = pick(this.response().json(), check.path);
        if ('equals' in check) expect(found).toEqual(check.equals);
        if (check.matches) expect(String(found)).toMatch(new RegExp(check.matches));
        if (check.exists !== undefined) expect(found !== undefined && found !== null).toBe(check.exists);
        if (check.atLeast !== undefined) expect(Number(found)).toBeGreaterThanOrEqual(check.atLeast);
        return;
      }
      case 'expect header': {
        const check = value as { name: string; matches?: string; exists?: boolean };
        const found = this.response().headers[check.name.toLowerCase()];
        if (check.exists !== undefined) expect(found !== undefined).toBe(check.exists);
        if (check.matches) expect(String(found)).toMatch(new RegExp(check.matches));
        return;
      }
      case 'fault upstream': {
        const faults = value as { mynaportal?: Partial<MynaportalFaults>; oidc?: Partial<OidcFaults> };
        if (faults.mynaportal) this.portal.setFaults(faults.mynaportal);
        if (faults.oidc) this.oidc.setFaults(faults.oidc);
        return;
      }
      case 'restore upstreams':
        this.portal.reset();
        this.oidc.resetFaults();
        return;
      case 'advance clock': {
        // Real time, with lifetimes the scenario's setup made short: nothing in the system is faked.
        const seconds = Number(String(value).replace(/\s*seconds?$/, ''));
        await sleep(seconds * 1000);
        return;
      }
      default: {
        const branch = PENDING_KEYWORDS[keyword];
        throw new Error(
          branch ? `keyword "${keyword}" arrives with branch ${branch}` : `unknown keyword "${keyword}"`,
        );
      }
    }
  }

  private inject(options: {
    method: string;
    url: string;
    headers: Record<string, string>;
    payload?: unknown;
  }) {
    return this.app.app
      .getHttpAdapter()
      .getInstance()
      .inject(options as never);
  }

  private async call(step: Step, line: string): Promise<void> {
    const [method, rawPath] = this.text(line).split(/\s+/, 2);
    const headers: Record<string, string> = { ...(step.headers as Record<string, string>) };
    const offset = Number(step['clock offset'] ?? 0);
    let key: DpopClient;
    let token: string | undefined;
    if (step.phone) {
      const device = this.phone(step.phone);
      key = device.key;
      token = step['without session'] ? undefined : device.sessionToken;
    } else {
      key = await DpopClient.create();
    }
    const htu = `${this.app.config.app.publicBaseUrl}${rawPath}`;
    headers.dpop = await key.proof({
      htm: method,
      htu,
      accessToken: token,
      iat: Math.floor(Date.now() / 1000) + offset,
    });
    if (token) headers.authorization = `DPoP ${token}`;
    this.last = await this.inject({ method, url: rawPath, headers, payload: step.body });
    key.observe(this.last.headers);
  }
}
