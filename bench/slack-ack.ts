/**
 * Slack ack-latency benchmark: fires N (default 100) concurrent, correctly signed app_mention events at the real
 * Bolt HTTP endpoint (/slack/events, mounted on Express as in `npm start`) and prints the time to the HTTP ack
 * (p50/p90/p99/max). Slack retries when an ack takes more than 3 s. The Web API is a local fake; the engine is
 * the test engine. Also reports how long until every answer was posted (work done after the ack).
 *
 * Usage: node --import tsx bench/slack-ack.ts [--events 100] [--warmup 10]
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import express from 'express';
import { createSilentLogger } from '../src/logging/logger.js';
import { createSlackFrontEnd } from '../src/slack/index.js';
import { computeSlackSignature } from '../src/slack/verify-signature.js';
import { createTestEngine } from '../test/helpers/engine.js';
import { startFakeSlackApi } from '../test/slack/helpers/fake-slack-api.js';
import { eventEnvelope } from '../test/slack/helpers/harness.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

const SECRET = 'bench-signing-secret';
const events = arg('events', 100);
const warmup = arg('warmup', 10);

const fake = await startFakeSlackApi();
await mkdir('test/.tmp', { recursive: true });
const feedbackDir = await mkdtemp(join('test/.tmp', 'bench-slack-'));
const app = express();
const front = await createSlackFrontEnd({
  config: {
    botToken: 'xoxb-bench',
    signingSecret: SECRET,
    appToken: undefined,
    apiUrl: fake.apiUrl,
    channelAllowlist: undefined,
    rateLimitPerMinute: 100_000,
    slashCommand: '/policy',
    threadFollowups: true,
  },
  engine: await createTestEngine(),
  logger: createSilentLogger(),
  app,
  feedbackDir,
});
await front.start();
const server = createServer(app);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;

const questions = [
  '2021年新建了多少个5G基站？',
  '中小企业局2022年的重点工作是什么？',
  '科技司的工作要点有哪些？',
];
let seq = 0;
function signedEvent(): { body: string; headers: Record<string, string> } {
  seq += 1;
  const event = {
    type: 'app_mention',
    user: `U${seq}`,
    text: `<@UBOT> ${questions[seq % questions.length]}`,
    ts: `1720000000.${String(seq).padStart(6, '0')}`,
    channel: `C${seq % 7}`,
  };
  const body = JSON.stringify(eventEnvelope(event, `EvBENCH${seq}`));
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': computeSlackSignature(SECRET, timestamp, body),
    },
  };
}

async function fire(): Promise<number> {
  const { body, headers } = signedEvent();
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers, body });
  const elapsed = performance.now() - started;
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  return elapsed;
}

for (let i = 0; i < warmup; i++) await fire();
await front.idle();
const postsBefore = fake.callsTo('chat.postMessage').length;

const burstStart = performance.now();
const latencies = (await Promise.all(Array.from({ length: events }, () => fire()))).sort((a, b) => a - b);
const allAcked = performance.now() - burstStart;
await fake.waitFor((c) => c.method === 'chat.postMessage', postsBefore + events, 60_000);
const allAnswered = performance.now() - burstStart;

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
console.log(`Slack ack latency, ${events} concurrent signed app_mention events (after ${warmup} warm-up):`);
console.log(
  `  p50 ${fmt(percentile(latencies, 50))}  p90 ${fmt(percentile(latencies, 90))}  p99 ${fmt(percentile(latencies, 99))}  max ${fmt(latencies.at(-1) ?? Number.NaN)}`,
);
console.log(
  `  all ${events} acked in ${fmt(allAcked)}; all answers posted in ${fmt(allAnswered)} (Slack's ack deadline: 3000 ms)`,
);
console.log(`  node ${process.version}, ${process.platform}/${process.arch}`);

await front.stop();
await new Promise<void>((resolve) => {
  server.closeAllConnections();
  server.close(() => resolve());
});
await fake.close();
await rm(feedbackDir, { recursive: true, force: true });
