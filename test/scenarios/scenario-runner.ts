import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { LightMyRequestResponse } from 'fastify';
import { parse } from 'yaml';
import { signWebhook } from '../../src/modules/push/index';
import { buildApp, WorkerProcess } from '../push/worker-process';
import { startFcmSimulator, type FcmSettings, type FcmSimulator } from '../simulators/fcm/fcm-simulator';
import type { MynaportalFaults } from '../simulators/mynaportal/faults';
import {
  startMynaportalSimulator,
  type MynaportalSimulator,
} from '../simulators/mynaportal/mynaportal-simulator';
import { startOidcSimulator, type OidcFaults, type OidcSimulator } from '../simulators/oidc/oidc-simulator';
import { DpopClient } from '../support/dpop-client';
import { personaById } from '../simulators/personas';
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
  'push to',
  'push to everyone',
  'expect delivered',
  'expect campaign',
  'fault fcm',
  'kill worker',
  'restart worker',
  'admin call',
  'cancel campaign',
  'expire admin token',
  'take new admin token',
] as const;

/**
 * Keywords of scenarios that wait for a branch (see `needs`); the runner refuses them until
 * implemented. Empty since push and delivery status landed; kept for the next feature's scenarios.
 */
export const PENDING_KEYWORDS: Record<string, string> = {};

/** Options of a step that accompany its keyword (not keywords themselves). */
const OPTIONS = new Set(['phone', 'body', 'headers', 'clock offset', 'without session', 'as', 'new phone']);

/** The webhook secret and the operators of a scenario's system. */
const WEBHOOK_SECRET = 'scenario-webhook-secret';
const OPERATORS = ['operator-a', 'operator-b'];
/** How long a scenario waits for a campaign or a delivery: a killed worker's jobs are found stalled after BullMQ's 30 s lock. */
const PUSH_WAIT_MS = 100_000;

const sha256 = (t: string): string => createHash('sha256').update(t).digest('hex');
const newAdminToken = (operator: string): string => `${operator}-${randomBytes(12).toString('hex')}`;

/** A notification as a scenario writes it: the webhook body is completed with the usual defaults. */
interface ScenarioPush {
  notificationId: string;
  title: Record<string, string>;
  body: Record<string, string>;
  noticeId?: string | null;
  todoId?: string | null;
  category?: string;
  /** `push to`: the phones whose people are the audience */
  to?: string[];
}

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
  private fcm?: FcmSimulator;
  /** the worker role as a process of its own, for scenarios that kill it */
  private worker?: WorkerProcess;
  private workerMain?: { main: string; remove: () => void };
  private readonly phones = new Map<string, LinkedDevice>();
  private readonly personaOf = new Map<string, string>();
  private readonly pushTokenOf = new Map<string, string>();
  private readonly campaignOf = new Map<string, string>();
  /** the admin tokens the system accepts per operator, and the one each operator uses */
  private readonly adminTokens = new Map<string, string[]>();
  private readonly heldToken = new Map<string, string>();
  private readonly saved = new Map<string, string>();
  private last?: LightMyRequestResponse;
  private lastCall?: Step;

  constructor(private readonly scenario: Scenario) {}

  private get usesPush(): boolean {
    return this.scenario.steps.some(
      (s) => keywordOf(s).startsWith('push to') || keywordOf(s) === 'fault fcm',
    );
  }

  private get killsWorker(): boolean {
    return this.scenario.steps.some((s) => keywordOf(s) === 'kill worker');
  }

  async start(): Promise<void> {
    this.oidc = await startOidcSimulator({
      clientJwks: JSON.parse(process.env.TEST_OIDC_CLIENT_PUBLIC_JWK!) as never,
      ...this.scenario.setup?.oidc,
    });
    this.portal = await startMynaportalSimulator({ verifyAccessToken: this.oidc.verifyAccessToken });
    if (this.usesPush) this.fcm = await startFcmSimulator({ projectId: 'myna-dev' });
    for (const operator of OPERATORS) {
      const token = newAdminToken(operator);
      this.adminTokens.set(operator, [token]);
      this.heldToken.set(operator, token);
    }
    if (this.killsWorker) {
      this.workerMain = await buildApp();
      await this.startWorker();
    }
    await this.startApi();
  }

  async stop(): Promise<void> {
    await this.worker?.kill();
    this.workerMain?.remove();
    await this.app?.close();
    await this.fcm?.close();
    await this.portal?.close();
    await this.oidc?.close();
  }

  /** The settings every process of this scenario's system shares. */
  private env(): Record<string, string> {
    return {
      OIDC_ISSUER: this.oidc.issuer,
      MYNAPORTAL_BASE_URL: this.portal.url,
      OIDC_TIMEOUT_MS: '1000',
      MYNAPORTAL_TIMEOUT_MS: '1000',
      WEBHOOK_SECRETS: WEBHOOK_SECRET,
      ADMIN_TOKENS: [...this.adminTokens]
        .flatMap(([op, tokens]) => tokens.map((t) => `${op}:${sha256(t)}`))
        .join(','),
      ...(this.fcm
        ? {
            FCM_PROJECT_ID: 'myna-dev',
            FCM_SIMULATOR_URL: this.fcm.url,
            FCM_SIMULATOR_CA: this.fcm.ca,
            // a breaker that tries FCM again soon after an outage
            UPSTREAM_BREAKER_RESET_MS: '2000',
          }
        : {}),
      ...this.scenario.setup?.env,
    };
  }

  /** The API in this process; it runs the workers too unless the scenario kills one. */
  private async startApi(): Promise<void> {
    this.app = await startTestApp({ env: { ...this.env(), APP_ROLE: this.killsWorker ? 'api' : 'all' } });
  }

  private async startWorker(): Promise<void> {
    this.worker = await WorkerProcess.start(this.workerMain!.main, {
      ...this.env(),
      DATABASE_URL: process.env.DATABASE_URL!,
      REDIS_KEY_PREFIX: process.env.REDIS_KEY_PREFIX!,
    });
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
        this.personaOf.set(name, String(value));
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
      case 'push to everyone':
      case 'push to':
        return this.push(value as ScenarioPush, keyword === 'push to everyone');
      case 'expect delivered':
        return this.expectDelivered(value as { to: string[]; times: number });
      case 'expect campaign':
        return this.expectCampaign(value as Record<string, unknown> & { notificationId: string });
      case 'fault fcm':
        this.fcm!.configure(value as Partial<FcmSettings>);
        return;
      case 'kill worker':
        if (!this.worker?.running) throw new Error('no worker is running');
        await this.worker.kill('SIGKILL');
        return;
      case 'restart worker':
        if (this.worker?.running) throw new Error('the worker is still running');
        return this.startWorker();
      case 'admin call': {
        const [method, path] = this.text(value).split(/\s+/, 2);
        this.last = await this.inject({ method, url: path, headers: this.asOperator(step.as) });
        return;
      }
      case 'cancel campaign': {
        const id = this.campaignOf.get(String(value));
        if (!id) throw new Error(`no notification "${String(value)}" was pushed in this scenario`);
        this.last = await this.inject({
          method: 'POST',
          url: `/admin/v1/campaigns/${id}/cancel`,
          headers: this.asOperator(step.as),
        });
        return;
      }
      case 'expire admin token': {
        // rotation: the operator gets a new token and the one they hold is taken out of the
        // configuration; the API restarts with it, as a deployment would
        const operator = String(value);
        if (!this.adminTokens.has(operator)) throw new Error(`no operator "${operator}"`);
        this.adminTokens.set(operator, [newAdminToken(operator)]);
        await this.app.close();
        await this.startApi();
        return;
      }
      case 'take new admin token': {
        const operator = String(value);
        this.heldToken.set(operator, this.adminTokens.get(operator)![0]);
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
    // the phone's push token, so that `expect delivered` can ask the FCM simulator about it
    const pushToken = (step.body as { pushToken?: string } | undefined)?.pushToken;
    if (step.phone && rawPath === '/v1/devices/current/push' && this.last.statusCode === 204 && pushToken)
      this.pushTokenOf.set(this.text(step.phone), pushToken);
  }

  /** Operator headers: the token `as` (default operator-a) holds. */
  private asOperator(as: unknown): Record<string, string> {
    const operator = as === undefined ? OPERATORS[0] : this.text(as);
    const token = this.heldToken.get(operator);
    if (!token) throw new Error(`no operator "${operator}"`);
    return { authorization: `Bearer ${token}` };
  }

  /** The Mynaportal backend calls the signed webhook. */
  private async push(p: ScenarioPush, everyone: boolean): Promise<void> {
    const audience = everyone
      ? { type: 'all' }
      : {
          type: 'users',
          subjects: (p.to ?? []).map((phone) => {
            const persona = this.personaOf.get(phone);
            if (!persona) throw new Error(`no phone "${phone}" has been linked`);
            return personaById(persona)!.subject;
          }),
        };
    const raw = JSON.stringify({
      notificationId: p.notificationId,
      noticeId: p.noticeId ?? null,
      todoId: p.todoId ?? null,
      category: p.category ?? '運営主体お知らせ',
      audience,
      message: { title: p.title, body: p.body },
    });
    this.last = await this.inject({
      method: 'POST',
      url: '/v1/webhooks/push',
      headers: {
        'content-type': 'application/json',
        'x-myna-signature': signWebhook(WEBHOOK_SECRET, raw, Math.floor(Date.now() / 1000)),
      },
      payload: raw,
    });
    if (this.last.statusCode === 202)
      this.campaignOf.set(p.notificationId, this.last.json<{ campaignId: string }>().campaignId);
  }

  /** Each phone's token reached FCM successfully exactly `times` times (waiting for the workers). */
  private async expectDelivered({ to, times }: { to: string[]; times: number }): Promise<void> {
    const tokens = to.map((phone) => {
      const token = this.pushTokenOf.get(phone);
      if (!token) throw new Error(`phone "${phone}" has registered no push token`);
      return token;
    });
    const received = (): number[] => tokens.map((t) => this.fcm!.stats().tokens?.[t]?.successes ?? 0);
    await this.waitFor(() => received().every((n) => n >= times), `${to.join(', ')} to receive ${times}`);
    expect(Object.fromEntries(to.map((phone, i) => [phone, received()[i]]))).toEqual(
      Object.fromEntries(to.map((phone) => [phone, times])),
    );
  }

  /** The operator's view of a campaign: waits for its status, then compares the other fields. */
  private async expectCampaign({
    notificationId,
    ...fields
  }: Record<string, unknown> & { notificationId: string }) {
    const id = this.campaignOf.get(notificationId);
    if (!id) throw new Error(`no notification "${notificationId}" was pushed in this scenario`);
    const view = async (): Promise<Record<string, unknown>> => {
      this.last = await this.inject({
        method: 'GET',
        url: `/admin/v1/campaigns/${id}`,
        headers: this.asOperator(undefined),
      });
      return this.last.json();
    };
    let seen = await view();
    if (fields.status !== undefined)
      await this.waitFor(
        async () => (seen = await view()).status === fields.status,
        `campaign ${notificationId} to be ${this.text(fields.status)}`,
      );
    expect(seen).toMatchObject(fields);
  }

  private async waitFor(done: () => boolean | Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + PUSH_WAIT_MS;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`waited ${PUSH_WAIT_MS / 1000} s for ${what}`);
      await sleep(200);
    }
  }
}
