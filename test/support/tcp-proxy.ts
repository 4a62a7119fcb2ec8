import net from 'node:net';

/**
 * A TCP proxy in front of a real service, for fault injection: `cut()` drops every connection and
 * refuses new ones (as a stopped server would), `restore()` accepts again. Lets a test stop "the
 * database" for one app without touching the shared server other tests use.
 */
export class TcpProxy {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private trigger?: { pattern: Buffer; fired: () => void };
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  static forUrl(url: string, defaultPort: number): TcpProxy {
    const parsed = new URL(url);
    return new TcpProxy(parsed.hostname, Number(parsed.port || defaultPort));
  }

  /** The same URL, pointed at this proxy. */
  rewrite(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(this.port);
    return parsed.toString();
  }

  async start(): Promise<void> {
    await this.listen(0);
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * Cuts (as `cut()`) the moment a client sends bytes containing `pattern`, before they reach the
   * server: e.g. the SQL text of one statement of a transaction, to lose the database mid-request.
   * Resolves once it has fired.
   */
  cutWhenClientSends(pattern: string): Promise<void> {
    return new Promise((resolve) => {
      this.trigger = { pattern: Buffer.from(pattern), fired: resolve };
    });
  }

  async restore(): Promise<void> {
    await this.listen(this.port);
  }

  async stop(): Promise<void> {
    await this.cut();
  }

  private async listen(port: number): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, this.targetHost);
      this.sockets.add(client).add(upstream);
      const drop = (): void => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      upstream.pipe(client);
      client.on('data', (chunk: Buffer) => {
        const trigger = this.trigger;
        if (trigger && chunk.includes(trigger.pattern)) {
          this.trigger = undefined;
          void this.cut().then(trigger.fired);
          return;
        }
        if (!upstream.write(chunk)) {
          client.pause();
          upstream.once('drain', () => client.resume());
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
  }
}
