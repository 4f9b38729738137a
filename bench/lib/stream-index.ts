import { join } from 'node:path';
import type { Embedder } from '../../src/embeddings/Embedder.js';
import { extractFigures } from '../../src/figures/extract-figures.js';
import { FiguresWriter } from '../../src/figures/figure-store.js';
import { passageText } from '../../src/index/build-index.js';
import { CompactFilesWriter } from '../../src/index/compact-store.js';
import { INDEX_FILES } from '../../src/index/manifest.js';
import { compactPaths, keywordRow } from '../../src/index/write-index.js';
import { KeywordIndexBuilder } from '../../src/keyword/KeywordIndexBuilder.js';
import type { Chunk, StructuredDocument } from '../../src/types.js';
import { HnswVectorWriter } from '../../src/vector-store/HnswVectorStore.js';
import type { CorpusDocument } from './synthetic-corpus.js';

export interface StreamedIndex {
  chunks: number;
  documents: Pick<StructuredDocument, 'id' | 'sourcePath' | 'contentHash'>[];
  embedMs: number;
  vectorsMs: number;
  keywordMs: number;
  writeMs: number;
}

/**
 * Writes an index directory (all files but the manifest) from a stream of documents with bounded memory: each
 * document's chunks are embedded, added to the hnsw graph and the vectors file, segmented into the keyword
 * index's run buffer and written to the compact files, then dropped. Uses the same writers as `writeIndexFiles`,
 * so the layout is the production one. Times are the totals spent in each writer.
 */
export async function writeIndexStreaming(
  dir: string,
  documents: Iterable<CorpusDocument>,
  embedder: Embedder,
  options: { expectedChunks: number; embedText?: (chunk: Chunk, document: StructuredDocument) => string },
): Promise<StreamedIndex> {
  const embedText = options.embedText ?? ((chunk: Chunk) => passageText(chunk));
  const vectors = await HnswVectorWriter.create(join(dir, INDEX_FILES.vectors), embedder.dimension, {
    capacity: options.expectedChunks,
  });
  const keyword = new KeywordIndexBuilder(join(dir, INDEX_FILES.keyword));
  const compact = new CompactFilesWriter(compactPaths(dir));
  const figures = new FiguresWriter(join(dir, INDEX_FILES.figures));
  const out: StreamedIndex = { chunks: 0, documents: [], embedMs: 0, vectorsMs: 0, keywordMs: 0, writeMs: 0 };
  try {
    for (const { document, chunks } of documents) {
      let started = performance.now();
      const embedded = await embedder.embedPassages(chunks.map((c) => embedText(c, document)));
      out.embedMs += performance.now() - started;
      started = performance.now();
      for (const vector of embedded) vectors.add(vector);
      out.vectorsMs += performance.now() - started;
      started = performance.now();
      for (const chunk of chunks) keyword.add(keywordRow(chunk));
      out.keywordMs += performance.now() - started;
      started = performance.now();
      compact.add(document, chunks);
      figures.add(extractFigures(document));
      out.writeMs += performance.now() - started;
      out.chunks += chunks.length;
      out.documents.push({
        id: document.id,
        sourcePath: document.sourcePath,
        contentHash: document.contentHash,
      });
    }
    let started = performance.now();
    await vectors.finish();
    out.vectorsMs += performance.now() - started;
    started = performance.now();
    keyword.finish();
    out.keywordMs += performance.now() - started;
    started = performance.now();
    compact.finish();
    figures.finish();
    out.writeMs += performance.now() - started;
    return out;
  } catch (error) {
    keyword.abort();
    compact.close();
    figures.abort();
    await vectors.abort();
    throw error;
  }
}
