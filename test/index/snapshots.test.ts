import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { ensureIndex } from '../../src/index/build-index.js';
import { loadIndex, openManifest } from '../../src/index/load-index.js';
import {
  cleanStaleBuilds,
  POINTER_FILE,
  readSnapshotPointer,
  resolveIndexDir,
} from '../../src/index/snapshots.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { seedBuild } from '../helpers/seed-build.js';

const _logger = createSilentLogger();

const setup = () => seedBuild();

const snapshotsIn = async (indexDir: string) =>
  (await readdir(indexDir)).filter((n) => n.startsWith('s-')).sort();

test('each build publishes a new snapshot named by the pointer; the previous one is kept, older ones removed', async () => {
  const { indexDir, options } = await setup();
  await ensureIndex(options);
  const first = await readSnapshotPointer(indexDir);
  assert.ok(first);
  assert.deepEqual(await snapshotsIn(indexDir), [first]);
  assert.deepEqual((await readdir(join(indexDir, first))).includes('manifest.json'), true);

  await ensureIndex({ ...options, force: true });
  const second = await readSnapshotPointer(indexDir);
  assert.ok(second && second !== first);
  assert.deepEqual(await snapshotsIn(indexDir), [first, second].sort(), 'the previous snapshot is kept');

  await ensureIndex({ ...options, force: true });
  const third = await readSnapshotPointer(indexDir);
  assert.deepEqual(await snapshotsIn(indexDir), [second, third].sort(), 'the one before it is removed');
  const loaded = await loadIndex(indexDir);
  assert.equal(loaded.snapshot, third);
  assert.equal(loaded.dir, join(indexDir, third ?? ''));
  loaded.keyword.close();
});

test('a build removes what interrupted builds left: temp snapshot folders, old index.tmp-* siblings', async () => {
  const { root, indexDir, options } = await setup();
  await ensureIndex(options);
  // A killed `index --force` of this version (pid that no longer runs) and of the earlier layout.
  const deadPid = `${2 ** 22 + 12345}@${hostname().replace(/[^A-Za-z0-9.-]/g, '_')}`;
  await mkdir(join(indexDir, `tmp-${deadPid}-s-0000000000001-dead`));
  await writeFile(join(indexDir, `tmp-${deadPid}-s-0000000000001-dead`, 'chunks.json'), '[]');
  await writeFile(join(indexDir, `${POINTER_FILE}.tmp-${deadPid}-s-0000000000001-dead`), 'x');
  await mkdir(join(root, 'embeddings', `index.tmp-${deadPid}-1700000000000`));
  await mkdir(join(root, 'embeddings', `index.old-${deadPid}-1700000000000`));
  // A build of a live process (this one) is left alone.
  const live = join(
    indexDir,
    `tmp-${process.pid}@${hostname().replace(/[^A-Za-z0-9.-]/g, '_')}-s-0000000000002-beef`,
  );
  await mkdir(live);
  // Another machine's build sharing the folder: its pid means nothing here, it is kept for a day.
  const elsewhere = join(indexDir, `tmp-${2 ** 22 + 12345}@other-host-s-0000000000003-cafe`);
  await mkdir(elsewhere);

  const again = await ensureIndex(options);
  assert.equal(again.rebuilt, false);
  assert.deepEqual(await readdir(join(root, 'embeddings')), ['index']);
  const left = (await readdir(indexDir)).filter((n) => n.includes('tmp'));
  assert.deepEqual(left.sort(), [basename(live), basename(elsewhere)].sort());
  await rm(live, { recursive: true });
  await rm(elsewhere, { recursive: true });
  assert.deepEqual(await cleanStaleBuilds(indexDir), []);
});

test('a reader during publishes always finds a manifest (no window without one)', async () => {
  const { indexDir, options } = await setup();
  await ensureIndex(options);
  let reading = true;
  let reads = 0;
  const misses: string[] = [];
  const reader = (async () => {
    while (reading) {
      try {
        await openManifest(indexDir);
        reads++;
      } catch (error) {
        misses.push(String(error));
      }
      await new Promise((r) => setImmediate(r));
    }
  })();
  for (let i = 0; i < 6; i++) await ensureIndex({ ...options, force: true });
  reading = false;
  await reader;
  assert.ok(reads > 20, `the reader ran (${reads} reads)`);
  assert.deepEqual(misses, []);
});

test('the older single-folder layout is read, and the next build turns it into a snapshot without rebuilding', async () => {
  const { indexDir, options } = await setup();
  const built = await ensureIndex(options);
  // Lay the snapshot's files out as earlier versions did: directly in the index folder, no pointer, no records.
  const { dir } = await resolveIndexDir(indexDir);
  for (const name of await readdir(dir)) await rename(join(dir, name), join(indexDir, name));
  await rm(dir, { recursive: true });
  await rm(join(indexDir, POINTER_FILE));
  const manifestFile = join(indexDir, 'manifest.json');
  const { files: _files, ...legacyManifest } = JSON.parse(await readFile(manifestFile, 'utf8'));
  await writeFile(manifestFile, JSON.stringify(legacyManifest));

  const legacy = await loadIndex(indexDir);
  assert.equal(legacy.snapshot, null);
  assert.equal(legacy.chunks.length, built.manifest.counts.chunks);
  legacy.keyword.close();

  const adopted = await ensureIndex(options);
  assert.equal(adopted.rebuilt, false);
  assert.match(adopted.reason, /snapshot/);
  assert.ok(adopted.manifest.files && adopted.manifest.files.length >= 4);
  const snapshot = await readSnapshotPointer(indexDir);
  assert.ok(snapshot);
  assert.deepEqual((await readdir(indexDir)).sort(), [POINTER_FILE, snapshot].sort(), 'old files removed');
  const loaded = await loadIndex(indexDir);
  assert.equal(loaded.snapshot, snapshot);
  assert.equal(loaded.chunks.length, built.manifest.counts.chunks);
  loaded.keyword.close();
  assert.ok((await stat(join(indexDir, snapshot, 'keyword.sqlite'))).size > 0);
});
