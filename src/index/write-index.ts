import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KeywordIndex } from '../keyword/KeywordIndex.js';
import type { KeywordRow } from '../keyword/types.js';
import type { Chunk, StructuredDocument } from '../types.js';
import { HnswVectorStore } from '../vector-store/HnswVectorStore.js';
import { encodeChunks, encodeDocuments } from './compact-store.js';
import { INDEX_FILES } from './manifest.js';

/** What goes into an index directory besides the manifest. */
export interface IndexContent {
  documents: StructuredDocument[];
  chunks: Chunk[];
  /** One vector per chunk (label = ordinal), or null for a keyword-only index. */
  vectors: Float32Array[] | null;
  dimension: number | null;
}

export type WriteStage = 'vectors' | 'keyword' | 'write';

/** Milliseconds spent on each part of the write; the benchmarks report them separately. */
export type WriteTimings = Record<WriteStage, number>;

/**
 * Writes every index file except the manifest into `dir` (an empty directory the caller swaps into place).
 * Shared by `ensureIndex` and the scale benchmarks, so both produce byte-for-byte the same layout.
 */
export async function writeIndexFiles(
  dir: string,
  content: IndexContent,
  onProgress?: (stage: WriteStage, done: number, total: number) => void,
): Promise<WriteTimings> {
  const { chunks } = content;
  const timings: WriteTimings = { vectors: 0, keyword: 0, write: 0 };
  let started = performance.now();
  if (content.vectors && content.dimension) {
    const total = content.vectors.length;
    onProgress?.('vectors', 0, total);
    const store = HnswVectorStore.build(content.vectors, content.dimension);
    await store.save(join(dir, INDEX_FILES.vectors));
    onProgress?.('vectors', total, total);
  }
  timings.vectors = performance.now() - started;

  started = performance.now();
  onProgress?.('keyword', 0, chunks.length);
  const keyword = await KeywordIndex.build(join(dir, INDEX_FILES.keyword), keywordRows(chunks));
  keyword.close();
  onProgress?.('keyword', chunks.length, chunks.length);
  timings.keyword = performance.now() - started;

  started = performance.now();
  onProgress?.('write', 0, 1);
  const documents = encodeDocuments(content.documents);
  await writeFile(join(dir, INDEX_FILES.documentsText), documents.text, 'utf16le');
  await writeFile(join(dir, INDEX_FILES.documents), JSON.stringify(documents.json));
  await writeFile(join(dir, INDEX_FILES.chunks), JSON.stringify(encodeChunks(chunks, content.documents)));
  timings.write = performance.now() - started;
  return timings;
}

/** What the keyword index holds for each chunk: its text, plus article title, department and section as title. */
export function keywordRow(c: Chunk): KeywordRow {
  return {
    ordinal: c.ordinal,
    text: c.text,
    title: [c.articleTitle, c.department, c.section].filter(Boolean).join(' '),
  };
}

export function* keywordRows(chunks: Iterable<Chunk>): Iterable<KeywordRow> {
  for (const chunk of chunks) yield keywordRow(chunk);
}
