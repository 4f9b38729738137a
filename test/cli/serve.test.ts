import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLI, REPO } from '../helpers/cli.js';
import { ensureTinyModel } from '../helpers/engine.js';
import { tempDir } from '../helpers/temp-dir.js';

test('`policybot serve` (what npm start runs): ready line, web chat, API, health, clean SIGTERM', async () => {
  const root = await tempDir();
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0'], {
    cwd: REPO,
    env: {
      PATH: process.env.PATH ?? '',
      POLICYBOT_INDEX_DIR: join(root, 'embeddings'),
      POLICYBOT_EMBEDDING_MODEL: ensureTinyModel(),
      POLICYBOT_ALLOW_REMOTE_MODELS: 'false',
      LOG_LEVEL: 'warn',
    },
  });
  let stdout = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line in: ${stdout}`)), 60_000);
    child.stdout.on('data', () => {
      const match = stdout.match(/policybot is ready: (http:\/\/\S+)/);
      // The WeCom line is the last of the start-up summary.
      if (match?.[1] && /WeCom/.test(stdout)) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', () => reject(new Error(`exited early: ${stdout}`)));
  });
  try {
    assert.match(stdout, /Slack not configured/);
    assert.match(stdout, /WeCom not configured/);
    assert.match(stdout, /retrieval: hybrid/);
    const page = await fetch(`${url}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html/i);
    const health = (await (await fetch(`${url}/healthz`)).json()) as { frontEnds: string[] };
    assert.deepEqual(health.frontEnds, ['web']);
    const ask = await fetch(`${url}/api/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: '2021年新建了多少个5G基站？' }),
    });
    const answer = (await ask.json()) as { text: string };
    assert.match(answer.text, /60万/);
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0);
});
