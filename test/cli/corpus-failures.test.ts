/**
 * A corpus that cannot (all) be read must not take serving down: a file whose name is not UTF-8, and then a
 * missing corpus folder, with a good index already built. `serve` starts, answers from the index and says what
 * it could not read (start-up line, /healthz); `doctor` reports it too.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { HealthReport } from '../../src/server/index.js';
import { REPO, runCli } from '../helpers/cli.js';
import { ensureTinyModel } from '../helpers/engine.js';
import { startServe } from '../helpers/serve.js';
import { tempDir } from '../helpers/temp-dir.js';

const FIVE_G = '2021年新建了多少个5G基站？';

async function ask(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${url}/api/ask`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ question: FIVE_G }),
  });
  return { status: res.status, text: ((await res.json()) as { text: string }).text };
}

test('serve keeps answering from a good index when corpus files or the whole folder cannot be read', async () => {
  const root = await tempDir();
  const corpus = join(root, 'corpus');
  mkdirSync(corpus);
  copyFileSync(join(REPO, 'corpus/miit-2022-work-plans.txt'), join(corpus, 'miit-2022-work-plans.txt'));
  const env = {
    POLICYBOT_CORPUS_DIR: corpus,
    POLICYBOT_INDEX_DIR: join(root, 'embeddings'),
    POLICYBOT_EMBEDDING_MODEL: ensureTinyModel(),
    POLICYBOT_ALLOW_REMOTE_MODELS: 'false',
  };
  const built = await runCli(['index'], { env });
  assert.equal(built.code, 0, built.stderr);

  // A file name in GBK, as copied from a Windows share: not valid UTF-8.
  writeFileSync(Buffer.from(join(corpus, '\xb2\xe2\xca\xd4.txt'), 'latin1'), '测试'.repeat(50));
  const doctor = await runCli(['doctor', '--json'], { env });
  assert.equal(doctor.code, 0, doctor.stderr);
  const report = JSON.parse(doctor.stdout) as { corpus: { documents: number; failures: unknown[] } };
  assert.equal(report.corpus.documents, 1);
  assert.equal(report.corpus.failures.length, 1, 'doctor names the file it cannot read');

  let serve = await startServe(env);
  try {
    assert.match(serve.stdout(), /corpus: could not read .*\.txt/);
    assert.match((await ask(serve.url)).text, /60万/);
    const health = (await (await fetch(`${serve.url}/healthz`)).json()) as HealthReport;
    assert.equal(health.corpus.problems.length, 1);
  } finally {
    assert.equal(await serve.stop(), 0);
  }

  rmSync(corpus, { recursive: true, force: true });
  const doctorMissing = await runCli(['doctor'], { env });
  assert.match(doctorMissing.stdout, /Corpus\s+✗ Cannot read corpus directory/);
  serve = await startServe(env);
  try {
    assert.match(serve.stdout(), /corpus: could not read/);
    const answer = await ask(serve.url);
    assert.equal(answer.status, 200);
    assert.match(answer.text, /60万/, 'answers come from the index built before');
    const text = await (await fetch(`${serve.url}/healthz`)).text();
    const health = JSON.parse(text) as HealthReport;
    assert.equal(health.index.loaded, true);
    assert.match(health.corpus.problems[0]?.message ?? '', /Cannot read corpus directory …\/corpus/);
    assert.ok(!text.includes(root), '/healthz names no absolute path');
  } finally {
    assert.equal(await serve.stop(), 0);
  }
});
