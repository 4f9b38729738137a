import { join } from 'node:path';
import { type EncodedFigures, encodeFigures, updateFigures, writeFigures } from '../figures/figure-store.js';
import { groupBy } from '../internal/group-by.js';
import { KeywordIndex } from '../keyword/KeywordIndex.js';
import { updateKeywordFile } from '../keyword/KeywordIndexBuilder.js';
import type { KeywordRow } from '../keyword/types.js';
import type { Chunk, StructuredDocument } from '../types.js';
import {
  HnswVectorWriter,
  startVectorUpdate,
  type VectorPrefetch,
  type VectorUpdate,
} from '../vector-store/HnswVectorStore.js';
import { CompactFilesWriter, type CompactPaths } from './compact-store.js';
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

/** Paths of the files `writeIndexFiles` writes into `dir`. */
export function compactPaths(dir: string): CompactPaths {
  return {
    text: join(dir, INDEX_FILES.documentsText),
    structure: join(dir, INDEX_FILES.documentsStructure),
    documents: join(dir, INDEX_FILES.documents),
    chunks: join(dir, INDEX_FILES.chunks),
  };
}

/**
 * Writes every index file except the manifest into `dir` (an empty directory the caller swaps into place).
 * Each file is written by its streaming writer (HnswVectorWriter, KeywordIndexBuilder, CompactFilesWriter), the
 * same ones the scale benchmarks feed a document at a time, so both produce the same layout.
 */
export async function writeIndexFiles(
  dir: string,
  content: IndexContent,
  onProgress?: (stage: WriteStage, done: number, total: number) => void,
): Promise<WriteTimings> {
  const { chunks, documents } = content;
  const timings: WriteTimings = { vectors: 0, keyword: 0, write: 0 };
  let started = performance.now();
  if (content.vectors && content.dimension) {
    const total = content.vectors.length;
    const every = Math.max(1, Math.ceil(total / 100));
    onProgress?.('vectors', 0, total);
    const writer = await HnswVectorWriter.create(join(dir, INDEX_FILES.vectors), content.dimension, {
      capacity: total,
    });
    content.vectors.forEach((vector, i) => {
      writer.add(vector);
      if ((i + 1) % every === 0 || i + 1 === total) onProgress?.('vectors', i + 1, total);
    });
    await writer.finish();
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
  await writeCompactFiles(dir, documents, chunks, encodeFigures(documents));
  timings.write = performance.now() - started;
  return timings;
}

/** An index written from the previous one (`writeUpdatedIndexFiles`): what is new, and what is kept. */
export interface IndexUpdate {
  documents: StructuredDocument[];
  /** Every chunk of the new index, ordinals 0, 1, … in document order. */
  chunks: Chunk[];
  /** Per chunk: the ordinal of the same chunk in the previous index, or -1 for a new chunk. */
  reuse: Int32Array;
  /** Vectors of the new chunks (reuse = -1), in ordinal order; null for a keyword-only index. */
  vectors: Float32Array[] | null;
  dimension: number | null;
  /** Documents whose stored figures are kept (their text did not change). */
  reusedDocuments: ReadonlySet<string>;
  previousFigures: EncodedFigures | null;
  /** The previous graph's read, started earlier (`prefetchVectorUpdate` into `dir`); started here when absent. */
  prefetch?: VectorPrefetch;
}

/**
 * Writes every index file except the manifest into `dir` from the previous index in `previousDir`, which is only
 * read: vectors by `updateVectorFiles` (kept vectors are not re-embedded, replaced ones become tombstones until a
 * compaction), the keyword index by `updateKeywordFile` (only new rows are segmented; statistics are the new
 * collection's), the compact files and figures as a full build writes them. The vectors are written while the
 * rest is (their time overlaps the others').
 */
export async function writeUpdatedIndexFiles(
  previousDir: string,
  dir: string,
  update: IndexUpdate,
): Promise<WriteTimings & { vectorUpdate: VectorUpdate | null }> {
  const timings: WriteTimings = { vectors: 0, keyword: 0, write: 0 };
  const vectorsStarted = performance.now();
  // The graph is updated first; hnswlib then writes it on a libuv thread while the keyword and compact files are
  // written here.
  const vectorsDone =
    update.vectors && update.dimension
      ? (
          await startVectorUpdate(
            join(previousDir, INDEX_FILES.vectors),
            join(dir, INDEX_FILES.vectors),
            update.dimension,
            update.reuse,
            update.vectors,
            update.prefetch ? { prefetch: update.prefetch } : {},
          )
        ).written.finally(() => {
          timings.vectors = performance.now() - vectorsStarted;
        })
      : Promise.resolve(null);
  vectorsDone.catch(() => {}); // awaited below; not unhandled while the keyword file is written
  try {
    let started = performance.now();
    const added = update.chunks.filter((c) => update.reuse[c.ordinal] === -1).map((c) => keywordRow(c));
    updateKeywordFile(
      join(previousDir, INDEX_FILES.keyword),
      join(dir, INDEX_FILES.keyword),
      update.reuse,
      added,
    );
    timings.keyword = performance.now() - started;
    started = performance.now();
    const figures = updateFigures(update.previousFigures, update.documents, update.reusedDocuments);
    await writeCompactFiles(dir, update.documents, update.chunks, figures);
    timings.write = performance.now() - started;
  } catch (error) {
    // Nothing may still be writing into `dir` when the caller removes it.
    await vectorsDone.catch(() => {});
    throw error;
  }
  const vectorUpdate = await vectorsDone;
  return { ...timings, vectorUpdate };
}

/** Writes the compact files (`writeDocumentFiles`) and `figures.json` into `dir`. */
export async function writeCompactFiles(
  dir: string,
  documents: readonly StructuredDocument[],
  chunks: readonly Chunk[],
  figures: EncodedFigures,
): Promise<void> {
  writeDocumentFiles(dir, documents, chunks);
  writeFigures(join(dir, INDEX_FILES.figures), figures);
}

/** Writes `documents.utf16`, `documents.structure`, `documents.json` and `chunks.json` (CompactFilesWriter). */
export function writeDocumentFiles(
  dir: string,
  documents: readonly StructuredDocument[],
  chunks: readonly Chunk[],
): void {
  const compact = new CompactFilesWriter(compactPaths(dir));
  try {
    const byDocument = groupBy(chunks, (c) => c.docId);
    for (const document of documents) compact.add(document, byDocument.get(document.id) ?? []);
    compact.finish();
  } finally {
    compact.close();
  }
}

/**
 * What the keyword index holds for each chunk: its text, and as its title field where it sits — the document's
 * title, the part's title, the issuer and the section path — so a question naming the document or the section
 * finds its passages, at the title field's lower weight.
 */
export function keywordRow(c: Chunk): KeywordRow {
  return {
    ordinal: c.ordinal,
    text: c.text,
    title: [...new Set([c.docTitle, c.partTitle, c.issuer, ...c.sectionPath].filter(Boolean))].join(' '),
  };
}

export function* keywordRows(chunks: Iterable<Chunk>): Iterable<KeywordRow> {
  for (const chunk of chunks) yield keywordRow(chunk);
}
