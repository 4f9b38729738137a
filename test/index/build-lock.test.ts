import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { ErrorCode, IndexError } from '../../src/errors/index.js';
import { ensureIndex } from '../../src/index/build-index.js';
import { acquireBuildLock, buildLockPath } from '../../src/index/build-lock.js';
import { builderTag } from '../../src/index/snapshots.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { seedBuild } from '../helpers/seed-build.js';

const _logger = createSilentLogger();

const setup = () => seedBuild();

function isLocked(error: unknown): boolean {
  return error instanceof IndexError && error.code === ErrorCode.IndexLocked;
}

test('two builds of one index folder at once: one builds, the other fails with IndexLocked', async () => {
  const { indexDir, options } = await setup();
  const results = await Promise.allSettled([ensureIndex(options), ensureIndex(options)]);
  const fulfilled = results.filter((r) => r.status === 'fulfilled');
  const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  assert.equal(fulfilled.length, 1);
  assert.equal(rejected.length, 1);
  assert.ok(isLocked(rejected[0]?.reason), String(rejected[0]?.reason));
  const message = String((rejected[0]?.reason as Error | undefined)?.message);
  assert.doesNotMatch(message, /\n/, 'one line');
  assert.match(message, new RegExp(`pid ${process.pid}`));
  // Released afterwards: the next build runs.
  await assert.rejects(stat(buildLockPath(indexDir)), { code: 'ENOENT' });
  const again = await ensureIndex({ ...options, force: true });
  assert.equal(again.rebuilt, true);
});

test('a held lock refuses; a lock of a dead process on this machine is taken over', async () => {
  const { indexDir, options } = await setup();
  const held = await acquireBuildLock(indexDir);
  await assert.rejects(ensureIndex(options), isLocked);
  await held.release();

  // A pid that existed and is gone.
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  const deadPid = Number(child.stdout.toString());
  const host = builderTag().split('@')[1];
  await mkdir(join(indexDir, '..'), { recursive: true });
  await writeFile(
    buildLockPath(indexDir),
    JSON.stringify({ pid: deadPid, host, startedAt: new Date().toISOString() }),
  );
  const built = await ensureIndex(options);
  assert.equal(built.rebuilt, true);
  await assert.rejects(stat(buildLockPath(indexDir)), { code: 'ENOENT' });
});

test('another machine’s lock is respected while fresh and taken over once old', async () => {
  const { indexDir, options } = await setup();
  await mkdir(join(indexDir, '..'), { recursive: true });
  const file = buildLockPath(indexDir);
  const lock = JSON.stringify({ pid: 1, host: 'other-machine', startedAt: '2026-01-01T00:00:00.000Z' });
  await writeFile(file, lock);
  await assert.rejects(ensureIndex(options), (error: unknown) => {
    return isLocked(error) && /pid 1 on other-machine/.test((error as Error).message);
  });
  assert.equal(await readFile(file, 'utf8'), lock, 'a refused build leaves the holder’s lock alone');
  const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
  await utimes(file, old, old);
  const built = await ensureIndex(options);
  assert.equal(built.rebuilt, true);
});
