/**
 * Slack Events API acknowledgement latency under a burst.
 *
 *   node --import tsx bench/slack-ack.ts [--concurrency 100] [--requests 100] [--json] [--worker]
 *                                        [--answers-at-once N]   (engine calls at a time; default 4)
 *
 * Fires `requests` app_mention events — each signed exactly as Slack signs them (v0 HMAC of the raw body),
 * distinct event ids, users and channels — `concurrency` at a time at the real Bolt receiver (`/slack/events`
 * mounted on Express, as `npm start` does), and times each until Slack would see the 200 ack. Slack retries
 * after 3 s. The answers are composed after the ack by the real retrieval + extractive path over the seed corpus
 * with the tiny TEST model and posted to a local stand-in for the Slack Web API, so acknowledgements compete
 * with answering for the CPU as in production. "Slack" — the load generator and the Web API stand-in — shares the
 * bot's thread, as in bench/wecom-ack.ts, so the front ends compare like with like; `--worker` moves it to a
 * worker thread instead (on a 2-core machine that thread then competes for the cores rather than the event
 * loop). Prints a JSON line last (bench/frontends.ts contract).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import express from 'express';
import { createSilentLogger } from '../src/logging/logger.js';
import { createSlackFrontEnd, SLACK_EVENTS_PATH } from '../src/slack/index.js';
import { computeSlackSignature } from '../src/slack/verify-signature.js';
import { startFakeSlackApi } from '../test/slack/helpers/fake-slack-api.js';
import { eventEnvelope } from '../test/slack/helpers/harness.js';
import { createBenchEngine } from './lib/bench-engine.js';
import { type LoadTestResult, loadTest, numberArg } from './lib/load-test.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SIGNING_SECRET = 'bench-signing-secret';
const QUESTIONS = [
  '2021年新建了多少个5G基站？',
  '中小企业融资有什么政策？',
  '虚拟现实行动计划',
  'What is planned for 6G research?',
];

/** One signed app_mention delivery (body and headers exactly as Slack sends them). */
function signedMention(i: number): { body: string; headers: Record<string, string> } {
  const event = {
    type: 'app_mention',
    user: `U${100_000 + i}`,
    text: `<@UBOT> ${QUESTIONS[i % QUESTIONS.length]}`,
    ts: `1720000000.${String(i).padStart(6, '0')}`,
    channel: `C${i % 13}`,
  };
  const body = JSON.stringify(eventEnvelope(event, `EvBENCH${i}`));
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': computeSlackSignature(SIGNING_SECRET, timestamp, body),
    },
  };
}

/** The Slack side of the benchmark: the Web API stand-in and the load generator. */
interface SlackSide {
  apiUrl: string;
  /** chat.postMessage calls seen so far. */
  answers(): Promise<number>;
  /** Sends warm-up deliveries then the timed burst; resolves with the load-test result. */
  run(url: string, concurrency: number, requests: number): Promise<LoadTestResult>;
  close(): Promise<void>;
}

async function runBurst(url: string, concurrency: number, requests: number): Promise<LoadTestResult> {
  // Pre-sign every request so that the client's HMACs do not share the timed window.
  const posts = Array.from({ length: requests + 5 }, (_, i) => signedMention(i));
  const send = (i: number) =>
    fetch(url, { method: 'POST', ...(posts[i] as { body: string; headers: Record<string, string> }) });
  for (let i = 0; i < 5; i++) await (await send(requests + i)).arrayBuffer();
  await new Promise((r) => setTimeout(r, 200));
  return loadTest(requests, concurrency, send);
}

async function inProcessSlackSide(): Promise<SlackSide> {
  const api = await startFakeSlackApi();
  return {
    apiUrl: api.apiUrl,
    answers: async () => api.callsTo('chat.postMessage').length,
    run: runBurst,
    close: () => api.close(),
  };
}

type WorkerReply = { id: number; value?: unknown; error?: string };

async function workerSlackSide(): Promise<SlackSide> {
  // Workers do not inherit `--import tsx`: register tsx in the worker, then load this file there.
  const worker = new Worker(
    `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); });`,
    { eval: true },
  );
  let nextId = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  worker.on('message', (m: WorkerReply) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.error) p?.reject(new Error(m.error));
    else p?.resolve(m.value);
  });
  worker.on('error', (e) => {
    for (const p of pending.values()) p.reject(e);
  });
  const call = (op: string, args: unknown[] = []) =>
    new Promise<unknown>((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, op, args });
    });
  const apiUrl = (await call('start')) as string;
  return {
    apiUrl,
    answers: async () => (await call('answers')) as number,
    run: async (url, concurrency, requests) =>
      (await call('run', [url, concurrency, requests])) as LoadTestResult,
    close: async () => {
      await call('close');
      await worker.terminate();
    },
  };
}

/** Worker-thread entry: serves the Slack side to the main thread. */
function serveSlackSide(): void {
  let api: Awaited<ReturnType<typeof startFakeSlackApi>> | null = null;
  parentPort?.on('message', async (m: { id: number; op: string; args: unknown[] }) => {
    try {
      let value: unknown;
      if (m.op === 'start') {
        api = await startFakeSlackApi();
        value = api.apiUrl;
      } else if (m.op === 'answers') value = api?.callsTo('chat.postMessage').length ?? 0;
      else if (m.op === 'run') value = await runBurst(...(m.args as [string, number, number]));
      else if (m.op === 'close') await api?.close();
      parentPort?.postMessage({ id: m.id, value });
    } catch (error) {
      parentPort?.postMessage({ id: m.id, error: error instanceof Error ? error.message : String(error) });
    }
  });
}

export async function runSlackAck(
  concurrency: number,
  requests: number,
  options: { worker?: boolean; maxConcurrentAnswers?: number } = {},
) {
  const work = await mkdtemp(join(tmpdir(), 'policybot-slack-ack-'));
  const logger = createSilentLogger();
  const slack = options.worker ? await workerSlackSide() : await inProcessSlackSide();
  try {
    const { engine, via } = await createBenchEngine(ROOT, work, logger);
    const app = express();
    const frontEnd = await createSlackFrontEnd({
      config: {
        botToken: 'xoxb-bench-token',
        signingSecret: SIGNING_SECRET,
        appToken: undefined,
        apiUrl: slack.apiUrl,
        channelAllowlist: undefined,
        rateLimitPerMinute: 10_000,
        slashCommand: '/policy',
        threadFollowups: true,
      },
      engine,
      logger,
      app,
      feedbackDir: join(work, 'feedback'),
      ...(options.maxConcurrentAnswers ? { maxConcurrentAnswers: options.maxConcurrentAnswers } : {}),
    });
    await frontEnd.start();
    const server = await new Promise<Server>((r) => {
      const s = app.listen(0, '127.0.0.1', () => r(s));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${SLACK_EVENTS_PATH}`;

    const burstStarted = performance.now();
    const result = await slack.run(url, concurrency, requests);
    await frontEnd.idle();
    const allAnsweredMs = Math.round(performance.now() - burstStarted);
    // Warm-up deliveries were answered too (5 of them).
    const answersPosted = (await slack.answers()) - 5;
    await frontEnd.stop();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await engine.close();
    const side = options.worker ? 'a worker thread' : 'the same thread as the bot';
    return {
      frontEnd: 'slack',
      endpoint: `POST ${SLACK_EVENTS_PATH} (app_mention events)`,
      engine: via,
      ...result,
      answersPosted,
      allAnsweredMs,
      note: `load generator and Web API stand-in on ${side}; ack = HTTP 200 from Bolt (processBeforeResponse: false), answers posted after it; ${answersPosted} answers done ${allAnsweredMs} ms after the burst began`,
    };
  } finally {
    await slack.close();
    await rm(work, { recursive: true, force: true });
  }
}

if (!isMainThread) {
  serveSlackSide();
} else if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  runSlackAck(numberArg(argv, '--concurrency', 100), numberArg(argv, '--requests', 100), {
    worker: argv.includes('--worker'),
    maxConcurrentAnswers: numberArg(argv, '--answers-at-once', 0),
  }).then(
    (result) => {
      if (!argv.includes('--json')) {
        process.stderr.write(
          `slack ack: ${result.requests} signed events, ${result.concurrency} concurrent: p50 ${result.p50} ms, p99 ${result.p99} ms, max ${result.max} ms, errors ${result.errors}; all ${result.answersPosted} answers posted after ${result.allAnsweredMs} ms\n`,
        );
      }
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
