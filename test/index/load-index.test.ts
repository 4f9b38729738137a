import assert from 'node:assert/strict';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { ErrorCode, IndexError } from '../../src/errors/index.js';
import { ensureIndex } from '../../src/index/build-index.js';
import { loadIndex } from '../../src/index/load-index.js';
import { resolveIndexDir } from '../../src/index/snapshots.js';
import { seedBuild } from '../helpers/seed-build.js';

/** Two snapshots: the first of the seed alone, the current one with a second document. */
async function twoSnapshots() {
  const { corpusDir, indexDir, options } = await seedBuild(['index']);
  const first = await ensureIndex(options);
  await writeFile(join(corpusDir, 'extra.md'), '# 新文件\n\n这是一个新的政策文件，用于测试回退。\n');
  await ensureIndex(options);
  const current = await resolveIndexDir(indexDir);
  const names = (await readdir(indexDir)).filter((n) => n.startsWith('s-')).sort();
  assert.equal(names.length, 2);
  return { indexDir, current, previous: names[0] as string, firstChunks: first.manifest.counts.chunks };
}

const corrupt = (error: unknown) => error instanceof IndexError && error.code === ErrorCode.IndexCorrupt;

test('fallback: a damaged current snapshot gives way to the previous one, with the reason', async () => {
  const { indexDir, current, previous, firstChunks } = await twoSnapshots();
  const file = join(current.dir, 'keyword.sqlite');
  await writeFile(file, Buffer.alloc(10));
  await assert.rejects(loadIndex(indexDir), corrupt);
  const index = await loadIndex(indexDir, { fallback: true });
  assert.equal(index.snapshot, previous);
  assert.equal(index.chunks.length, firstChunks);
  assert.equal(index.fallbackFrom?.name, current.snapshot);
  assert.match(index.fallbackFrom?.reason ?? '', /keyword\.sqlite is 10 bytes/);
  index.keyword.close();
});

test('fallback: an unreadable current manifest too; a previous one with same-size damage is not used', async () => {
  const { indexDir, current, previous } = await twoSnapshots();
  await writeFile(join(current.dir, 'manifest.json'), '{');
  const index = await loadIndex(indexDir, { fallback: true });
  assert.equal(index.snapshot, previous);
  index.keyword.close();
  // Same size, other bytes: only the checksums the fallback compares can tell.
  const text = join(indexDir, previous, 'documents.utf16');
  await writeFile(text, Buffer.alloc((await stat(text)).size, 0x41));
  await assert.rejects(loadIndex(indexDir, { fallback: true }), corrupt);
});

test('figures are read on first use, as stored when the index was opened, even if the file is gone since', async () => {
  const { options, indexDir } = await seedBuild(['index']);
  await ensureIndex(options);
  const { dir } = await resolveIndexDir(indexDir);
  const stored = (JSON.parse(await readFile(join(dir, 'figures.json'), 'utf8')) as { figures: unknown[] })
    .figures;
  assert.ok(stored.length > 0);
  const index = await loadIndex(indexDir);
  // A newer publish prunes this snapshot: the file opened at load still reads.
  await rm(join(dir, 'figures.json'));
  assert.deepEqual(index.figures, stored);
  index.keyword.close();
});
