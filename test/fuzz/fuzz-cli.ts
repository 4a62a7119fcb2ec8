import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Credentials } from './credentials';
import { fuzzOperations, summarize } from './fuzz-runner';
import { send } from './http-client';
import { listOperations, routeLabel, type OpenApiDocument } from './openapi-operations';

/**
 * `npm run fuzz -- --url http://127.0.0.1:3000 [--cases 10000] [--seed n] [--route '/v1/notices'] [--out file.json]`
 *
 * The generated fuzzer against a running system (e.g. `npm run dev`, whose OIDC simulator signs in
 * the test personas): every operation of its served OpenAPI document, ≥ 10,000 cases each by
 * default. Exits 1 when an answer broke a rule (see response-rules.ts). FUZZ_URL, FUZZ_CASES,
 * FUZZ_SEED, FUZZ_PERSONA, FUZZ_WEBHOOK_SECRET and FUZZ_ADMIN_TOKEN are read as defaults.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: process.env.FUZZ_URL ?? 'http://127.0.0.1:3000' },
      cases: { type: 'string', default: process.env.FUZZ_CASES ?? '10000' },
      seed: { type: 'string', default: process.env.FUZZ_SEED ?? String(Date.now() % 2 ** 31) },
      persona: { type: 'string', default: process.env.FUZZ_PERSONA ?? 'sato-hanako' },
      route: { type: 'string' },
      concurrency: { type: 'string', default: '8' },
      out: { type: 'string' },
    },
  });
  const baseUrl = values.url.replace(/\/$/, '');
  const docResponse = await send(baseUrl, { method: 'GET', target: '/docs/openapi.json', headers: {} });
  if (docResponse.status !== 200)
    throw new Error(`${baseUrl}/docs/openapi.json answered ${docResponse.status}`);
  const operations = listOperations(JSON.parse(docResponse.body) as OpenApiDocument).filter(
    (op) => !values.route || routeLabel(op).includes(values.route),
  );
  const seed = Number(values.seed);
  const cases = Number(values.cases);
  process.stdout.write(
    `fuzzing ${operations.length} operations of ${baseUrl}, ${cases} cases each, seed ${seed}\n`,
  );
  const credentials = new Credentials({
    baseUrl,
    persona: values.persona,
    webhookSecret: process.env.FUZZ_WEBHOOK_SECRET ?? 'dev-webhook-secret',
    adminToken: process.env.FUZZ_ADMIN_TOKEN,
  });
  const started = Date.now();
  const reports = await fuzzOperations({
    baseUrl,
    operations,
    credentials,
    casesPerRoute: cases,
    seed,
    concurrency: Number(values.concurrency),
    onRoute: (report) => process.stdout.write(`${summarize([report])}\n`),
  });
  const live = await send(baseUrl, { method: 'GET', target: '/health/live', headers: {} }).catch(
    () => undefined,
  );
  const failures = reports.flatMap((r) => r.failures);
  process.stdout.write(
    `\n${reports.reduce((n, r) => n + r.cases, 0)} requests in ${Math.round((Date.now() - started) / 1000)} s, ` +
      `${reports.reduce((n, r) => n + r.failureCount, 0)} broke a rule, ${credentials.relinks} links; ` +
      `process ${live?.status === 200 ? 'alive' : 'NOT ANSWERING'}\n`,
  );
  for (const failure of failures.slice(0, 30)) process.stdout.write(`${JSON.stringify(failure)}\n`);
  if (values.out) writeFileSync(values.out, JSON.stringify({ baseUrl, seed, cases, reports }, null, 2));
  if (failures.length > 0 || live?.status !== 200) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 2;
});
