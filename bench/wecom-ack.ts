/**
 * WeCom self-built-app callback acknowledgement latency under concurrency.
 *
 *   node --import tsx bench/wecom-ack.ts [--concurrency 100] [--requests 1000] [--json]
 *
 * Posts signed, AES-encrypted text messages (distinct MsgId and sender each) to `/wecom/callback` on a local
 * server and times each until WeCom would see the 200 (the answer itself goes out afterwards through
 * message/send, here to a local stand-in for qyapi.weixin.qq.com). Answers are composed by the real retrieval
 * + extractive path over the seed corpus with the tiny TEST model, so acknowledgements compete with answering
 * for the CPU as they would in production. Prints a JSON line last when `--json` is given.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { createSilentLogger } from '../src/logging/logger.js';
import { APP_CALLBACK_PATH, createWecomFrontEnd } from '../src/wecom/index.js';
import { computeSignature, decodeAesKey, encryptMessage } from '../src/wecom/wecom-crypto.js';
import { createBenchEngine } from './lib/bench-engine.js';
import { loadTest, numberArg } from './lib/load-test.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** WeCom's documented example credentials (not secrets). */
const CORP_ID = 'wx5823bf96d3bd56c7';
const TOKEN = 'QDG6eK';
const AES_KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
const QUESTIONS = [
  '中小企业融资有什么政策？',
  '5G应用创新引领区',
  '虚拟现实行动计划',
  'What is planned for 6G research?',
];

/** A local stand-in for qyapi.weixin.qq.com: gettoken and message/send always succeed. */
async function startFakeWecomApi(): Promise<{
  base: string;
  sends: () => number;
  close: () => Promise<void>;
}> {
  let sends = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/cgi-bin/message/send') sends++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          path === '/cgi-bin/gettoken'
            ? { errcode: 0, errmsg: 'ok', access_token: 'bench-token', expires_in: 7200 }
            : { errcode: 0, errmsg: 'ok' },
        ),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sends: () => sends,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function signedPost(i: number): { query: string; body: string } {
  const inner =
    `<xml><ToUserName><![CDATA[${CORP_ID}]]></ToUserName><FromUserName><![CDATA[user${i}]]></FromUserName>` +
    `<CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType>` +
    `<Content><![CDATA[${QUESTIONS[i % QUESTIONS.length]}]]></Content><MsgId>${9_000_000 + i}</MsgId>` +
    '<AgentID>1000002</AgentID></xml>';
  const encrypt = encryptMessage(decodeAesKey(AES_KEY), inner, CORP_ID);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(100_000 + i);
  const signature = computeSignature(TOKEN, timestamp, nonce, encrypt);
  const query = new URLSearchParams({ msg_signature: signature, timestamp, nonce }).toString();
  const body = `<xml><ToUserName><![CDATA[${CORP_ID}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>`;
  return { query, body };
}

export async function runWecomAck(concurrency: number, requests: number) {
  const work = await mkdtemp(join(tmpdir(), 'policybot-wecom-ack-'));
  const logger = createSilentLogger();
  const api = await startFakeWecomApi();
  try {
    const { engine, via } = await createBenchEngine(ROOT, work, logger);
    const app = express();
    const frontEnd = createWecomFrontEnd({
      config: {
        app: {
          corpId: CORP_ID,
          agentId: 1000002,
          secret: 'bench-secret',
          token: TOKEN,
          encodingAesKey: AES_KEY,
        },
        aibot: null,
        apiBase: api.base,
        maxSkewSeconds: 0,
      },
      engine,
      logger,
      app,
    });
    if (!frontEnd) throw new Error('WeCom front end did not mount');
    await frontEnd.start();
    const server = await new Promise<Server>((r) => {
      const s = app.listen(0, '127.0.0.1', () => r(s));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${APP_CALLBACK_PATH}`;
    // Pre-sign every request so that the client's crypto does not share the timed window.
    const posts = Array.from({ length: requests + 5 }, (_, i) => signedPost(i));
    const send = (i: number) => {
      const post = posts[i] as { query: string; body: string };
      return fetch(`${base}?${post.query}`, {
        method: 'POST',
        body: post.body,
        headers: { 'content-type': 'text/xml' },
      });
    };
    for (let i = 0; i < 5; i++) await (await send(requests + i)).arrayBuffer();
    await frontEnd.stop();
    const result = await loadTest(requests, concurrency, send);
    const drainStarted = performance.now();
    await frontEnd.stop();
    const drainMs = performance.now() - drainStarted;
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await engine.close();
    return {
      frontEnd: 'wecom',
      endpoint: `POST ${APP_CALLBACK_PATH}`,
      engine: via,
      ...result,
      answersSent: api.sends(),
      drainMs: Math.round(drainMs),
    };
  } finally {
    await api.close();
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  runWecomAck(numberArg(argv, '--concurrency', 100), numberArg(argv, '--requests', 1_000)).then(
    (result) => {
      if (!argv.includes('--json')) {
        process.stderr.write(
          `wecom ack: ${result.requests} requests, ${result.concurrency} concurrent: p50 ${result.p50} ms, p99 ${result.p99} ms, errors ${result.errors}\n`,
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
