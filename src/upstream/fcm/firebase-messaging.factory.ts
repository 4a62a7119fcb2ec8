import { randomUUID } from 'node:crypto';
import { Agent, type AgentOptions, type RequestOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import { connect, type ConnectionOptions } from 'node:tls';
import {
  applicationDefault,
  cert,
  initializeApp,
  type App,
  type AppOptions,
  type Credential,
  type ServiceAccount,
} from 'firebase-admin/app';
import { getMessaging, type Messaging } from 'firebase-admin/messaging';

/** The bearer token the FCM simulator accepts from the development credential. */
export const SIMULATOR_ACCESS_TOKEN = 'dev-fcm-access-token';

// The only Google host the messaging calls reach with the simulator credential (no token fetch).
const REDIRECTED_HOSTS = new Set(['fcm.googleapis.com']);

export interface FirebaseMessagingOptions {
  projectId: string;
  /**
   * service-account JSON (string or parsed); absent: Application Default Credentials. Not used with
   * the simulator, which accepts only its fixed development token.
   */
  credential?: string | ServiceAccount;
  /** https://host:port of the FCM simulator; absent: the real FCM */
  simulatorUrl?: string;
  /** PEM of the simulator's self-signed certificate, required with `simulatorUrl` */
  caCert?: string;
  /** name of the firebase-admin App (unique per process) */
  appName?: string;
  /** HTTP/1.1 connections to the simulator (sendEach sends up to 500 messages at once) */
  maxSockets?: number;
}

/**
 * An https.Agent that sends every connection for the Google hosts to the simulator instead, while
 * TLS still names (SNI) and verifies fcm.googleapis.com against the simulator's own CA.
 * firebase-admin hard-codes the FCM host; the `httpAgent` app option is its documented hook.
 */
export class SimulatorAgent extends Agent {
  constructor(
    private readonly target: URL,
    private readonly ca: string,
    options: AgentOptions = {},
  ) {
    super({ keepAlive: true, ...options });
  }

  // returns the socket synchronously, so the agent's callback is not needed
  override createConnection(options: RequestOptions): Duplex {
    const host = options.servername || options.hostname || options.host || '';
    if (!REDIRECTED_HOSTS.has(host)) {
      throw new Error(`FCM simulator agent: refusing to connect to unexpected host ${host}`);
    }
    const tlsOptions: ConnectionOptions = {
      ...(options as ConnectionOptions),
      host: this.target.hostname.replace(/^\[|\]$/g, ''),
      port: Number(this.target.port || 443),
      servername: host,
      ca: this.ca,
    };
    return connect(tlsOptions);
  }
}

function parseServiceAccount(credential: string | ServiceAccount): ServiceAccount {
  return typeof credential === 'string' ? (JSON.parse(credential) as ServiceAccount) : credential;
}

/** A fixed development token: the simulator checks it; nothing is fetched from Google. */
const simulatorCredential: Credential = {
  getAccessToken: async () => ({ access_token: SIMULATOR_ACCESS_TOKEN, expires_in: 3600 }),
};

/**
 * The firebase-admin `Messaging` the sender uses, against the real FCM (HTTP/2, the SDK default) or
 * against the simulator (HTTP/1.1 through `SimulatorAgent`: firebase-admin's HTTP/2 client opens
 * its own session to the constant host and takes no agent). See docs/adr/0002.
 */
export function createFirebaseMessaging(options: FirebaseMessagingOptions): Messaging {
  const appName = options.appName ?? `myna-bff-fcm-${randomUUID()}`;
  if (!options.simulatorUrl) {
    const credential = options.credential
      ? cert(parseServiceAccount(options.credential))
      : applicationDefault();
    return getMessaging(initializeApp({ projectId: options.projectId, credential }, appName));
  }

  if (!options.caCert) throw new Error('FCM simulator: caCert (the simulator certificate PEM) is required');
  const agent = new SimulatorAgent(new URL(options.simulatorUrl), options.caCert, {
    maxSockets: options.maxSockets ?? 128,
  });
  const appOptions: AppOptions = {
    projectId: options.projectId,
    credential: simulatorCredential,
    httpAgent: agent,
  };
  const app: App = initializeApp(appOptions, appName);
  const messaging = getMessaging(app);
  messaging.enableLegacyHttpTransport();
  return messaging;
}
