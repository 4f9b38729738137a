/**
 * Web JSON API latency under concurrency.
 *
 *   node --import tsx bench/web-api.ts [--concurrency 100] [--requests 1000] [--json]
 *
 * Starts the real HTTP app (`createHttpApp` + `startHttpServer`) on 127.0.0.1 over the product engine for the
 * seed corpus with the tiny TEST model (no LLM), then keeps `concurrency` requests in flight:
 *   - POST /api/ask         (headline p50/p99: the full answer path, JSON in and out)
 *   - POST /api/ask/stream  (time until the SSE stream has ended with its final answer)
 *   - GET  /healthz         (the HTTP stack alone, for comparison)
 * The rate limit is lifted for the run (all requests come from one IP). Prints a JSON line last with `--json`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSilentLogger } from '../src/logging/logger.js';
import { createHttpApp, startHttpServer } from '../src/server/index.js';
import { createBenchEngine } from './lib/bench-engine.js';
import { type LoadTestResult, loadTest, numberArg } from './lib/load-test.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const QUESTIONS = [
  '2021年新建了多少个5G基站？',
  '中小企业融资有什么政策？',
  '虚拟现实行动计划',
  'What is planned for 6G research?',
  '专精特新“小巨人”企业培育了多少家？',
];

/**
 * A light HTTP client: node:http over a keep-alive pool of `concurrency` sockets. (`fetch` costs several
 * times more CPU per request, and client and server share this process, so it would dominate the numbers.)
 */
function createClient(base: string, concurrency: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const send = (method: string, path: string, body?: string): Promise<Response> =>
    new Promise((resolvePromise, reject) => {
      const req = request(`${base}${path}`, { method, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (typeof value === 'string') headers.set(name, value);
          }
          resolvePromise(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 0, headers }));
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (body !== undefined) {
        req.setHeader('Content-Type', 'application/json');
        req.end(body);
      } else req.end();
    });
  return {
    ask: (path: string, i: number) =>
      send('POST', path, JSON.stringify({ question: QUESTIONS[i % QUESTIONS.length] })),
    get: (path: string) => send('GET', path),
    close: () => agent.destroy(),
  };
}

export interface WebApiResult extends LoadTestResult {
  frontEnd: 'web';
  endpoint: string;
  engine: string;
  stream: LoadTestResult;
  healthz: LoadTestResult;
  note: string;
}

export async function runWebApi(concurrency: number, requests: number): Promise<WebApiResult> {
  const work = await mkdtemp(join(tmpdir(), 'policybot-web-api-'));
  const logger = createSilentLogger();
  try {
    const { engine, config, via } = await createBenchEngine(ROOT, work, logger, {
      POLICYBOT_WEB_RATE_LIMIT_PER_MINUTE: '100000',
    });
    const app = createHttpApp({ config, engine, logger, frontEnds: () => ['web'] });
    const server = await startHttpServer(app, { port: 0, host: '127.0.0.1' }, logger);
    const client = createClient(server.url, concurrency);
    try {
      // Warm up: open every pooled connection, JIT, the index's first queries.
      await loadTest(concurrency, concurrency, () => client.get('/healthz'));
      await loadTest(concurrency, concurrency, (i) => client.ask('/api/ask', i));
      const result = await loadTest(requests, concurrency, (i) => client.ask('/api/ask', i));
      const stream = await loadTest(
        requests,
        concurrency,
        (i) => client.ask('/api/ask/stream', i),
        (r) => r.status === 200 && (r.headers.get('content-type') ?? '').startsWith('text/event-stream'),
      );
      const healthz = await loadTest(requests, concurrency, () => client.get('/healthz'));
      return {
        frontEnd: 'web',
        endpoint: 'POST /api/ask',
        engine: via,
        ...result,
        stream,
        healthz,
        note: `${concurrency} in flight; one process serves and loads; times include JSON parse, validation, retrieval and extractive compose`,
      };
    } finally {
      client.close();
      await server.close();
      await engine.close();
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  runWebApi(numberArg(argv, '--concurrency', 100), numberArg(argv, '--requests', 1_000)).then(
    (result) => {
      const line = (name: string, r: LoadTestResult) =>
        `${name.padEnd(22)} p50 ${String(r.p50).padStart(8)} ms   p99 ${String(r.p99).padStart(8)} ms   errors ${r.errors}${r.firstError ? ` (${r.firstError})` : ''}\n`;
      const out = argv.includes('--json') ? process.stderr : process.stdout;
      out.write(
        `web API: ${result.requests} requests, ${result.concurrency} concurrent, engine: ${result.engine}\n`,
      );
      out.write(line('POST /api/ask', result));
      out.write(line('POST /api/ask/stream', result.stream));
      out.write(line('GET /healthz', result.healthz));
      if (argv.includes('--json')) process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
