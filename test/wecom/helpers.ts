import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Config } from '../../src/config/config.js';
import type { PolicyEngine } from '../../src/engine/PolicyEngine.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import type { ChannelScopes } from '../../src/scopes/index.js';
import type { FrontEnd } from '../../src/server/FrontEnd.js';
import { createWecomFrontEnd } from '../../src/wecom/index.js';
import {
  computeSignature,
  decodeAesKey,
  decryptMessage,
  encryptMessage,
} from '../../src/wecom/wecom-crypto.js';

/** WeCom's documented example credentials. */
export const EXAMPLE = {
  token: 'QDG6eK',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  corpId: 'wx5823bf96d3bd56c7',
};

export interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : null;
}

/** A local stand-in for qyapi.weixin.qq.com: gettoken, message/send and webhook/send. */
export class FakeWecomApi {
  readonly requests: Recorded[] = [];
  /** Scripted errcodes for successive message/send calls (then 0). */
  readonly sendErrcodes: number[] = [];
  /** Scripted errcodes for successive webhook/send calls (then 0). */
  readonly webhookErrcodes: number[] = [];
  /** Reject markdown message/send with this errcode (simulates clients without markdown). */
  markdownErrcode: number | null = null;
  private tokens = 0;
  private server: Server | null = null;
  base = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        (body) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  private async handle(req: IncomingMessage): Promise<unknown> {
    const url = new URL(req.url ?? '/', 'http://x');
    const record: Recorded = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: await readBody(req),
    };
    this.requests.push(record);
    if (url.pathname === '/cgi-bin/gettoken') {
      return { errcode: 0, errmsg: 'ok', access_token: `token-${++this.tokens}`, expires_in: 7200 };
    }
    if (url.pathname === '/cgi-bin/message/send') {
      const body = record.body as { msgtype?: string };
      if (this.markdownErrcode !== null && body.msgtype === 'markdown') {
        return { errcode: this.markdownErrcode, errmsg: 'markdown not supported' };
      }
      return { errcode: this.sendErrcodes.shift() ?? 0, errmsg: 'ok' };
    }
    if (url.pathname === '/cgi-bin/webhook/send') {
      return { errcode: this.webhookErrcodes.shift() ?? 0, errmsg: 'ok' };
    }
    return { errcode: 404, errmsg: 'unknown api' };
  }

  sends(): Recorded[] {
    return this.requests.filter((r) => r.path === '/cgi-bin/message/send');
  }

  tokenRequests(): Recorded[] {
    return this.requests.filter((r) => r.path === '/cgi-bin/gettoken');
  }

  webhooks(): Recorded[] {
    return this.requests.filter((r) => r.path === '/cgi-bin/webhook/send');
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Polls `check` until it returns a truthy value (or throws after `timeoutMs`). */
export async function waitFor<T>(
  check: () => T | undefined | null | false,
  timeoutMs = 5000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface Harness {
  base: string;
  api: FakeWecomApi;
  frontEnd: FrontEnd;
  close(): Promise<void>;
}

export const AIBOT = {
  token: 'AibotToken123',
  encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
};

export function wecomConfig(apiBase: string, overrides: Partial<Config['wecom']> = {}): Config['wecom'] {
  return {
    app: {
      corpId: EXAMPLE.corpId,
      agentId: 1000002,
      secret: 'app-secret-value',
      token: EXAMPLE.token,
      encodingAesKey: EXAMPLE.encodingAesKey,
    },
    aibot: { ...AIBOT },
    apiBase,
    maxSkewSeconds: 0,
    ...overrides,
  };
}

/** Express app with the WeCom front end on 127.0.0.1:0, talking to a fake WeCom API. */
export async function startHarness(
  engine: PolicyEngine,
  overrides: Partial<Config['wecom']> = {},
  extra: { now?: () => number; scopes?: ChannelScopes } = {},
): Promise<Harness> {
  const api = await new FakeWecomApi().start();
  const app = express();
  const frontEnd = createWecomFrontEnd({
    config: wecomConfig(api.base, overrides),
    engine,
    logger: createSilentLogger(),
    app,
    ...(extra.now ? { now: extra.now } : {}),
    ...(extra.scopes ? { scopes: extra.scopes } : {}),
  });
  if (!frontEnd) throw new Error('front end not configured');
  await frontEnd.start();
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    api,
    frontEnd,
    async close() {
      await frontEnd.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await api.close();
    },
  };
}

let nonceCounter = 0;

/** Builds the signed query + encrypted XML body WeCom posts for an app message. */
export function encryptedAppPost(innerXml: string, options: { timestamp?: string; receiveId?: string } = {}) {
  const key = decodeAesKey(EXAMPLE.encodingAesKey);
  const encrypt = encryptMessage(key, innerXml, options.receiveId ?? EXAMPLE.corpId);
  const timestamp = options.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = String(100000 + ++nonceCounter);
  const signature = computeSignature(EXAMPLE.token, timestamp, nonce, encrypt);
  const body = `<xml><ToUserName><![CDATA[${EXAMPLE.corpId}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>`;
  return { encrypt, timestamp, nonce, signature, body };
}

export function textMessageXml(content: string, msgId: string, from = 'zhangsan'): string {
  return `<xml><ToUserName><![CDATA[${EXAMPLE.corpId}]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>1348831860</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId><AgentID>1000002</AgentID></xml>`;
}

export async function postApp(
  base: string,
  post: { signature: string; timestamp: string; nonce: string; body: string },
): Promise<Response> {
  const qs = new URLSearchParams({
    msg_signature: post.signature,
    timestamp: post.timestamp,
    nonce: post.nonce,
  });
  return fetch(`${base}/wecom/callback?${qs}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: post.body,
  });
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** A fake clock whose sleep advances time instantly and records every wait. */
export function fakeClock(start = 1_000_000) {
  let now = start;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

export interface StreamReply {
  msgtype: 'stream';
  stream: { id: string; finish: boolean; content: string };
}
export type Reply = StreamReply | { msgtype: 'text'; text: { content: string } };

let counter = 0;
const aibotKey = () => decodeAesKey(AIBOT.encodingAesKey);

/** POSTs an encrypted AI-bot callback (to `base`, any server with the AI-bot route) and returns the status and the decrypted reply (verifying its signature). */
export async function callAibot(
  base: string,
  payload: unknown,
): Promise<{ status: number; reply: Reply | null }> {
  const encrypt = encryptMessage(aibotKey(), JSON.stringify(payload), '');
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = `n${++counter}`;
  const qs = new URLSearchParams({
    msg_signature: computeSignature(AIBOT.token, timestamp, nonce, encrypt),
    timestamp,
    nonce,
  });
  const res = await fetch(`${base}/wecom/aibot?${qs}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ encrypt }),
  });
  const text = await res.text();
  if (res.status !== 200 || text === '') return { status: res.status, reply: null };
  const envelope = JSON.parse(text) as {
    encrypt: string;
    msgsignature: string;
    timestamp: number;
    nonce: string;
  };
  assert.equal(
    envelope.msgsignature,
    computeSignature(AIBOT.token, String(envelope.timestamp), envelope.nonce, envelope.encrypt),
    'reply is signed',
  );
  return { status: res.status, reply: JSON.parse(decryptMessage(aibotKey(), envelope.encrypt, '')) as Reply };
}

export function textMessage(content: string, msgid: string, userid = 'wangwu') {
  return {
    msgid,
    aibotid: 'AIBOTID',
    chattype: 'single',
    from: { userid },
    response_url: 'http://127.0.0.1:1/unused',
    msgtype: 'text',
    text: { content },
  };
}

export const refresh = (id: string, userid = 'wangwu') => ({
  msgid: `refresh-${++counter}`,
  aibotid: 'AIBOTID',
  chattype: 'single',
  from: { userid },
  msgtype: 'stream',
  stream: { id },
});
