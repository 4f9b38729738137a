/**
 * One-off repair, used once for issue 18 (see docs/issue-notes/issue-18.md): writes what a bench build that crashed
 * at its last step (figures.json: "Invalid string length", fixed in figure-store.ts) left out — figures.json,
 * manifest.json and a build.json whose timings are -1 ("not recorded").
 *   node --import tsx bench/complete-build.ts DIR CHUNKS
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../src/config/index.js';
import { extractFigures } from '../src/figures/extract-figures.js';
import { FiguresWriter } from '../src/figures/figure-store.js';
import { decodeDocuments, type EncodedDocuments } from '../src/index/compact-store.js';
import { INDEX_FILES, type IndexManifest, PIPELINE_VERSION } from '../src/index/manifest.js';

const [dir, chunksText] = process.argv.slice(2) as [string, string];
const chunks = Number(chunksText);
const text = (await readFile(join(dir, INDEX_FILES.documentsText))).toString('utf16le');
const documents = decodeDocuments(
  text,
  JSON.parse(await readFile(join(dir, INDEX_FILES.documents), 'utf8')) as EncodedDocuments,
);
const counted = (JSON.parse(await readFile(join(dir, INDEX_FILES.chunks), 'utf8')) as { count: number })
  .count;
if (counted !== chunks) throw new Error(`${counted} chunks stored, ${chunks} expected`);
const figures = new FiguresWriter(join(dir, INDEX_FILES.figures));
for (const d of documents) figures.add(extractFigures(d));
figures.finish();
const model = 'bench-hash-text-384d';
const manifest: IndexManifest = {
  pipelineVersion: PIPELINE_VERSION,
  createdAt: new Date().toISOString(),
  fingerprint: `bench-library-${chunks}-${model}`,
  corpusFingerprint: `bench-library-${chunks}`,
  documents: documents.map((d) => ({ id: d.id, path: d.sourcePath, contentHash: d.contentHash })),
  chunker: loadConfig({}).chunking,
  embedder: { mode: 'dense', model, dimension: 384, isTestModel: true, reason: null },
  counts: { documents: documents.length, chunks },
  failures: [],
  buildMs: -1,
};
await writeFile(join(dir, INDEX_FILES.manifest), JSON.stringify(manifest, null, 2));
const build = {
  chunks,
  documents: documents.length,
  corpusMs: -1,
  embedMs: -1,
  embedChunksPerSecond: -1,
  vectorsMs: -1,
  keywordMs: -1,
  writeMs: -1,
  buildMs: -1,
  peakRssMb: -1,
};
await writeFile(join(dir, 'build.json'), JSON.stringify(build));
console.log(
  `${dir}: ${documents.length} documents, ${chunks} chunks; figures, manifest and build.json written`,
);
