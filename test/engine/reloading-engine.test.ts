/**
 * Hot reload: the engine `serve` runs switches to a newly published index snapshot without a restart, a request
 * that started on the old snapshot finishes on it, and a damaged snapshot is refused (the loaded one answers).
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/index.js';
import { indexDirFor, loaderOptions } from '../../src/engine/createEngine.js';
import { createReloadingEngine, type ReloadingEngine } from '../../src/engine/reloading-engine.js';
import { ensureIndex } from '../../src/index/build-index.js';
import { resolveIndexDir } from '../../src/index/snapshots.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import type { HealthReport } from '../../src/server/index.js';
import type { AnswerEvent } from '../../src/types.js';
import { tempDir } from '../helpers/temp-dir.js';
import { postJson, startTestServer, type TestServer } from '../server/test-server.js';

const SEED = new URL('../../corpus/miit-2022-work-plans.txt', import.meta.url);
const NEW_DOC =
  '# 关于智能充电桩建设的通知\n\n一、目标\n\n2026年，全市新建智能充电桩八千个，覆盖全部街道。\n';
const NEW_QUESTION = '2026年全市新建多少个智能充电桩？';
const logger = createSilentLogger();
// Made here, not in `before`: a temporary folder made in a hook is removed when the first test ends.
const root = await tempDir();

describe('a reloading engine over published snapshots', () => {
  const ctx = {} as {
    engine: ReloadingEngine;
    server: TestServer;
    corpusDir: string;
    rebuild: (force?: boolean) => Promise<unknown>;
  };
  before(async () => {
    ctx.corpusDir = join(root, 'corpus');
    await mkdir(ctx.corpusDir);
    await copyFile(SEED, join(ctx.corpusDir, 'seed.txt'));
    const config = loadConfig(
      {},
      { POLICYBOT_CORPUS_DIR: ctx.corpusDir, POLICYBOT_INDEX_DIR: join(root, 'emb') },
    );
    ctx.engine = await createReloadingEngine({
      config,
      logger,
      pollMs: 0,
      embedderLoad: { embedder: null, warning: 'test: keyword-only' },
    });
    // What `policybot index` does in another process.
    ctx.rebuild = (force = false) =>
      ensureIndex({
        corpusDir: ctx.corpusDir,
        indexDir: indexDirFor(config),
        chunking: config.chunking,
        embedder: null,
        embedderReason: 'test',
        logger,
        loader: loaderOptions(config),
        force,
      });
    ctx.server = await startTestServer({ engine: ctx.engine });
  });
  after(async () => {
    await ctx.server.close();
    await ctx.engine.close();
  });

  it('switches to a new snapshot while a stream started on the old one finishes on it', async () => {
    const before = ctx.engine.status().snapshot?.current;
    assert.ok(before);
    assert.equal(await ctx.engine.reload(), false, 'nothing new published');
    const oldIndex = ctx.engine.index;
    const stream = ctx.engine
      .answerStream({ text: '5G基站建设目标是什么？', requestId: 'old' })
      [Symbol.asyncIterator]();
    const first = await stream.next();
    assert.equal(first.done, false, 'the stream is under way on the old snapshot');

    await writeFile(join(ctx.corpusDir, 'charging.md'), NEW_DOC);
    await ctx.rebuild();
    assert.equal(await ctx.engine.reload(), true);
    const after = ctx.engine.status().snapshot?.current;
    assert.ok(after && after !== before);
    assert.equal(ctx.engine.documents().length, 2);

    // The old snapshot's files are still open for the request that holds them, and closed after it.
    assert.ok(oldIndex.keyword.stats().terms > 0);
    const rest: AnswerEvent[] = [];
    for (let e = await stream.next(); !e.done; e = await stream.next()) rest.push(e.value);
    await new Promise((r) => setImmediate(r));
    assert.throws(() => oldIndex.keyword.stats(), /not open/);
    const final = [first.value, ...rest].find((e) => e.type === 'final');
    assert.ok(final && final.type === 'final');
    assert.ok(final.answer.citations.every((c) => oldIndex.chunks.some((k) => k.id === c.passageId)));
    assert.equal(final.answer.refused, false);

    const res = await postJson(ctx.server.url, '/api/ask', { question: NEW_QUESTION });
    assert.equal(res.status, 200);
    const answer = (await res.json()) as { text: string; citations: { doc: string }[] };
    assert.match(answer.text, /八千/);
    const health = (await (await fetch(`${ctx.server.url}/healthz`)).json()) as HealthReport;
    assert.equal(health.index.snapshot?.current, after);
    assert.equal(health.status, 'degraded', 'keyword-only in this test');
    assert.ok(!health.degraded.some((d) => /snapshot|index cannot/.test(d)));
  });

  it('refuses a damaged snapshot with one line and keeps answering from the one it has', async () => {
    const loaded = ctx.engine.status().snapshot?.current;
    await ctx.rebuild(true);
    const published = await resolveIndexDir(indexDirOf(ctx.engine));
    assert.notEqual(published.snapshot, loaded);
    await truncate(join(published.dir, 'documents.utf16'), 10);
    assert.equal(await ctx.engine.reload(), false);
    const status = ctx.engine.status().snapshot;
    assert.equal(status?.current, loaded);
    assert.equal(status?.refused?.name, published.snapshot);
    assert.match(
      status?.refused?.reason ?? '',
      /^Index snapshot s-\S+ is damaged: documents\.utf16 is 10 bytes/,
    );
    assert.doesNotMatch(status?.refused?.reason ?? '', /\n/);

    const health = (await (await fetch(`${ctx.server.url}/healthz`)).json()) as HealthReport;
    assert.ok(health.degraded.some((d) => d.includes(`snapshot ${published.snapshot} refused`)));
    assert.doesNotMatch(JSON.stringify(health), /\/tmp\/|\/home\/|\/work\//, 'no absolute path');
    const res = await postJson(ctx.server.url, '/api/ask', { question: NEW_QUESTION });
    assert.equal(res.status, 200);
    assert.match(((await res.json()) as { text: string }).text, /八千/);
    assert.equal(await ctx.engine.reload(), false, 'a refused snapshot is not retried at every look');
  });

  it('/healthz says degraded while the index cannot answer, and ok again once it does', async () => {
    const retriever = ctx.engine.retriever;
    const original = retriever.retrieve.bind(retriever);
    retriever.retrieve = async () => {
      throw new Error('pread failed: EIO');
    };
    try {
      const res = await postJson(ctx.server.url, '/api/ask', { question: NEW_QUESTION });
      assert.equal(res.status, 500);
      const health = (await (await fetch(`${ctx.server.url}/healthz`)).json()) as HealthReport;
      assert.match(health.index.problem ?? '', /retrieval failed/);
      assert.ok(health.degraded.some((d) => d.startsWith('index cannot answer')));
    } finally {
      retriever.retrieve = original;
    }
    const res = await postJson(ctx.server.url, '/api/ask', { question: NEW_QUESTION });
    assert.equal(res.status, 200);
    const health = (await (await fetch(`${ctx.server.url}/healthz`)).json()) as HealthReport;
    assert.equal(health.index.problem, null);
  });
});

function indexDirOf(engine: ReloadingEngine): string {
  return join(engine.index.dir, '..');
}
