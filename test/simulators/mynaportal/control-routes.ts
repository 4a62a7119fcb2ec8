import type { FastifyInstance } from 'fastify';
import type { MynaportalFaults } from './faults.js';
import type { WebhookDelivery } from './webhook.js';

export interface ControlPlane {
  get(): MynaportalFaults;
  set(patch: Record<string, unknown>): MynaportalFaults;
  reset(): void;
  stats(): unknown;
  push(body: unknown): Promise<WebhookDelivery>;
}

/** `/__control`: fault knobs, stats and the push-webhook sender, for tests and benchmarks. */
export function registerControlRoutes(app: FastifyInstance, control: ControlPlane): void {
  app.register(async (scope) => {
    // accept JSON whatever the content type says, so a bare `curl -d '{…}'` or fetch works
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
      try {
        done(null, body === '' ? {} : JSON.parse(body as string));
      } catch (err) {
        done(err as Error, undefined);
      }
    });

    scope.get('/__control', async () => control.get());
    const update = async (
      request: { body: unknown },
      reply: { code(n: number): { send(b: unknown): unknown } },
    ) => {
      try {
        return control.set((request.body ?? {}) as Record<string, unknown>);
      } catch (err) {
        return reply.code(400).send({ error: 'invalid_fault', message: (err as Error).message });
      }
    };
    scope.put('/__control', update);
    scope.post('/__control', update);
    scope.post('/__control/reset', async () => {
      control.reset();
      return control.get();
    });
    scope.get('/__control/stats', async () => control.stats());
    scope.post('/__control/push', async (request, reply) => {
      try {
        const delivery = await control.push(request.body);
        return { status: delivery.status, body: delivery.body };
      } catch (err) {
        return reply.code(502).send({ error: 'webhook_failed', message: (err as Error).message });
      }
    });
  });
}
