import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode, IndexError } from '../errors/index.js';
import { KeywordIndex } from '../keyword/KeywordIndex.js';
import type { Chunk, StructuredDocument } from '../types.js';
import { HnswVectorStore } from '../vector-store/HnswVectorStore.js';
import { INDEX_FILES, type IndexManifest, REBUILD_HINT, readManifest } from './manifest.js';

export interface LoadedIndex {
  dir: string;
  manifest: IndexManifest;
  documents: StructuredDocument[];
  chunks: Chunk[];
  /** null when the index was built keyword-only. */
  vectors: HnswVectorStore | null;
  keyword: KeywordIndex;
}

/** Opens a built index without re-embedding or re-segmenting anything. */
export async function loadIndex(indexDir: string): Promise<LoadedIndex> {
  const manifest = await readManifest(indexDir);
  const documents = await readJson<StructuredDocument[]>(join(indexDir, INDEX_FILES.documents));
  const chunks = await readJson<Chunk[]>(join(indexDir, INDEX_FILES.chunks));
  if (!Array.isArray(chunks) || chunks.length !== manifest.counts.chunks || !Array.isArray(documents)) {
    throw new IndexError(
      ErrorCode.IndexCorrupt,
      `Index at ${indexDir} does not match its manifest (${manifest.counts.chunks} chunks expected); ${REBUILD_HINT}`,
    );
  }
  let vectors: HnswVectorStore | null = null;
  let keyword: KeywordIndex;
  try {
    if (manifest.embedder.mode === 'dense' && manifest.embedder.dimension) {
      vectors = await HnswVectorStore.load(join(indexDir, INDEX_FILES.vectors), manifest.embedder.dimension);
    }
    keyword = KeywordIndex.open(join(indexDir, INDEX_FILES.keyword));
  } catch (error) {
    throw new IndexError(ErrorCode.IndexCorrupt, `Index at ${indexDir} cannot be opened; ${REBUILD_HINT}`, {
      cause: error,
    });
  }
  return { dir: indexDir, manifest, documents, chunks, vectors, keyword };
}

async function readJson<T>(file: string): Promise<T> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (error) {
    throw new IndexError(
      ErrorCode.IndexCorrupt,
      `Index file ${file} is missing or corrupt; ${REBUILD_HINT}`,
      {
        cause: error,
      },
    );
  }
}
