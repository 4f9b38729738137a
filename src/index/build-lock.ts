import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ErrorCode, IndexError } from '../errors/index.js';
import type { Logger } from '../logging/logger.js';
import { builderTag, isAlive } from './snapshots.js';

/**
 * One `policybot index` at a time per index folder. The lock is a file beside the folder (`index.lock` next to
 * `index/`, so it is never taken for an index file), created with O_EXCL and holding who builds:
 * `{"pid":…,"host":…,"startedAt":…}`. A second build fails at once with IndexLocked (one line naming the holder)
 * instead of racing the first to publish.
 *
 * A lock is stale, and taken over, when its process is gone (same machine: `kill(pid, 0)`), or when it is older
 * than `staleMs` and was taken on another machine sharing the folder (its pid means nothing here); the holder
 * touches the file every `staleMs / 4` while it builds. Taking over renames the stale file away and checks it is the
 * one judged stale, so two builders finding the same stale lock do not both go on.
 */
export const DEFAULT_STALE_MS = 30 * 60 * 1000;

interface Holder {
  pid: number;
  host: string;
  startedAt: string;
}

export interface BuildLock {
  readonly file: string;
  release(): Promise<void>;
}

/** Where the lock of `indexDir` lives. */
export function buildLockPath(indexDir: string): string {
  return join(dirname(indexDir), `${basename(indexDir)}.lock`);
}

export async function acquireBuildLock(
  indexDir: string,
  options: { logger?: Logger; staleMs?: number } = {},
): Promise<BuildLock> {
  const file = buildLockPath(indexDir);
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const [pid, host] = [process.pid, builderTag().split('@')[1] ?? ''];
  await mkdir(dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    const holder: Holder = { pid, host, startedAt: new Date().toISOString() };
    try {
      const handle = await open(file, 'wx');
      try {
        await handle.writeFile(JSON.stringify(holder));
      } finally {
        await handle.close();
      }
      return held(file, staleMs);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const seen = await readFile(file, 'utf8').catch(() => null);
    if (seen === null) continue; // released meanwhile
    const ageMs = await stat(file).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    const other = parseHolder(seen);
    const stale = other ? (other.host === host ? !isAlive(other.pid) : ageMs > staleMs) : ageMs > 60_000; // unreadable content: only a crash mid-write leaves that
    if (!stale) {
      const who = other ? `pid ${other.pid} on ${other.host}, since ${other.startedAt}` : 'unknown holder';
      throw new IndexError(
        ErrorCode.IndexLocked,
        `Another \`policybot index\` is building ${indexDir} (${who}); wait for it to finish, or remove ${file} if that process is gone`,
      );
    }
    // Move the stale lock away, then make sure it is the one judged stale (not a lock just taken by another).
    const aside = `${file}.stale-${pid}-${randomBytes(3).toString('hex')}`;
    const moved = await rename(file, aside).then(
      () => true,
      () => false,
    );
    if (!moved) continue;
    const movedContent = await readFile(aside, 'utf8').catch(() => null);
    if (movedContent !== seen) {
      await link(aside, file).catch(() => {});
      await rm(aside, { force: true });
      continue;
    }
    await rm(aside, { force: true });
    options.logger?.warn({ lock: basename(file), previous: other }, 'stale index build lock taken over');
  }
  throw new IndexError(ErrorCode.IndexLocked, `Could not take the index build lock ${file}; try again`);
}

function parseHolder(raw: string): Holder | null {
  try {
    const value = JSON.parse(raw) as Partial<Holder>;
    return typeof value.pid === 'number' && typeof value.host === 'string'
      ? { pid: value.pid, host: value.host, startedAt: String(value.startedAt ?? '?') }
      : null;
  } catch {
    return null;
  }
}

function held(file: string, staleMs: number): BuildLock {
  // Touched while the build runs, so that builders on other machines do not take it for stale.
  const timer = setInterval(
    () => {
      const now = new Date();
      void utimes(file, now, now).catch(() => {});
    },
    Math.max(1_000, Math.floor(staleMs / 4)),
  );
  timer.unref();
  let released = false;
  return {
    file,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      await rm(file, { force: true });
    },
  };
}
