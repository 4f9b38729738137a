/** Starts the real HTTP app on 127.0.0.1:0 over the test engine; shared by the server and browser tests. */
import { Writable } from 'node:stream';
import type { Express } from 'express';
import { type Config, loadConfig } from '../../src/config/index.js';
import type { PolicyEngine } from '../../src/engine/PolicyEngine.js';
import { createLogger, type Logger } from '../../src/logging/logger.js';
import {
  createHttpApp,
  type HttpAppOptions,
  type HttpServerHandle,
  startHttpServer,
} from '../../src/server/index.js';
import { createTestEngine } from '../helpers/engine.js';

export interface TestServer extends HttpServerHandle {
  engine: PolicyEngine;
  config: Config;
  /** Every log line written so far, parsed. */
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/** A logger that keeps its JSON lines in memory, so tests can check what was (and was not) logged. */
export function memoryLogger(): { logger: Logger; logs: Array<Record<string, unknown>> } {
  const logs: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n')) if (line.trim()) logs.push(JSON.parse(line));
      callback();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), logs };
}

export interface TestServerOptions {
  /** Settings as environment variables, e.g. `{ POLICYBOT_WEB_RATE_LIMIT_PER_MINUTE: '2' }`. */
  env?: Record<string, string>;
  engine?: PolicyEngine;
  frontEnds?: string[];
  /** Routes mounted after `createHttpApp`, the way the Slack and WeCom front ends do. */
  mount?: (app: Express) => void;
  sseHeartbeatMs?: number;
  /** Document sets, subscriptions and digests (`/api/scopes`, `/api/subscriptions`, `/api/digest`). */
  channels?: HttpAppOptions['channels'];
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const config = loadConfig({}, { HOST: '127.0.0.1', PORT: '0', ...options.env });
  const engine = options.engine ?? (await createTestEngine());
  const { logger, logs } = memoryLogger();
  const app = createHttpApp({
    config,
    engine,
    logger,
    frontEnds: () => options.frontEnds ?? ['web'],
    ...(options.sseHeartbeatMs === undefined ? {} : { sseHeartbeatMs: options.sseHeartbeatMs }),
    ...(options.channels ? { channels: options.channels } : {}),
  });
  options.mount?.(app);
  const handle = await startHttpServer(app, { port: 0, host: '127.0.0.1', shutdownGraceMs: 2000 }, logger);
  return {
    ...handle,
    engine,
    config,
    logs,
    close: async () => {
      await handle.close();
      // An engine passed in belongs to the caller (often shared by several servers).
      if (!options.engine) await engine.close();
    },
  };
}

/** Delegates every method to `base` except those given, without relying on `base` being a plain object. */
export function overrideEngine(base: PolicyEngine, overrides: Partial<PolicyEngine>): PolicyEngine {
  return {
    status: () => base.status(),
    retrieve: (query) => base.retrieve(query),
    answer: (question) => base.answer(question),
    answerStream: (question) => base.answerStream(question),
    summary: (issuer, options) => base.summary(issuer, options),
    compare: (request) => base.compare(request),
    issuers: () => base.issuers(),
    documents: () => base.documents(),
    exampleQuestions: (language) => base.exampleQuestions(language),
    documentSummary: (docId) => base.documentSummary(docId),
    resolveIssuer: (name) => base.resolveIssuer(name),
    passage: (id) => base.passage(id),
    figures: (query) => base.figures(query),
    passageFigures: (id) => base.passageFigures(id),
    close: () => base.close(),
    ...overrides,
  };
}

export interface SseEvent {
  event: string;
  data: unknown;
}

/** Parses a complete Server-Sent Events body (comments and keep-alives ignored). */
export function parseSse(body: string): SseEvent[] {
  return body
    .replace(/\r\n?/g, '\n')
    .split('\n\n')
    .map((block) => {
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      return data.length > 0 ? { event, data: JSON.parse(data.join('\n')) as unknown } : null;
    })
    .filter((e): e is SseEvent => e !== null);
}

/** POSTs JSON (or a raw string) to `path`. */
export function postJson(
  base: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
