import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Logger } from '../logging/logger.js';
import { INDEX_FILES } from './manifest.js';

/**
 * Index snapshots. The index folder (`<POLICYBOT_INDEX_DIR>/index`) holds immutable snapshot folders and one
 * pointer file naming the current one:
 *
 *     index/CURRENT                     "s-1764646000123-3f9a"  (written to a temporary name, then renamed)
 *     index/s-1764646000123-3f9a/       manifest.json, documents.*, chunks.json, vectors.*, keyword.sqlite
 *     index/s-1764640000000-0b1c/       the previous snapshot (kept, so a replica still on it keeps working)
 *     index/tmp-<pid>@<host>-s-…/       a build in progress (never read; removed when its builder is gone)
 *
 * A snapshot is written under a temporary name, renamed to its final name once complete (manifest last), and
 * only then named by the pointer, itself replaced by one rename: a reader resolving the pointer always finds a
 * complete folder, and there is no moment with no manifest. Replicas sharing the folder poll the pointer
 * (`readSnapshotPointer`) and load the new snapshot when it changes.
 *
 * The older single-folder layout (the index files directly in `index/`, no pointer) is still read; the next
 * `policybot index` turns it into a snapshot without re-embedding (`adoptLegacyLayout`).
 */
export const POINTER_FILE = 'CURRENT';
const SNAPSHOT_PREFIX = 's-';
const TEMP_PREFIX = 'tmp-';
const SNAPSHOT_NAME = /^s-\d{13}-[0-9a-f]{4,}$/;

/** Where the files of the index in `indexDir` are: the current snapshot, or `indexDir` itself (older layout). */
export interface ResolvedIndex {
  dir: string;
  /** The snapshot's name; null for the older single-folder layout. */
  snapshot: string | null;
}

/** The current snapshot's name, or null when there is no pointer (no index, or the older layout). */
export async function readSnapshotPointer(indexDir: string): Promise<string | null> {
  let raw: string;
  try {
    raw = await readFile(join(indexDir, POINTER_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const name = raw.trim();
  // Never a path: a pointer naming `../x` must not lead a reader out of the index folder.
  return SNAPSHOT_NAME.test(name) ? name : null;
}

/** Resolves the pointer; `indexDir` itself when there is none (the older layout, or nothing built yet). */
export async function resolveIndexDir(indexDir: string): Promise<ResolvedIndex> {
  const snapshot = await readSnapshotPointer(indexDir);
  return snapshot ? { dir: join(indexDir, snapshot), snapshot } : { dir: indexDir, snapshot: null };
}

/** The snapshot folders in `indexDir`, newest first (names sort by creation time). */
export async function listSnapshots(indexDir: string): Promise<string[]> {
  const names = await readdir(indexDir).catch(() => [] as string[]);
  return names
    .filter((n) => SNAPSHOT_NAME.test(n))
    .sort()
    .reverse();
}

/** A folder to write a new snapshot into (under a temporary name until `publishSnapshot`). */
export async function startSnapshot(indexDir: string): Promise<{ dir: string; name: string }> {
  await mkdir(indexDir, { recursive: true });
  const name = `${SNAPSHOT_PREFIX}${String(Date.now()).padStart(13, '0')}-${randomBytes(2).toString('hex')}`;
  const dir = join(indexDir, `${TEMP_PREFIX}${builderTag()}-${name}`);
  await mkdir(dir);
  return { dir, name };
}

/**
 * Makes the snapshot written in `tempDir` the current one: renames it to its final name, then points the
 * pointer at it (temporary file + rename, fsynced), then removes snapshots older than the previous one.
 */
export async function publishSnapshot(
  indexDir: string,
  snapshot: { dir: string; name: string },
  logger?: Logger,
): Promise<string> {
  const finalDir = join(indexDir, snapshot.name);
  await rename(snapshot.dir, finalDir);
  const previous = await readSnapshotPointer(indexDir);
  const tmpPointer = join(indexDir, `${POINTER_FILE}.${TEMP_PREFIX}${builderTag()}-${snapshot.name}`);
  const handle = await open(tmpPointer, 'w');
  try {
    await handle.writeFile(`${snapshot.name}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmpPointer, join(indexDir, POINTER_FILE));
  await pruneSnapshots(indexDir, [snapshot.name, previous], logger);
  return finalDir;
}

/**
 * Removes the snapshot folders older than those in `keep` (names sort by creation time): a newer one may be
 * another build's, just renamed and about to be published.
 */
async function pruneSnapshots(indexDir: string, keep: (string | null)[], logger?: Logger): Promise<void> {
  const oldestKept = keep.filter((k): k is string => k !== null).sort()[0] ?? '';
  for (const name of await readdir(indexDir).catch(() => [] as string[])) {
    if (!SNAPSHOT_NAME.test(name) || keep.includes(name) || name > oldestKept) continue;
    await rm(join(indexDir, name), { recursive: true, force: true });
    logger?.debug({ snapshot: name }, 'old index snapshot removed');
  }
}

/** Who is building, in temporary names: `<pid>@<host>` (a pid means nothing on another machine). */
export function builderTag(): string {
  return `${process.pid}@${hostname().replace(/[^A-Za-z0-9.-]/g, '_')}`;
}

/**
 * Removes what interrupted builds left: `tmp-<pid>@<host>-…` folders and pointer files in the index folder whose
 * process on this machine is gone, or older than a day (a builder on another machine sharing the folder), the `index.tmp-*`
 * and `index.old-*` siblings of earlier versions, and snapshots older than the current one but the newest of them.
 * Returns what it removed (names only).
 */
export async function cleanStaleBuilds(indexDir: string, logger?: Logger): Promise<string[]> {
  const removed: string[] = [];
  const parent = dirname(indexDir);
  const base = basename(indexDir);
  for (const name of await readdir(parent).catch(() => [] as string[])) {
    if (!name.startsWith(`${base}.tmp-`) && !name.startsWith(`${base}.old-`)) continue;
    await rm(join(parent, name), { recursive: true, force: true });
    removed.push(name);
  }
  const entries = await readdir(indexDir).catch(() => [] as string[]);
  for (const name of entries) {
    const match = /(?:^|\.)tmp-(\d+)@(.+?)-s-\d{13}-/.exec(name);
    if (!match || !(name.startsWith(TEMP_PREFIX) || name.startsWith(`${POINTER_FILE}.`))) continue;
    const path = join(indexDir, name);
    const ageMs = await stat(path).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    const here = match[2] === builderTag().split('@')[1];
    if (ageMs < STALE_TEMP_MS && (!here || isAlive(Number(match[1])))) continue;
    await rm(path, { recursive: true, force: true });
    removed.push(name);
  }
  const current = await readSnapshotPointer(indexDir);
  if (current) {
    const older = entries.filter((n) => SNAPSHOT_NAME.test(n) && n < current).sort();
    const previous = older.at(-1) ?? null;
    for (const name of older) {
      if (name === previous) continue;
      await rm(join(indexDir, name), { recursive: true, force: true });
      removed.push(name);
    }
  }
  if (removed.length > 0) logger?.info({ removed }, 'removed what earlier index builds left');
  return removed;
}

/** A temporary folder older than this is another machine's abandoned build, whatever its pid. */
const STALE_TEMP_MS = 24 * 60 * 60 * 1000;

/** Whether process `pid` on this machine is running. */
export function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether `indexDir` holds the older single-folder layout (a manifest directly in it, no pointer). */
export async function isLegacyLayout(indexDir: string): Promise<boolean> {
  if (await readSnapshotPointer(indexDir)) return false;
  return stat(join(indexDir, INDEX_FILES.manifest)).then(
    (s) => s.isFile(),
    () => false,
  );
}

/**
 * Hard-links (or copies, across devices) the older layout's files into a new snapshot folder, so the index
 * becomes a snapshot without re-embedding. The caller writes the manifest and publishes; then
 * `removeLegacyFiles` clears the old files.
 */
export async function adoptLegacyLayout(indexDir: string): Promise<{ dir: string; name: string }> {
  const snapshot = await startSnapshot(indexDir);
  for (const name of await legacyFiles(indexDir)) {
    if (name === INDEX_FILES.manifest) continue;
    const from = join(indexDir, name);
    const to = join(snapshot.dir, name);
    await link(from, to).catch(async () => {
      const { copyFile } = await import('node:fs/promises');
      await copyFile(from, to);
    });
  }
  return snapshot;
}

/** Deletes the older layout's files once a snapshot replaces them (the manifest first). */
export async function removeLegacyFiles(indexDir: string): Promise<void> {
  await rm(join(indexDir, INDEX_FILES.manifest), { force: true });
  for (const name of await legacyFiles(indexDir)) await rm(join(indexDir, name), { force: true });
}

async function legacyFiles(indexDir: string): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await readdir(indexDir, { withFileTypes: true })) {
    if (entry.isFile() && !entry.name.startsWith(POINTER_FILE)) names.push(entry.name);
  }
  return names;
}
