import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { ErrorCode, IndexError } from '../../src/errors/index.js';
import { ensureIndex } from '../../src/index/build-index.js';
import { loadIndex } from '../../src/index/load-index.js';
import { resolveIndexDir } from '../../src/index/snapshots.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { seedBuild } from '../helpers/seed-build.js';

const logger = createSilentLogger();

const setup = () => seedBuild();

test('round trip: built chunks come back verbatim with their structure', async () => {
  const { indexDir, options } = await setup();
  const result = await ensureIndex(options);
  assert.equal(result.rebuilt, true);
  assert.equal(result.manifest.embedder.mode, 'keyword-only');
  const index = await loadIndex(indexDir);
  assert.equal(index.chunks.length, result.manifest.counts.chunks);
  const doc = index.documents[0];
  assert.ok(doc);
  for (const chunk of index.chunks) {
    assert.equal(chunk.text, doc.cleanedText.slice(chunk.start, chunk.end));
    assert.equal(
      chunk.id,
      `${chunk.docId}#${index.chunks.filter((c) => c.docId === chunk.docId).indexOf(chunk)}`,
    );
  }
  assert.deepEqual(
    [...new Set(index.chunks.map((c) => c.issuer).filter(Boolean))],
    ['科技司', '电子信息司', '信息通信发展司', '中小企业局'],
  );
  index.keyword.close();
});

test('unchanged corpus and settings: a no-op; a changed file or setting: a rebuild', async () => {
  const { corpusDir, options } = await setup();
  const first = await ensureIndex(options);
  const again = await ensureIndex(options);
  assert.equal(again.rebuilt, false);
  assert.equal(again.manifest.fingerprint, first.manifest.fingerprint);
  const resized = await ensureIndex({ ...options, chunking: { size: 200, overlap: 40 } });
  assert.equal(resized.rebuilt, true);
  await writeFile(join(corpusDir, 'extra.md'), '# 新文件\n\n这是一个新的政策文件，用于测试重建。\n');
  const changed = await ensureIndex({ ...options, chunking: { size: 200, overlap: 40 } });
  assert.equal(changed.rebuilt, true);
  assert.equal(changed.manifest.counts.documents, 2);
  const forced = await ensureIndex({ ...options, chunking: { size: 200, overlap: 40 }, force: true });
  assert.equal(forced.rebuilt, true);
});

test('a failed rebuild leaves the previous index intact and no temp dirs behind', async () => {
  const { root, corpusDir, indexDir, options } = await setup();
  await ensureIndex(options);
  const current = (await resolveIndexDir(indexDir)).dir;
  const before = await readFile(join(current, 'manifest.json'), 'utf8');
  const failing = {
    modelId: 'broken',
    dimension: 8,
    isTestModel: true,
    embedQueries: async () => [],
    embedPassages: async () => {
      throw new Error('embedding crashed');
    },
    dispose: async () => {},
  };
  await writeFile(join(corpusDir, 'extra.txt'), '新增一段政策文字。');
  await assert.rejects(ensureIndex({ ...options, embedder: failing }), /embedding crashed/);
  assert.equal((await resolveIndexDir(indexDir)).dir, current);
  assert.equal(await readFile(join(current, 'manifest.json'), 'utf8'), before);
  assert.deepEqual(await readdir(join(root, 'embeddings')), ['index']);
  assert.deepEqual(
    (await readdir(indexDir)).filter((n) => n.includes('tmp')),
    [],
    'no temporary snapshot folder left',
  );
});

test('a corrupt or missing index fails with a message naming the fix', async () => {
  const { indexDir, options } = await setup();
  await assert.rejects(
    loadIndex(indexDir),
    (e: unknown) =>
      e instanceof IndexError && e.code === ErrorCode.IndexMissing && /policybot index/.test(e.message),
  );
  await ensureIndex(options);
  const current = (await resolveIndexDir(indexDir)).dir;
  await writeFile(join(current, 'chunks.json'), '[{"trunc');
  await assert.rejects(
    loadIndex(indexDir),
    (e: unknown) =>
      e instanceof IndexError &&
      e.code === ErrorCode.IndexCorrupt &&
      /policybot index --force/.test(e.message),
  );
  await writeFile(join(current, 'manifest.json'), '{"pipelineVersion": 1}');
  await assert.rejects(
    loadIndex(indexDir),
    (e: unknown) => e instanceof IndexError && e.code === ErrorCode.IndexCorrupt,
  );
  const rebuilt = await ensureIndex(options);
  assert.equal(rebuilt.rebuilt, true, 'a corrupt manifest triggers a rebuild');
  (await loadIndex(indexDir)).keyword.close();
});

test('a keyword-only index gains dense vectors once the model is there, and keeps them while it is gone', async () => {
  const { loadEmbedder } = await import('../../src/embeddings/load-embedder.js');
  const { ensureTinyModel } = await import('../helpers/engine.js');
  const { indexDir, options } = await setup();
  const keywordOnly = await ensureIndex(options);
  assert.equal(keywordOnly.manifest.embedder.mode, 'keyword-only');
  const load = await loadEmbedder(
    {
      model: ensureTinyModel(),
      modelsDir: join(indexDir, '..', 'models'),
      allowRemote: false,
      required: false,
    },
    logger,
  );
  assert.ok(load.embedder);
  const dense = await ensureIndex({ ...options, embedder: load.embedder });
  assert.equal(dense.rebuilt, true);
  assert.equal(dense.reason, 'embedding model now available');
  assert.equal(dense.manifest.embedder.mode, 'dense');
  assert.equal(dense.manifest.embedder.isTestModel, true);
  // The model disappears again: the dense index is kept rather than rebuilt keyword-only.
  const without = await ensureIndex(options);
  assert.equal(without.rebuilt, false);
  assert.equal(without.manifest.embedder.mode, 'dense');
  const index = await loadIndex(indexDir);
  assert.ok(index.vectors);
  index.keyword.close();
  await load.embedder.dispose();
});
