import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import type { PolicyEngine } from '../../src/engine/PolicyEngine.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { createWecomFrontEnd } from '../../src/wecom/index.js';
import { createTestEngine } from '../helpers/engine.js';
import { wecomConfig } from './helpers.js';

let engine: PolicyEngine;
before(async () => {
  engine = await createTestEngine();
});
after(() => engine.close());

describe('createWecomFrontEnd', () => {
  it('returns null when neither the app nor the AI bot is configured', () => {
    const frontEnd = createWecomFrontEnd({
      config: { app: null, aibot: null, apiBase: 'http://127.0.0.1:1', maxSkewSeconds: 0 },
      engine,
      logger: createSilentLogger(),
      app: express(),
    });
    assert.equal(frontEnd, null);
  });

  it('names what it mounted', () => {
    const both = createWecomFrontEnd({
      config: wecomConfig('http://127.0.0.1:1'),
      engine,
      logger: createSilentLogger(),
      app: express(),
    });
    assert.equal(both?.name, 'wecom (app /wecom/callback, ai-bot /wecom/aibot)');
    const appOnly = createWecomFrontEnd({
      config: wecomConfig('http://127.0.0.1:1', { aibot: null }),
      engine,
      logger: createSilentLogger(),
      app: express(),
    });
    assert.equal(appOnly?.name, 'wecom (app /wecom/callback)');
  });

  it('keeps its body parsers to its own routes', async () => {
    const app = express();
    createWecomFrontEnd({
      config: wecomConfig('http://127.0.0.1:1'),
      engine,
      logger: createSilentLogger(),
      app,
    });
    let seen: unknown = 'unset';
    app.post('/other', (req, res) => {
      seen = req.body;
      res.end();
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const { port } = server.address() as { port: number };
      await fetch(`http://127.0.0.1:${port}/other`, {
        method: 'POST',
        body: '{"a":1}',
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(seen, undefined, 'raw body left for other routes');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
