import { closeSync, openSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode, IndexError } from '../errors/index.js';
import { decodeFigures, type EncodedFigures, parseFigures } from '../figures/figure-store.js';
import { KeywordIndex } from '../keyword/KeywordIndex.js';
import type { Chunk, Figure, StructuredDocument } from '../types.js';
import { HnswVectorStore } from '../vector-store/HnswVectorStore.js';
import { decodeChunks, decodeDocuments, type EncodedChunks, type EncodedDocuments } from './compact-store.js';
import { assertIndexFiles } from './integrity.js';
import { INDEX_FILES, type IndexManifest, REBUILD_HINT, readManifest } from './manifest.js';
import { listSnapshots, type ResolvedIndex, resolveIndexDir } from './snapshots.js';

export interface LoadedIndex {
  /** The folder the files were read from: the current snapshot's (or the index folder, older layout). */
  dir: string;
  /** The snapshot's name; null for the older single-folder layout. */
  snapshot: string | null;
  manifest: IndexManifest;
  documents: StructuredDocument[];
  chunks: Chunk[];
  /** null when the index was built keyword-only. */
  vectors: HnswVectorStore | null;
  keyword: KeywordIndex;
  /**
   * Set when the current snapshot could not be loaded and this is an older one (`loadIndex` with `fallback`):
   * the snapshot the pointer names and why it was refused (one line).
   */
  fallbackFrom: { name: string; reason: string } | null;
  /** Key figures of every document, in corpus order (src/figures/); read on first use. */
  readonly figures: Figure[];
}

/** The current snapshot of `indexDir` (see snapshots.ts) and its manifest, without loading anything else. */
export async function openManifest(
  indexDir: string,
): Promise<{ dir: string; snapshot: string | null; label: string; manifest: IndexManifest }> {
  const { dir, snapshot } = await resolveIndexDir(indexDir);
  const manifest = await readManifest(dir);
  return { dir, snapshot, label: snapshot ? `snapshot ${snapshot}` : `at ${indexDir}`, manifest };
}

export interface LoadIndexOptions {
  /** Also compare every file with its checksum (reads every byte); sizes are always compared. */
  checksums?: boolean;
  /**
   * When the current snapshot cannot be loaded (damaged, missing files), load the newest older snapshot that passes
   * the integrity check with checksums instead; `fallbackFrom` says so. For a server that cannot rebuild.
   */
  fallback?: boolean;
  /** Build the int8 copy of vectors left on disk after loading (default true; see HnswVectorStore.load). */
  int8Copy?: boolean;
}

/**
 * Opens the current snapshot of a built index without re-embedding or re-segmenting anything. Each file's size
 * is checked against the manifest first (a damaged snapshot is refused with one line naming the file). The
 * files are read in parallel; chunk texts are slices of the documents' text rather than a second copy (see
 * compact-store.ts).
 */
export async function loadIndex(root: string, options: LoadIndexOptions = {}): Promise<LoadedIndex> {
  const resolved = await resolveIndexDir(root);
  try {
    return await loadResolved(root, resolved, options);
  } catch (error) {
    // Two publishes while this one read its files can prune the snapshot it resolved: read the new one.
    const again = await resolveIndexDir(root);
    if (error instanceof IndexError && again.snapshot !== null && again.snapshot !== resolved.snapshot) {
      return loadResolved(root, again, options);
    }
    if (!(error instanceof IndexError) || !options.fallback || resolved.snapshot === null) throw error;
    const from = { name: resolved.snapshot, reason: error.message.split('\n')[0] ?? error.message };
    for (const name of await listSnapshots(root)) {
      if (name >= resolved.snapshot) continue;
      try {
        const older = await loadResolved(
          root,
          { dir: join(root, name), snapshot: name },
          { checksums: true },
        );
        older.fallbackFrom = from;
        return older;
      } catch {
        // Damaged too: try the one before.
      }
    }
    throw error;
  }
}

async function loadResolved(
  root: string,
  { dir: indexDir, snapshot }: ResolvedIndex,
  options: LoadIndexOptions,
): Promise<LoadedIndex> {
  const manifest = await readManifest(indexDir);
  const label = snapshot ? `snapshot ${snapshot}` : `at ${root}`;
  await assertIndexFiles(indexDir, label, manifest, options);
  const vectorsLoad =
    manifest.embedder.mode === 'dense' && manifest.embedder.dimension
      ? HnswVectorStore.load(join(indexDir, INDEX_FILES.vectors), manifest.embedder.dimension, {
          quantize: options.int8Copy ?? true,
        })
      : Promise.resolve(null);
  // Settled later; a rejection must not go unhandled while the JSON files are parsed.
  vectorsLoad.catch(() => {});
  const { documents, chunks } = await readStoredContent(indexDir, { figures: false });
  if (chunks.length !== manifest.counts.chunks) {
    throw new IndexError(
      ErrorCode.IndexCorrupt,
      `Index at ${indexDir} does not match its manifest (${manifest.counts.chunks} chunks expected); ${REBUILD_HINT}`,
    );
  }
  let vectors: HnswVectorStore | null = null;
  let keyword: KeywordIndex;
  try {
    vectors = await vectorsLoad;
    keyword = KeywordIndex.open(join(indexDir, INDEX_FILES.keyword));
  } catch (error) {
    throw new IndexError(ErrorCode.IndexCorrupt, `Index ${label} cannot be opened; ${REBUILD_HINT}`, {
      cause: error,
    });
  }
  if (vectors && vectors.count !== chunks.length) {
    // An emptied or cut vectors file in a manifest without file records: every search would fail.
    vectors.close();
    keyword.close();
    throw new IndexError(
      ErrorCode.IndexCorrupt,
      `Index ${label} is damaged: ${vectors.count} vectors for ${chunks.length} chunks; ${REBUILD_HINT}`,
    );
  }
  // Read and decoded (or recomputed, for an index without them) on first use: figures.json is as large as the
  // chunk columns and documents together (200+ MB at a million chunks) and retrieval never reads it. The file is
  // opened now so that a snapshot pruned later (a newer one published) still reads as it was.
  const figuresFd = openFigures(join(indexDir, INDEX_FILES.figures));
  let figures: Figure[] | null = null;
  const loaded: LoadedIndex = {
    dir: indexDir,
    snapshot,
    manifest,
    documents,
    chunks,
    vectors,
    keyword,
    fallbackFrom: null,
    get figures() {
      if (!figures) {
        figures = decodeFigures(readFigures(figuresFd.fd), documents);
        figuresFd.close();
      }
      return figures;
    },
  };
  if (figuresFd.fd !== null) unreadFigures.register(loaded, figuresFd.fd, figuresFd);
  return loaded;
}

/** Closes the figures file of an index dropped before its figures were read. */
const unreadFigures = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
});

/** The open figures file (fd null when there is none: an index built before figures existed). */
function openFigures(file: string): { fd: number | null; close: () => void } {
  let fd: number | null = null;
  try {
    fd = openSync(file, 'r');
  } catch {
    // Recomputed from the documents on first use.
  }
  const handle = {
    fd,
    close: () => {
      if (handle.fd === null) return;
      unreadFigures.unregister(handle);
      closeSync(handle.fd);
      handle.fd = null;
    },
  };
  return handle;
}

function readFigures(fd: number | null): EncodedFigures | null {
  if (fd === null) return null;
  try {
    return parseFigures(readFileSync(fd));
  } catch {
    return null;
  }
}

/**
 * The documents and chunks stored in an index folder, and its figures file as stored (null when absent, or when
 * `figures: false` says not to read it).
 */
export async function readStoredContent(
  indexDir: string,
  options: { figures?: boolean } = {},
): Promise<{
  documents: StructuredDocument[];
  chunks: Chunk[];
  figuresJson: EncodedFigures | null;
}> {
  const [text, structure, documentsJson, chunksJson, figuresJson] = await Promise.all([
    readText(join(indexDir, INDEX_FILES.documentsText)),
    // Absent in an index written before the structure rows (its documents.json holds them).
    readFile(join(indexDir, INDEX_FILES.documentsStructure)).catch(() => null),
    readJson<EncodedDocuments>(join(indexDir, INDEX_FILES.documents)),
    readJson<EncodedChunks>(join(indexDir, INDEX_FILES.chunks)),
    // An index built before figures existed has none: they are recomputed from its documents.
    options.figures === false
      ? null
      : readJson<EncodedFigures>(join(indexDir, INDEX_FILES.figures)).catch(() => null),
  ]);
  try {
    const documents = decodeDocuments(text, documentsJson, structure);
    return { documents, chunks: decodeChunks(chunksJson, documents), figuresJson };
  } catch (error) {
    throw new IndexError(ErrorCode.IndexCorrupt, `Index at ${indexDir} is corrupt; ${REBUILD_HINT}`, {
      cause: error,
    });
  }
}

async function readText(file: string): Promise<string> {
  try {
    // UTF-16LE is V8's own two-byte layout: decoding is a copy, where UTF-8 costs ~10 ns per character. Decoded
    // from one buffer, not by readFile(file, 'utf16le'): that decodes it 64 KB at a time into a rope of thousands
    // of pieces, which the first slice then flattens (2.9 s of a million-chunk load; one buffer: none).
    return (await readFile(file)).toString('utf16le');
  } catch (error) {
    throw new IndexError(
      ErrorCode.IndexCorrupt,
      `Index file ${file} is missing or unreadable; ${REBUILD_HINT}`,
      {
        cause: error,
      },
    );
  }
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
