/**
 * Rewrites `documents.json` of a built index folder in the current compact format (compact-store.ts), so that an
 * index built by older code (a million-chunk bench index takes an hour to build) is measured with the current
 * format by `run.ts --reuse`. Only for folders without per-file records in their manifest (the bench's).
 *   node --import tsx bench/recompact.ts DIR [DIR…]
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeDocuments, type EncodedDocuments, encodeDocuments } from '../src/index/compact-store.js';
import { INDEX_FILES, readManifest } from '../src/index/manifest.js';

for (const dir of process.argv.slice(2)) {
  const manifest = await readManifest(dir);
  if (manifest.files && manifest.files.length > 0) throw new Error(`${dir}: its manifest records file sizes`);
  const started = performance.now();
  const text = await readFile(join(dir, INDEX_FILES.documentsText), 'utf16le');
  const file = join(dir, INDEX_FILES.documents);
  const before = await readFile(file, 'utf8');
  const documents = decodeDocuments(text, JSON.parse(before) as EncodedDocuments);
  const encoded = encodeDocuments(documents);
  if (encoded.text.length !== text.length) throw new Error(`${dir}: texts differ after decoding`);
  const after = JSON.stringify(encoded.json);
  await writeFile(`${file}.tmp`, after);
  await rename(`${file}.tmp`, file);
  const mb = (s: string) => (Buffer.byteLength(s) / 1024 / 1024).toFixed(1);
  console.log(
    `${dir}: documents.json ${mb(before)} → ${mb(after)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
