/**
 * Index snapshots with the built CLI: a running `policybot serve` loads a snapshot `policybot index` publishes
 * (no restart; the update is incremental); a damaged current snapshot that cannot be rebuilt gives way to the
 * previous one; `doctor --verify` finds same-size damage the size check cannot; an emptied vectors file — which
 * used to start a server that said ok and answered every question with 500 — is refused with one line, or
 * rebuilt when the corpus is there.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { acquireBuildLock } from '../../src/index/build-lock.js';
import { resolveIndexDir } from '../../src/index/snapshots.js';
import type { HealthReport } from '../../src/server/index.js';
import { REPO, runCli } from '../helpers/cli.js';
import { ensureTinyModel } from '../helpers/engine.js';
import { startServe } from '../helpers/serve.js';
import { tempDir } from '../helpers/temp-dir.js';

const FIVE_G = '2021年新建了多少个5G基站？';
const NEW_DOC =
  '# 关于智能充电桩建设的通知\n\n一、目标\n\n2026年，全市新建智能充电桩八千个，覆盖全部街道。\n';
const NEW_QUESTION = '2026年全市新建多少个智能充电桩？';

async function ask(url: string, question: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${url}/api/ask`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ question }),
  });
  return { status: res.status, text: ((await res.json()) as { text: string }).text };
}

const health = async (url: string) => (await (await fetch(`${url}/healthz`)).json()) as HealthReport;

async function setup() {
  const root = await tempDir();
  const corpus = join(root, 'corpus');
  mkdirSync(corpus);
  copyFileSync(join(REPO, 'corpus/miit-2022-work-plans.txt'), join(corpus, 'miit-2022-work-plans.txt'));
  const env = {
    POLICYBOT_CORPUS_DIR: corpus,
    POLICYBOT_INDEX_DIR: join(root, 'embeddings'),
    POLICYBOT_EMBEDDING_MODEL: ensureTinyModel(),
    POLICYBOT_ALLOW_REMOTE_MODELS: 'false',
    POLICYBOT_INDEX_POLL_MS: '100',
  };
  const built = await runCli(['index'], { env });
  assert.equal(built.code, 0, built.stderr);
  return { root, corpus, env, indexDir: join(root, 'embeddings', 'index') };
}

test('a running serve picks up the snapshot `policybot index` publishes, without a restart', async () => {
  const { corpus, env, indexDir } = await setup();
  const serve = await startServe(env);
  try {
    const first = (await health(serve.url)).index.snapshot?.current;
    assert.ok(first);
    assert.match(serve.stdout(), new RegExp(`index snapshot: ${first}`));
    assert.doesNotMatch((await ask(serve.url, NEW_QUESTION)).text, /八千/);

    writeFileSync(join(corpus, 'charging.md'), NEW_DOC);
    const indexed = await runCli(['index'], { env });
    assert.equal(indexed.code, 0, indexed.stderr);
    const published = (await resolveIndexDir(indexDir)).snapshot;
    assert.ok(published && published !== first);
    // Published by an incremental update: only the new document was chunked and embedded.
    const manifest = JSON.parse(readFileSync(join(indexDir, published, 'manifest.json'), 'utf8')) as {
      update?: { mode: string; embeddedChunks: number; reusedChunks: number };
    };
    assert.equal(manifest.update?.mode, 'incremental');
    assert.ok((manifest.update?.embeddedChunks ?? 0) > 0 && (manifest.update?.reusedChunks ?? 0) > 0);
    assert.match(indexed.stdout, /incremental/);
    const deadline = Date.now() + 20_000;
    while ((await health(serve.url)).index.snapshot?.current !== published) {
      assert.ok(Date.now() < deadline, 'the new snapshot was not loaded in time');
      await new Promise((r) => setTimeout(r, 100));
    }
    const answer = await ask(serve.url, NEW_QUESTION);
    assert.equal(answer.status, 200);
    assert.match(answer.text, /八千/);
    assert.match((await ask(serve.url, FIVE_G)).text, /60万/);
    assert.equal((await health(serve.url)).status, 'ok');
  } finally {
    assert.equal(await serve.stop(), 0);
  }
});

test('doctor --verify finds a same-size overwrite; an emptied vectors file is refused in one line or rebuilt', async () => {
  const { root, corpus, env, indexDir } = await setup();
  const ok = await runCli(['doctor', '--verify', '--json'], { env });
  assert.equal(ok.code, 0, ok.stderr);
  const report = JSON.parse(ok.stdout) as { index: { state: string; verified: boolean } };
  assert.equal(report.index.state, 'up to date');
  assert.equal(report.index.verified, true);

  const { dir } = await resolveIndexDir(indexDir);
  const text = join(dir, 'documents.utf16');
  writeFileSync(text, randomBytes(statSync(text).size));
  const quick = await runCli(['doctor'], { env });
  assert.equal(quick.code, 0, 'sizes match: only the checksums can tell');
  const verified = await runCli(['doctor', '--verify'], { env });
  assert.equal(verified.code, 1);
  assert.match(verified.stdout, /✗ documents\.utf16 does not match its checksum/);

  // Rebuild, then empty the vectors file (what the probe found: server up, /healthz ok, every question 500).
  const rebuilt = await runCli(['index', '--force'], { env });
  assert.equal(rebuilt.code, 0, rebuilt.stderr);
  const current = await resolveIndexDir(indexDir);
  truncateSync(join(current.dir, 'vectors.hnsw.f32'), 0);
  // Without the corpus the index cannot be rebuilt, and the snapshot before (kept) has the same-size damage made
  // above, which the fallback's checksums find: serve refuses the current one with one line and does not start.
  renameSync(corpus, `${corpus}.away`);
  const refused = await runCli(['serve', '--port', '0'], { env });
  assert.equal(refused.code, 1);
  // The last line is the message (log lines at warn level come before it).
  const message = refused.stderr.trimEnd().split('\n').at(-1) ?? '';
  assert.match(
    `${message}\n`,
    new RegExp(
      `^policybot: Index snapshot ${current.snapshot} is damaged: vectors\\.hnsw\\.f32 is 0 bytes, the manifest says \\d+; run \`policybot index --force\` to rebuild it\\n$`,
    ),
  );
  assert.ok(!message.includes(root));
  // With the corpus back, serve rebuilds the damaged snapshot and answers.
  renameSync(`${corpus}.away`, corpus);
  const serve = await startServe(env);
  try {
    const answer = await ask(serve.url, FIVE_G);
    assert.equal(answer.status, 200);
    assert.match(answer.text, /60万/);
    const report = await health(serve.url);
    assert.equal(report.status, 'ok');
    assert.notEqual(report.index.snapshot?.current, current.snapshot);
  } finally {
    assert.equal(await serve.stop(), 0);
  }
});

test('a damaged current snapshot that cannot be rebuilt: serve answers from the previous one and says so', async () => {
  const { root, corpus, env, indexDir } = await setup();
  writeFileSync(join(corpus, 'charging.md'), NEW_DOC);
  const indexed = await runCli(['index'], { env });
  assert.equal(indexed.code, 0, indexed.stderr);
  const current = await resolveIndexDir(indexDir);
  const previous = readdirSync(indexDir).filter((n) => /^s-/.test(n) && n !== current.snapshot);
  assert.equal(previous.length, 1, 'the snapshot before is kept');
  truncateSync(join(current.dir, 'vectors.hnsw.f32'), 0);
  renameSync(corpus, `${corpus}.away`);
  const fallback = await startServe(env);
  try {
    const answer = await ask(fallback.url, FIVE_G);
    assert.equal(answer.status, 200);
    assert.match(answer.text, /60万/);
    // The previous snapshot predates the new document.
    assert.doesNotMatch((await ask(fallback.url, NEW_QUESTION)).text, /八千/);
    const report = await health(fallback.url);
    assert.equal(report.status, 'degraded');
    assert.equal(report.index.snapshot?.current, previous[0]);
    assert.equal(report.index.snapshot?.fallbackFrom?.name, current.snapshot);
    assert.match(report.index.snapshot?.fallbackFrom?.reason ?? '', /vectors\.hnsw\.f32 is 0 bytes/);
    assert.ok(
      report.degraded.some((d) => d.includes(`answering from the previous snapshot ${previous[0]}`)),
      report.degraded.join('; '),
    );
    assert.ok(!JSON.stringify(report).includes(root));
    assert.match(fallback.stderr(), /answering from the previous snapshot/);
    // A later good publish is loaded as usual.
    renameSync(`${corpus}.away`, corpus);
    const rebuilt = await runCli(['index'], { env });
    assert.equal(rebuilt.code, 0, rebuilt.stderr);
    const published = (await resolveIndexDir(indexDir)).snapshot;
    const deadline = Date.now() + 20_000;
    while ((await health(fallback.url)).index.snapshot?.current !== published) {
      assert.ok(Date.now() < deadline, 'the rebuilt snapshot was not loaded in time');
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.match((await ask(fallback.url, NEW_QUESTION)).text, /八千/);
    assert.equal((await health(fallback.url)).index.snapshot?.fallbackFrom, null);
  } finally {
    assert.equal(await fallback.stop(), 0);
  }
});

test('a second `policybot index` while one runs stops with one coded line', async () => {
  const { env, indexDir } = await setup();
  // A build holding the lock: this process (alive, on this machine).
  const lock = await acquireBuildLock(indexDir);
  try {
    const second = await runCli(['index', '--force'], { env });
    assert.equal(second.code, 1);
    const message = second.stderr.trimEnd().split('\n').at(-1) ?? '';
    assert.match(
      message,
      new RegExp(
        `^policybot: Another \`policybot index\` is building .*\\(pid ${process.pid} on [^,]+, since [^)]+\\); wait for it to finish`,
      ),
    );
  } finally {
    await lock.release();
  }
  const after = await runCli(['index', '--force'], { env });
  assert.equal(after.code, 0, after.stderr);
});
