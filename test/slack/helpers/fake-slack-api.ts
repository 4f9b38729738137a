/**
 * A local HTTP server standing in for the Slack Web API (SLACK_API_URL) and for response_url endpoints.
 * It records every call; tests assert on the calls the bot makes and poll the list instead of sleeping.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  /** Web API method (e.g. "chat.postMessage"), or "response_url" for posts to a response URL. */
  method: string;
  path: string;
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  at: number;
  /** What the fake answered (filled in before the response is sent). */
  response?: unknown;
}

export interface FakeResponse {
  status?: number;
  headers?: Record<string, string>;
  body: unknown;
}

export type Override = (call: RecordedCall) => FakeResponse | undefined;

const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'chunks']);

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    out[key] = JSON_FIELDS.has(key) ? JSON.parse(value) : value;
  }
  return out;
}

export class FakeSlackApi {
  readonly calls: RecordedCall[] = [];
  /** conversations.replies results by `channel:thread_ts`. */
  readonly threads = new Map<string, Array<Record<string, unknown>>>();
  private readonly overrides: Override[] = [];
  private server: Server | null = null;
  private port = 0;
  private tsCounter = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        const method = path.startsWith('/api/') ? (path.slice(5).split('?')[0] ?? '') : 'response_url';
        const call: RecordedCall = {
          method,
          path,
          body: parseBody(Buffer.concat(chunks).toString('utf8'), req.headers['content-type']),
          headers: req.headers,
          at: Date.now(),
        };
        this.calls.push(call);
        const response = this.respond(call);
        call.response = response.body;
        res.writeHead(response.status ?? 200, { 'content-type': 'application/json', ...response.headers });
        res.end(typeof response.body === 'string' ? response.body : JSON.stringify(response.body));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Base URL to pass as SLACK_API_URL. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  /** A response_url that lands on this server. */
  responseUrl(id = 'r1'): string {
    return `http://127.0.0.1:${this.port}/response/${id}`;
  }

  /** Adds a response override; return undefined from it to fall through to the default. */
  override(fn: Override): void {
    this.overrides.unshift(fn);
  }

  /** Calls to one method (excluding auth.test unless asked). */
  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Every call except the startup auth.test. */
  get workCalls(): RecordedCall[] {
    return this.calls.filter((c) => c.method !== 'auth.test');
  }

  /** Polls until `predicate` matches at least `count` calls, returning them; fails after `timeoutMs`. */
  async waitFor(
    predicate: (c: RecordedCall) => boolean,
    count = 1,
    timeoutMs = 5000,
  ): Promise<RecordedCall[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.calls.filter(predicate);
      if (found.length >= count) return found;
      if (Date.now() > deadline) {
        throw new Error(
          `timed out waiting for ${count} matching call(s); saw: ${this.calls.map((c) => c.method).join(', ')}`,
        );
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async waitForMethod(method: string, count = 1, timeoutMs = 5000): Promise<RecordedCall[]> {
    return this.waitFor((c) => c.method === method, count, timeoutMs);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }

  private respond(call: RecordedCall): FakeResponse {
    for (const fn of this.overrides) {
      const r = fn(call);
      if (r) return r;
    }
    const b = call.body;
    const ts = () => `1700000000.${String(++this.tsCounter).padStart(6, '0')}`;
    switch (call.method) {
      case 'auth.test':
        return {
          body: { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'policybot', team: 'Test' },
        };
      case 'chat.postMessage':
      case 'chat.startStream':
        return { body: { ok: true, channel: b.channel, ts: ts() } };
      case 'chat.update':
      case 'chat.appendStream':
      case 'chat.stopStream':
        return { body: { ok: true, channel: b.channel, ts: b.ts } };
      case 'chat.postEphemeral':
        return { body: { ok: true, message_ts: ts() } };
      case 'conversations.replies':
        return {
          body: { ok: true, messages: this.threads.get(`${b.channel}:${b.ts}`) ?? [], has_more: false },
        };
      case 'apps.connections.open':
        return { body: { ok: false, error: 'invalid_auth' } };
      case 'response_url':
        return { body: 'ok' };
      default:
        return { body: { ok: true } };
    }
  }
}

export async function startFakeSlackApi(): Promise<FakeSlackApi> {
  const fake = new FakeSlackApi();
  await fake.start();
  return fake;
}
