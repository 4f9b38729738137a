/**
 * A scripted OpenAI-compatible server on 127.0.0.1 (port 0) for exercising the real `openai` client
 * over real HTTP: POST /v1/chat/completions answers with the next scripted reply (JSON, SSE chunks,
 * an error status with headers, a stream that breaks or stalls, or a hang).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ScriptedReply =
  | { kind: 'json'; content: string }
  | {
      kind: 'sse';
      deltas: string[];
      /** Pause between chunks. */
      delayMs?: number;
      /** Destroy the socket after this many deltas (a connection dropped midway). */
      breakAfter?: number;
      /** Stop sending (but keep the connection open) after this many deltas. */
      stallAfter?: number;
    }
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  | { kind: 'hang' };

export interface RecordedRequest {
  at: number;
  body: {
    model?: string;
    stream?: boolean;
    messages?: Array<{ role: string; content: string }>;
    [key: string]: unknown;
  };
  headers: IncomingMessage['headers'];
  /** When the client closed the connection before the reply was complete (an aborted call). */
  closedEarlyAt?: number;
}

export interface OpenAiTestServer {
  /** Base URL for the client, ending in /v1. */
  baseURL: string;
  requests: RecordedRequest[];
  /** Appends replies; when the script runs out, `fallback` (default: a JSON "OK") is used. */
  enqueue(...replies: ScriptedReply[]): void;
  setFallback(reply: ScriptedReply): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function completion(content: string) {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 0,
    model: 'test-model',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  };
}

function chunk(content: string | null, finish: string | null = null) {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'test-model',
    choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finish }],
  };
}

async function respond(reply: ScriptedReply, res: ServerResponse): Promise<void> {
  switch (reply.kind) {
    case 'json':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(completion(reply.content)));
      return;
    case 'status':
      res.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
      res.end(JSON.stringify(reply.body ?? { error: { message: `scripted ${reply.status}`, type: 'test' } }));
      return;
    case 'hang':
      // Never answers; the server's close() destroys the socket.
      return;
    case 'sse': {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      let sent = 0;
      for (const delta of reply.deltas) {
        if (reply.breakAfter !== undefined && sent >= reply.breakAfter) {
          res.socket?.destroy();
          return;
        }
        if (reply.stallAfter !== undefined && sent >= reply.stallAfter) return;
        res.write(`data: ${JSON.stringify(chunk(delta))}\n\n`);
        sent++;
        if (reply.delayMs) await sleep(reply.delayMs);
      }
      res.write(`data: ${JSON.stringify(chunk(null, 'stop'))}\n\n`);
      res.end('data: [DONE]\n\n');
      return;
    }
  }
}

/** Starts the server; close it in `after`/`finally`. */
export async function startOpenAiServer(replies: ScriptedReply[] = []): Promise<OpenAiTestServer> {
  const script = [...replies];
  let fallback: ScriptedReply = { kind: 'json', content: 'OK' };
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404).end();
        return;
      }
      let body: RecordedRequest['body'] = {};
      try {
        body = JSON.parse(Buffer.concat(parts).toString('utf8')) as RecordedRequest['body'];
      } catch {
        res.writeHead(400).end();
        return;
      }
      const record: RecordedRequest = { at: Date.now(), body, headers: req.headers };
      requests.push(record);
      res.once('close', () => {
        if (!res.writableFinished) record.closedEarlyAt = Date.now();
      });
      void respond(script.shift() ?? fallback, res).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...more) => {
      script.push(...more);
    },
    setFallback: (reply) => {
      fallback = reply;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
