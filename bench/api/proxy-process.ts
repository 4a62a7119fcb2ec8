import Fastify from 'fastify';
import { Pool } from 'undici';

/**
 * The peer of the BFF in `npm run bench:api`: a bare Fastify pass-through proxy to the same
 * Mynaportal simulator, with the same undici pool settings as the BFF's client and nothing else
 * (no session, no token custody, no validation, no mapping). It forwards the caller's bearer token.
 */
async function main(): Promise<void> {
  const upstream = process.env.BENCH_UPSTREAM_URL!;
  const pool = new Pool(upstream, { connections: 64, pipelining: 1, keepAliveTimeout: 30_000 });
  const app = Fastify({ logger: false });
  app.get('/api/*', async (request, reply) => {
    const response = await pool.request({
      method: 'GET',
      path: request.url,
      headers: { authorization: request.headers.authorization ?? '', accept: 'application/json' },
    });
    return reply
      .code(response.statusCode)
      .header('content-type', String(response.headers['content-type'] ?? 'application/json'))
      .send(response.body);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  process.send?.({ url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` });
  const stop = (): void => {
    void app
      .close()
      .then(() => pool.close())
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('disconnect', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
