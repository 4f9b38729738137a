import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode, IndexError } from '../errors/index.js';
import { INDEX_FILES, type IndexManifest, REBUILD_HINT } from './manifest.js';

/** One index file as the manifest records it. */
export type IndexFileRecord = NonNullable<IndexManifest['files']>[number];

/** SHA-256 of a file, read as a stream (an index file can be larger than is worth holding in memory). */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Size and checksum of every file in `dir` except the manifest, by name. */
export async function describeIndexFiles(dir: string): Promise<IndexFileRecord[]> {
  const records: IndexFileRecord[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isFile() || entry.name === INDEX_FILES.manifest) continue;
    const file = join(dir, entry.name);
    const { size } = await stat(file);
    records.push({ name: entry.name, bytes: size, sha256: await sha256File(file) });
  }
  return records;
}

/** What is wrong with one file: missing, another size, or (when checked) another checksum. */
export interface IndexFileProblem {
  name: string;
  problem: string;
}

/**
 * Compares the files in `dir` with the manifest's record: sizes always (a `stat` each), checksums too when
 * `checksums` is set (reads every byte). A manifest without records (written before snapshots) has nothing to
 * compare.
 */
export async function findIndexFileProblems(
  dir: string,
  manifest: IndexManifest,
  options: { checksums?: boolean } = {},
): Promise<IndexFileProblem[]> {
  const problems: IndexFileProblem[] = [];
  for (const record of manifest.files ?? []) {
    const file = join(dir, record.name);
    const size = await stat(file).then(
      (s) => s.size,
      () => null,
    );
    if (size === null) {
      problems.push({ name: record.name, problem: 'is missing' });
    } else if (size !== record.bytes) {
      problems.push({ name: record.name, problem: `is ${size} bytes, the manifest says ${record.bytes}` });
    } else if (options.checksums && (await sha256File(file)) !== record.sha256) {
      problems.push({ name: record.name, problem: 'does not match its checksum' });
    }
  }
  return problems;
}

/** One line naming the snapshot, the first damaged file and the fix. */
export function damageMessage(label: string, problems: IndexFileProblem[]): string {
  const [first] = problems;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more file(s))` : '';
  return `Index ${label} is damaged: ${first?.name} ${first?.problem}${more}; ${REBUILD_HINT}`;
}

/** Throws IndexCorrupt (one line) when a file of the snapshot is missing or damaged. */
export async function assertIndexFiles(
  dir: string,
  label: string,
  manifest: IndexManifest,
  options: { checksums?: boolean } = {},
): Promise<void> {
  const problems = await findIndexFileProblems(dir, manifest, options);
  if (problems.length > 0) throw new IndexError(ErrorCode.IndexCorrupt, damageMessage(label, problems));
}
