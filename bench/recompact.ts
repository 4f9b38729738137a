/**
 * Rewrites the compact files of a built index folder (documents.utf16, documents.structure, documents.json,
 * chunks.json) in the current format (compact-store.ts), so that an index built by older code (a million-chunk
 * bench index takes up to an hour to build) is measured with the current format by `run.ts --reuse`. The hnsw
 * graph, the keyword index and figures.json are left as they are. Only for folders without per-file records in
 * their manifest (the bench's).
 *   node --import tsx bench/recompact.ts DIR [DIR…]
 */
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readStoredContent } from '../src/index/load-index.js';
import { INDEX_FILES, readManifest } from '../src/index/manifest.js';
import { writeDocumentFiles } from '../src/index/write-index.js';

const FILES = [
  INDEX_FILES.documentsText,
  INDEX_FILES.documentsStructure,
  INDEX_FILES.documents,
  INDEX_FILES.chunks,
];

for (const dir of process.argv.slice(2)) {
  const manifest = await readManifest(dir);
  if (manifest.files && manifest.files.length > 0) throw new Error(`${dir}: its manifest records file sizes`);
  const started = performance.now();
  const size = async (d: string, name: string) => (await stat(join(d, name)).catch(() => null))?.size ?? 0;
  const before = await size(dir, INDEX_FILES.documents);
  const { documents, chunks } = await readStoredContent(dir, { figures: false });
  const scratch = await mkdtemp(join(dir, 'recompact-'));
  writeDocumentFiles(scratch, documents, chunks);
  for (const name of FILES) await rename(join(scratch, name), join(dir, name));
  await rm(scratch, { recursive: true });
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  console.log(
    `${dir}: documents.json ${mb(before)} → ${mb(await size(dir, INDEX_FILES.documents))} MB, documents.structure ${mb(await size(dir, INDEX_FILES.documentsStructure))} MB, in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
