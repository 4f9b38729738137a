import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { HashEmbedder } from '../../bench/lib/HashEmbedder.js';
import { type BuildIndexOptions, ensureIndex } from '../../src/index/build-index.js';
import { type LoadedIndex, loadIndex } from '../../src/index/load-index.js';
import { resolveIndexDir } from '../../src/index/snapshots.js';
import { analyzeQuery } from '../../src/keyword/translate.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { tempDir } from '../helpers/temp-dir.js';

/**
 * Adding, changing and removing one document updates the index incrementally (only that document is chunked and
 * embedded) and gives the same index as a full rebuild of the same corpus: the same chunks in the same order, the
 * same vectors by ordinal, an identical keyword top 10 (ordinals and BM25 scores) and the changed document's
 * chunks found by their own vectors.
 */

const DOCS = new URL('../../eval/corpus-dev/docs/', import.meta.url);
const logger = createSilentLogger();
const FILES = [
  'guobanfa-1996-02-dizhen-zhongdian-fangyu.html',
  'guofa-2019-03-zonghe-baoshuiqu.html',
  'report-2026-henan.txt',
  'report-2026-sichuan.txt',
  'report-2026-zhejiang.txt',
];
const ADDED = 'guoling-706-zhuanli-daili-tiaoli.html';

async function setup() {
  const root = await tempDir();
  const corpusDir = join(root, 'corpus');
  await mkdir(corpusDir);
  for (const name of FILES) await copyFile(new URL(name, DOCS), join(corpusDir, name));
  const embedder = new HashEmbedder(64);
  const options = (indexDir: string): BuildIndexOptions => ({
    corpusDir,
    indexDir,
    chunking: { size: 300, overlap: 60 },
    embedder,
    embedderReason: null,
    logger,
  });
  return { root, corpusDir, options };
}

/** Queries made of pieces of the index's own chunks, plus a few ordinary questions. */
function queries(index: LoadedIndex): string[] {
  const out = ['地震重点监视防御区', '综合保税区的功能', '专利代理机构', '粮食安全', '河南 经济 增长'];
  for (let i = 0; i < index.chunks.length; i += Math.ceil(index.chunks.length / 25)) {
    const text = index.chunks[i]?.text ?? '';
    out.push(text.slice(10, 22));
  }
  return out;
}

async function assertSameAsFullRebuild(
  incremental: LoadedIndex,
  full: LoadedIndex,
  changedDoc: string | null,
): Promise<void> {
  assert.deepEqual(
    incremental.chunks.map((c) => [c.id, c.docId, c.text, c.section]),
    full.chunks.map((c) => [c.id, c.docId, c.text, c.section]),
  );
  assert.deepEqual(
    incremental.documents.map((d) => d.id),
    full.documents.map((d) => d.id),
  );
  assert.deepEqual(incremental.figures, full.figures);
  for (const q of queries(full)) {
    const analysis = analyzeQuery(q);
    const a = incremental.keyword.search(analysis, 10);
    const b = full.keyword.search(analysis, 10);
    assert.ok(b.length > 0, `query ${q} finds something`);
    assert.deepEqual(
      a.map((h) => [h.ordinal, h.score]),
      b.map((h) => [h.ordinal, h.score]),
      `keyword top 10 of ${q}`,
    );
  }
  const iv = incremental.vectors;
  const fv = full.vectors;
  assert.ok(iv && fv);
  assert.equal(iv.count, fv.count);
  for (let label = 0; label < fv.count; label++) {
    assert.deepEqual(iv.vector(label), fv.vector(label), `vector ${label}`);
  }
  if (changedDoc) {
    const own = incremental.chunks.filter((c) => c.docId === changedDoc);
    assert.ok(own.length > 0);
    for (const chunk of own) {
      const [top] = iv.search(iv.vector(chunk.ordinal), 1);
      assert.equal(top?.label, chunk.ordinal, `dense: chunk ${chunk.id} finds itself`);
    }
  }
}

async function compare(root: string, options: (dir: string) => BuildIndexOptions, label: string) {
  const fullDir = join(root, `full-${label}`);
  await ensureIndex({ ...options(fullDir), force: true });
  const [incremental, full] = await Promise.all([loadIndex(join(root, 'index')), loadIndex(fullDir)]);
  return { incremental, full };
}

function close(...indexes: LoadedIndex[]): void {
  for (const index of indexes) {
    index.keyword.close();
    index.vectors?.close();
  }
}

test('add, change, remove one document: incremental updates equal a full rebuild', async () => {
  const { root, corpusDir, options } = await setup();
  const indexDir = join(root, 'index');
  const first = await ensureIndex(options(indexDir));
  assert.equal(first.manifest.update?.mode, 'full');

  // Added.
  await copyFile(new URL(ADDED, DOCS), join(corpusDir, ADDED));
  const added = await ensureIndex(options(indexDir));
  assert.equal(added.rebuilt, true);
  assert.equal(added.manifest.update?.mode, 'incremental');
  assert.deepEqual(added.changes?.added, ['guoling-706-zhuanli-daili-tiaoli']);
  let { incremental, full } = await compare(root, options, 'added');
  const addedChunks = full.chunks.filter((c) => c.docId === 'guoling-706-zhuanli-daili-tiaoli').length;
  assert.equal(added.manifest.update?.embeddedChunks, addedChunks);
  assert.equal(added.manifest.update?.reusedChunks, full.chunks.length - addedChunks);
  await assertSameAsFullRebuild(incremental, full, 'guoling-706-zhuanli-daili-tiaoli');
  close(incremental, full);

  // Changed: one paragraph more in the middle of a document.
  const path = join(corpusDir, 'report-2026-henan.txt');
  const text = await readFile(path, 'utf8');
  const middle = text.indexOf('\n', Math.floor(text.length / 2));
  await writeFile(
    path,
    `${text.slice(0, middle)}\n全省新建豫南茶旅融合示范带十二条。\n${text.slice(middle)}`,
  );
  const changed = await ensureIndex(options(indexDir));
  assert.equal(changed.manifest.update?.mode, 'incremental');
  assert.deepEqual(changed.changes?.changed, ['report-2026-henan']);
  assert.ok((changed.manifest.update?.tombstones ?? 0) > 0, 'the replaced vectors are tombstones');
  ({ incremental, full } = await compare(root, options, 'changed'));
  await assertSameAsFullRebuild(incremental, full, 'report-2026-henan');
  const hits = incremental.keyword.search(analyzeQuery('茶旅融合示范带'), 3);
  assert.equal(incremental.chunks[hits[0]?.ordinal ?? -1]?.docId, 'report-2026-henan');
  close(incremental, full);

  // Removed.
  await rm(join(corpusDir, 'guobanfa-1996-02-dizhen-zhongdian-fangyu.html'));
  const removed = await ensureIndex(options(indexDir));
  assert.deepEqual(removed.changes?.removed, ['guobanfa-1996-02-dizhen-zhongdian-fangyu']);
  assert.equal(removed.manifest.update?.embeddedChunks, 0);
  ({ incremental, full } = await compare(root, options, 'removed'));
  assert.ok(!incremental.chunks.some((c) => c.docId === 'guobanfa-1996-02-dizhen-zhongdian-fangyu'));
  await assertSameAsFullRebuild(incremental, full, null);
  close(incremental, full);
});

test('tombstones past a fifth of the graph: the vectors are compacted without re-embedding', async () => {
  const { root, corpusDir, options } = await setup();
  const indexDir = join(root, 'index');
  await ensureIndex(options(indexDir));
  // The largest document holds more than a fifth of the chunks.
  await rm(join(corpusDir, 'report-2026-sichuan.txt'));
  const result = await ensureIndex(options(indexDir));
  assert.equal(result.manifest.update?.mode, 'compacted');
  assert.equal(result.manifest.update?.embeddedChunks, 0);
  assert.equal(result.manifest.update?.tombstones, 0);
  const { incremental, full } = await compare(root, options, 'compacted');
  await assertSameAsFullRebuild(incremental, full, null);
  close(incremental, full);
});

test('--force rebuilds everything', async () => {
  const { root, options } = await setup();
  const indexDir = join(root, 'index');
  await ensureIndex(options(indexDir));
  const forced = await ensureIndex({ ...options(indexDir), force: true });
  assert.equal(forced.manifest.update?.mode, 'full');
  assert.equal(forced.manifest.update?.embeddedChunks, forced.manifest.counts.chunks);
});

test('keyword-only indexes are updated incrementally too', async () => {
  const { root, corpusDir, options } = await setup();
  const keywordOnly = (dir: string): BuildIndexOptions => ({
    ...options(dir),
    embedder: null,
    embedderReason: 'test',
  });
  const indexDir = join(root, 'index');
  await ensureIndex(keywordOnly(indexDir));
  await copyFile(new URL(ADDED, DOCS), join(corpusDir, ADDED));
  const added = await ensureIndex(keywordOnly(indexDir));
  assert.equal(added.manifest.update?.mode, 'incremental');
  assert.equal(added.manifest.embedder.mode, 'keyword-only');
  const fullDir = join(root, 'full');
  await ensureIndex({ ...keywordOnly(fullDir), force: true });
  const [incremental, full] = await Promise.all([loadIndex(indexDir), loadIndex(fullDir)]);
  assert.equal(incremental.vectors, null);
  assert.deepEqual(
    incremental.chunks.map((c) => c.text),
    full.chunks.map((c) => c.text),
  );
  for (const q of queries(full)) {
    const analysis = analyzeQuery(q);
    assert.deepEqual(
      incremental.keyword.search(analysis, 10).map((h) => [h.ordinal, h.score]),
      full.keyword.search(analysis, 10).map((h) => [h.ordinal, h.score]),
    );
  }
  close(incremental, full);
  // A model now available: a full build with vectors, not an update.
  const dense = await ensureIndex(options(indexDir));
  assert.equal(dense.manifest.update?.mode, 'full');
  assert.equal(dense.manifest.embedder.mode, 'dense');
});

test('a previous snapshot whose stored chunks cannot be read: a full rebuild, every file decoded again', async () => {
  const { root, corpusDir, options } = await setup();
  const indexDir = join(root, 'index');
  await ensureIndex(options(indexDir));
  // Same size (the load-time size check passes), unreadable content.
  const { dir } = await resolveIndexDir(indexDir);
  const chunksFile = join(dir, 'chunks.json');
  await writeFile(chunksFile, ' '.repeat((await stat(chunksFile)).size));
  await copyFile(new URL(ADDED, DOCS), join(corpusDir, ADDED));
  const rebuilt = await ensureIndex(options(indexDir));
  assert.equal(rebuilt.manifest.update?.mode, 'full');
  assert.equal(rebuilt.manifest.update?.embeddedChunks, rebuilt.manifest.counts.chunks);
  const { incremental, full } = await compare(root, options, 'unreadable');
  await assertSameAsFullRebuild(incremental, full, null);
  close(incremental, full);
});
