import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/index.js';
import type { PolicyEngine } from '../../src/engine/PolicyEngine.js';
import { ConfigError } from '../../src/errors/index.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { createHttpApp, startHttpServer } from '../../src/server/index.js';
import { createTestEngine } from '../helpers/engine.js';
import { overrideEngine, startTestServer } from './test-server.js';

/** GET over a given agent; resolves with status and the socket the response came on. */
function get(url: string, agent: Agent): Promise<{ status: number; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    })
      .on('error', reject)
      .end();
  });
}

describe('startHttpServer', () => {
  let engine: PolicyEngine;

  before(async () => {
    engine = await createTestEngine();
  });

  after(async () => {
    await engine?.close();
  });

  it('listens on a free port and reports a URL a browser can open', async () => {
    const server = await startTestServer({ engine });
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(server.port > 0);
      assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    } finally {
      await server.close();
    }
  });

  it('names the PORT setting when the port is taken', async () => {
    const first = await startTestServer({ engine });
    try {
      const config = loadConfig({}, { PORT: String(first.port) });
      const logger = createSilentLogger();
      const app = createHttpApp({ config, engine, logger, frontEnds: () => [] });
      await assert.rejects(
        startHttpServer(app, { port: first.port, host: '127.0.0.1' }, logger),
        (error: unknown) =>
          error instanceof ConfigError && error.variable === 'PORT' && /in use/.test(error.message),
      );
    } finally {
      await first.close();
    }
  });

  it('closes gracefully: ends open SSE streams and idle keep-alive connections', async () => {
    const server = await startTestServer({
      engine: overrideEngine(engine, {
        // An answer that never finishes: only shutdown can end this stream.
        answerStream: async function* () {
          yield { type: 'delta' as const, text: '…' };
          await new Promise(() => {});
        },
      }),
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const idle = await get(`${server.url}/healthz`, agent);
      assert.equal(idle.status, 200);
      assert.equal(idle.connection, 'keep-alive');
      const stream = await fetch(`${server.url}/api/ask/stream`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ question: '5G' }),
      });
      const reader = stream.body?.getReader();
      assert.ok(reader);
      const first = await reader.read();
      assert.match(new TextDecoder().decode(first.value), /event: delta/);

      const started = Date.now();
      await server.close();
      assert.ok(Date.now() - started < 1500, `close took ${Date.now() - started}ms (grace is 2000ms)`);
      // The stream ended cleanly rather than hanging.
      for (;;) {
        const { done } = await reader.read();
        if (done) break;
      }
      await assert.rejects(fetch(`${server.url}/healthz`), 'no longer accepting');
    } finally {
      agent.destroy();
      await server.close();
    }
  });

  it('close() is idempotent', async () => {
    const server = await startTestServer({ engine });
    await Promise.all([server.close(), server.close()]);
    await server.close();
  });
});
