import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Embedder } from '../embeddings/Embedder.js';
import { CorpusError, ErrorCode } from '../errors/index.js';
import {
  type CorpusLoad,
  type LoaderOptions,
  type LoadFailure,
  loadCorpus,
  type SourceDocument,
  structureDocument,
  type UnchangedFile,
} from '../ingest/index.js';
import { groupBy } from '../internal/group-by.js';
import type { Logger } from '../logging/logger.js';
import { chunkDocument } from '../node-parser/index.js';
import type { Chunk, StructuredDocument } from '../types.js';
import { prefetchVectorUpdate } from '../vector-store/HnswVectorStore.js';
import { acquireBuildLock } from './build-lock.js';
import { type DocumentChanges, documentChanges, stampIndexedAt } from './document-changes.js';
import { corpusFingerprint, type FingerprintInput, indexFingerprint, modelKey } from './fingerprint.js';
import { damageMessage, describeIndexFiles, findIndexFileProblems } from './integrity.js';
import { openManifest, readStoredContent } from './load-index.js';
import { type BuildUpdate, INDEX_FILES, type IndexManifest, PIPELINE_VERSION } from './manifest.js';
import {
  adoptLegacyLayout,
  cleanStaleBuilds,
  isLegacyLayout,
  publishSnapshot,
  removeLegacyFiles,
  startSnapshot,
} from './snapshots.js';
import {
  type WriteStage,
  type WriteTimings,
  writeIndexFiles,
  writeUpdatedIndexFiles,
} from './write-index.js';

export type BuildStage = 'load' | 'ocr' | 'chunk' | 'embed' | 'vectors' | 'keyword' | 'write';

export interface BuildProgress {
  stage: BuildStage;
  done: number;
  total: number;
}

export interface BuildIndexOptions {
  corpusDir: string;
  /** The directory holding the index files (e.g. `embeddings/index`). */
  indexDir: string;
  chunking: { size: number; overlap: number };
  embedder: Embedder | null;
  /** Why there is no embedder (recorded in the manifest and shown by `doctor`). */
  embedderReason: string | null;
  force?: boolean;
  logger: Logger;
  onProgress?: (progress: BuildProgress) => void;
  /** How files are read (OCR on/off, workers, cache); the loaders' defaults when absent. */
  loader?: Omit<LoaderOptions, 'onPage'>;
}

export interface BuildResult {
  rebuilt: boolean;
  /** Human-readable reason: "up to date", "corpus changed", "no index", … */
  reason: string;
  manifest: IndexManifest;
  /** Files of the corpus that could not be read, with the reason (also recorded in the manifest). */
  failures: LoadFailure[];
  /** Documents read (wholly or partly) by OCR, their recognised pages and the time it took (0 from the cache). */
  ocr: { documents: number; pages: number; ms: number };
  /** What this build changed against the previous index; null when nothing was rebuilt or there was no index. */
  changes: DocumentChanges | null;
}

/**
 * Builds the index when the corpus, settings or embedding model changed, when its current snapshot is damaged,
 * or when forced; otherwise a no-op. Only one runs at a time per index folder (build-lock.ts: a second fails with
 * IndexLocked). When the current snapshot has the same chunking and model, unchanged files are not decoded and
 * only added and changed documents are chunked and embedded (`writeSnapshot`); `force` rebuilds everything. A
 * build writes a new snapshot folder and publishes it with one atomic pointer swap (snapshots.ts), so a crash never
 * leaves a half-written index where a reader looks and a reader never finds no manifest; what earlier interrupted
 * builds left is removed first.
 */
export async function ensureIndex(options: BuildIndexOptions): Promise<BuildResult> {
  const lock = await acquireBuildLock(options.indexDir, { logger: options.logger });
  try {
    return await buildLocked(options);
  } finally {
    await lock.release();
  }
}

async function buildLocked(options: BuildIndexOptions): Promise<BuildResult> {
  const { logger } = options;
  const started = performance.now();
  await cleanStaleBuilds(options.indexDir, logger);
  const opened = await openManifest(options.indexDir).catch(() => null);
  const previous = opened?.manifest ?? null;
  // Sizes only: a stat per file. Checksums are compared by `policybot doctor --verify`.
  const damage = opened ? await findIndexFileProblems(opened.dir, opened.manifest) : [];
  // Same pipeline (readManifest refuses another version), chunking and model, an undamaged snapshot: the index can
  // be updated, so a file whose bytes hash to what the index holds is not even decoded again.
  const updatable =
    opened !== null && damage.length === 0 && !options.force && canUpdate(opened.manifest, options);
  const previousHash = new Map((previous?.documents ?? []).map((d) => [d.id, d.contentHash]));
  const readCorpus = (skipUnchanged: boolean) => {
    options.onProgress?.({ stage: 'load', done: 0, total: 1 });
    return loadCorpus(options.corpusDir, {
      onFile: (done, total) => options.onProgress?.({ stage: 'load', done, total }),
      ...(options.loader
        ? {
            loader: {
              ...options.loader,
              onPage: (done: number, total: number) => options.onProgress?.({ stage: 'ocr', done, total }),
            },
          }
        : {}),
      ...(skipUnchanged ? { unchanged: (id: string, hash: string) => previousHash.get(id) === hash } : {}),
    });
  };
  let corpus = await readCorpus(updatable);
  const { failures } = corpus;
  const sources = corpus.documents;
  // Pages a loader could not read (OCR off) make the same file another document once they can be read.
  const documentsMeta = corpusFiles(corpus).map((f) =>
    'text' in f
      ? {
          id: f.id,
          path: f.path,
          contentHash: f.unreadPages?.length
            ? `${f.contentHash}#unread:${f.unreadPages.join(',')}`
            : f.contentHash,
        }
      : { id: f.id, path: f.path, contentHash: f.contentHash },
  );
  const ocr = {
    documents: sources.filter((s) => s.ocr).length,
    pages: sources.reduce((n, s) => n + (s.ocr?.pages ?? 0), 0),
    ms: sources.reduce((n, s) => n + (s.ocr?.ms ?? 0), 0),
  };
  const model = options.embedder?.modelId ?? null;
  const fingerprint = indexFingerprint({
    documents: documentsMeta,
    chunking: options.chunking,
    model: modelKey(model, options.embedder?.dimension ?? null),
  });

  const reason =
    opened && damage.length > 0
      ? damageMessage(opened.label, damage).replace(/;.*$/, '')
      : staleReason(previous, fingerprint, documentsMeta, options);
  if (!reason && previous) {
    if (await isLegacyLayout(options.indexDir)) {
      const manifest = await adoptLegacy(options.indexDir, previous, logger);
      return {
        rebuilt: false,
        reason: 'up to date (moved into a snapshot)',
        manifest,
        failures,
        ocr,
        changes: null,
      };
    }
    logger.debug({ fingerprint }, 'index up to date');
    return { rebuilt: false, reason: 'up to date', manifest: previous, failures, ocr, changes: null };
  }
  for (const f of failures) logger.warn({ path: f.path, reason: f.reason }, `not indexed: ${f.message}`);
  logger.info({ reason, documents: documentsMeta.length }, 'building index');

  const { manifest } = await writeSnapshot({
    indexDir: options.indexDir,
    from: updatable ? opened : null,
    entries: async (storedReadable) => {
      // Files skipped as unchanged must be decoded after all when the previous index cannot be read.
      if (!storedReadable && corpus.unchanged.length > 0) corpus = await readCorpus(false);
      return corpusFiles(corpus).map((file, i) => ({
        id: file.id,
        contentHash: documentsMeta[i]?.contentHash ?? file.contentHash,
        make: () => {
          if (!('text' in file))
            throw new Error(`${file.id}: unchanged file missing from the previous index`);
          const document = structureDocument(file);
          const parts = chunkDocument(document, options.chunking).map((c) => ({
            ...c,
            id: `${document.id}#${c.ordinal}`,
          }));
          return { document, chunks: parts };
        },
      }));
    },
    embedder: options.embedder,
    emptyLabel: options.corpusDir,
    manifest: (createdAt) => ({
      pipelineVersion: PIPELINE_VERSION,
      createdAt,
      fingerprint,
      corpusFingerprint: corpusFingerprint(documentsMeta),
      documents: stampIndexedAt(previous, documentsMeta, createdAt),
      chunker: options.chunking,
      embedder: {
        mode: options.embedder ? 'dense' : 'keyword-only',
        model,
        dimension: options.embedder?.dimension ?? null,
        isTestModel: options.embedder?.isTestModel ?? false,
        reason: options.embedder ? null : options.embedderReason,
      },
      failures,
      buildMs: Math.round(performance.now() - started),
    }),
    logger,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const changes = previous ? documentChanges(previous.documents, manifest.documents) : null;
  return { rebuilt: true, reason, manifest, failures, ocr, changes };
}

/** What `writeSnapshot` needs: where, from which snapshot, the library, and the caller's manifest fields. */
export interface WriteSnapshotOptions {
  indexDir: string;
  /** The current snapshot to update (undamaged, same pipeline, chunking and model), or null for a full build. */
  from: { dir: string; manifest: IndexManifest } | null;
  /**
   * The library in order. `storedReadable` is false when there is no `from` or its content could not be read:
   * every entry is then made (chunked and embedded).
   */
  entries: (storedReadable: boolean) => Promise<LibraryEntry[]>;
  embedder: Embedder | null;
  /** Named in the error when the library has no text at all. */
  emptyLabel: string;
  /** The manifest's fields other than counts, update and files, for a snapshot created at `createdAt`. */
  manifest: (createdAt: string) => Omit<IndexManifest, 'counts' | 'update' | 'files'>;
  logger: Logger;
  onProgress?: (progress: BuildProgress) => void;
}

/** Milliseconds spent in each part of `writeSnapshot` (the vectors' time overlaps the others'). */
export interface SnapshotTimings {
  read: number;
  assemble: number;
  embed: number;
  vectors: number;
  keyword: number;
  write: number;
  checksums: number;
  publish: number;
}

/**
 * Writes and publishes one snapshot: from `from` when given (only entries whose content hash is new are chunked
 * and embedded; the previous vector graph is read while the rest of the previous index is, and the new chunks are
 * embedded), else in full; then the checksums, the manifest (last: its presence marks a complete index) and the
 * pointer (snapshots.ts). What it wrote is removed when anything fails.
 */
export async function writeSnapshot(
  options: WriteSnapshotOptions,
): Promise<{ manifest: IndexManifest; timings: SnapshotTimings }> {
  const { from, embedder, logger } = options;
  const timings: SnapshotTimings = {
    read: 0,
    assemble: 0,
    embed: 0,
    vectors: 0,
    keyword: 0,
    write: 0,
    checksums: 0,
    publish: 0,
  };
  let t = performance.now();
  const lap = (): number => {
    const now = performance.now();
    const ms = now - t;
    t = now;
    return ms;
  };
  const snapshot = await startSnapshot(options.indexDir);
  const tmpDir = snapshot.dir;
  const prefetch =
    from && from.manifest.embedder.mode === 'dense' && embedder
      ? prefetchVectorUpdate(
          join(from.dir, INDEX_FILES.vectors),
          join(tmpDir, INDEX_FILES.vectors),
          embedder.dimension,
        )
      : null;
  try {
    let stored = from
      ? await readStoredContent(from.dir).catch((error: unknown) => {
          logger.warn({ err: error }, 'previous index unreadable: full rebuild');
          return null;
        })
      : null;
    if (prefetch && !stored) await prefetch.done.catch(() => {});
    const entries = await options.entries(stored !== null);
    timings.read = lap();
    options.onProgress?.({ stage: 'chunk', done: 0, total: entries.length });
    const { documents, chunks, reuse, reusedDocuments } = assembleLibrary(
      entries,
      stored && from ? { ...stored, manifest: from.manifest } : null,
      (done) => options.onProgress?.({ stage: 'chunk', done, total: entries.length }),
    );
    if (chunks.length === 0) {
      throw new CorpusError(ErrorCode.CorpusEmpty, `No text to index in ${options.emptyLabel}`);
    }
    const fresh = chunks.filter((c) => reuse[c.ordinal] === -1);
    timings.assemble = lap();
    let vectors: Float32Array[] | null = null;
    if (embedder) {
      vectors = await embedder.embedPassages(
        fresh.map((c) => passageText(c)),
        (done, total) => options.onProgress?.({ stage: 'embed', done, total }),
      );
    }
    timings.embed = lap();
    const dimension = embedder?.dimension ?? null;
    const onWrite = (stage: WriteStage, done: number, total: number) =>
      options.onProgress?.({ stage, done, total });
    let update: BuildUpdate = { mode: 'full', embeddedChunks: fresh.length, reusedChunks: 0, tombstones: 0 };
    let written: WriteTimings;
    if (stored && from) {
      const result = await writeUpdatedIndexFiles(from.dir, tmpDir, {
        documents,
        chunks,
        reuse,
        vectors,
        dimension,
        reusedDocuments,
        previousFigures: stored.figuresJson,
        ...(prefetch ? { prefetch } : {}),
      });
      stored = null; // the previous index's chunks are not needed any more
      written = result;
      update = {
        mode: result.vectorUpdate?.compacted ? 'compacted' : 'incremental',
        embeddedChunks: fresh.length,
        reusedChunks: chunks.length - fresh.length,
        tombstones: result.vectorUpdate?.tombstones ?? 0,
      };
    } else {
      written = await writeIndexFiles(tmpDir, { documents, chunks, vectors, dimension }, onWrite);
    }
    Object.assign(timings, { vectors: written.vectors, keyword: written.keyword, write: written.write });
    lap();
    const files = await describeIndexFiles(tmpDir);
    timings.checksums = lap();
    const manifest: IndexManifest = {
      ...options.manifest(new Date().toISOString()),
      counts: { documents: documents.length, chunks: chunks.length },
      update,
      files,
    };
    await writeFile(join(tmpDir, INDEX_FILES.manifest), JSON.stringify(manifest, null, 2));
    const legacy = await isLegacyLayout(options.indexDir);
    await publishSnapshot(options.indexDir, snapshot, logger);
    if (legacy) await removeLegacyFiles(options.indexDir);
    timings.publish = lap();
    options.onProgress?.({ stage: 'write', done: 1, total: 1 });
    logger.info(
      { chunks: chunks.length, mode: manifest.embedder.mode, buildMs: manifest.buildMs, update },
      'index built',
    );
    return { manifest, timings };
  } catch (error) {
    // The prefetch may still be copying into the folder.
    await prefetch?.done.catch(() => {});
    await rm(tmpDir, { recursive: true, force: true });
    throw error;
  }
}

/** Text that is embedded for a chunk: its own words plus where it sits, which helps short chunks. */
export function passageText(chunk: Chunk): string {
  const where = [chunk.issuer, chunk.section].filter(Boolean).join(' ');
  return where ? `${where}：${chunk.text}` : chunk.text;
}

/** The corpus's files in path order: those decoded, and those skipped because the index holds their content. */
function corpusFiles(corpus: CorpusLoad): (SourceDocument | UnchangedFile)[] {
  const files: (SourceDocument | UnchangedFile)[] = [...corpus.documents, ...corpus.unchanged];
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** One document of the library being indexed: its identity, and how to structure and chunk it if it is new. */
export interface LibraryEntry {
  id: string;
  contentHash: string;
  /** The structured document and its chunks (chunk ordinals are renumbered by `assembleLibrary`). */
  make: () => { document: StructuredDocument; chunks: Chunk[] };
}

/** What an index build writes, with what it reuses from the previous index. */
export interface AssembledLibrary {
  documents: StructuredDocument[];
  /** Every chunk, ordinals 0, 1, … in document order. */
  chunks: Chunk[];
  /** Per chunk: its ordinal in the previous index, or -1 for a chunk to embed. */
  reuse: Int32Array;
  reusedDocuments: Set<string>;
}

/**
 * The documents and chunks of the new index in `entries` order: a document whose content hash the previous
 * manifest records is taken as stored (its chunks keep their vectors), any other is structured and chunked.
 */
export function assembleLibrary(
  entries: readonly LibraryEntry[],
  previous: { manifest: IndexManifest; documents: StructuredDocument[]; chunks: Chunk[] } | null,
  onDocument?: (done: number) => void,
): AssembledLibrary {
  const previousHash = new Map((previous?.manifest.documents ?? []).map((d) => [d.id, d.contentHash]));
  const storedDocuments = new Map((previous?.documents ?? []).map((d) => [d.id, d]));
  const storedChunks = groupBy(previous?.chunks ?? [], (c) => c.docId);
  const documents: StructuredDocument[] = [];
  const chunks: Chunk[] = [];
  const reuse: number[] = [];
  const reusedDocuments = new Set<string>();
  for (const [i, entry] of entries.entries()) {
    const kept = previousHash.get(entry.id) === entry.contentHash ? storedDocuments.get(entry.id) : undefined;
    if (kept) {
      documents.push(kept);
      reusedDocuments.add(kept.id);
      for (const chunk of storedChunks.get(kept.id) ?? []) {
        reuse.push(chunk.ordinal);
        chunks.push({ ...chunk, ordinal: chunks.length });
      }
    } else {
      const made = entry.make();
      documents.push(made.document);
      for (const chunk of made.chunks) {
        reuse.push(-1);
        chunks.push({ ...chunk, ordinal: chunks.length });
      }
    }
    onDocument?.(i + 1);
  }
  return { documents, chunks, reuse: Int32Array.from(reuse), reusedDocuments };
}

/**
 * Whether the index `previous` describes can be updated in place of a rebuild: same chunking, and vectors from
 * the same model (or none, keyword-only, on both sides). The pipeline version is checked by `readManifest`.
 */
function canUpdate(previous: IndexManifest, options: BuildIndexOptions): boolean {
  const sameChunking =
    previous.chunker.size === options.chunking.size && previous.chunker.overlap === options.chunking.overlap;
  const before =
    previous.embedder.mode === 'dense'
      ? modelKey(previous.embedder.model, previous.embedder.dimension)
      : null;
  const now = options.embedder ? modelKey(options.embedder.modelId, options.embedder.dimension) : null;
  return sameChunking && before === now;
}

function staleReason(
  previous: IndexManifest | null,
  fingerprint: string,
  documents: FingerprintInput['documents'],
  options: BuildIndexOptions,
): string {
  if (options.force) return 'forced';
  if (!previous) return 'no index';
  if (previous.fingerprint === fingerprint) return '';
  if (previous.embedder.mode === 'keyword-only' && options.embedder) return 'embedding model now available';
  // The model is missing now but the index has its vectors: keep them (retrieval runs keyword-only
  // until the model is back) rather than throw them away.
  if (!options.embedder && previous.embedder.mode === 'dense') {
    const withPreviousModel = indexFingerprint({
      documents,
      chunking: options.chunking,
      model: modelKey(previous.embedder.model, previous.embedder.dimension),
    });
    if (withPreviousModel === previous.fingerprint) return '';
  }
  return 'corpus or settings changed';
}

/** Turns an up-to-date index in the older single-folder layout into a snapshot (no re-embedding). */
async function adoptLegacy(
  indexDir: string,
  previous: IndexManifest,
  logger: Logger,
): Promise<IndexManifest> {
  const snapshot = await adoptLegacyLayout(indexDir);
  try {
    const manifest: IndexManifest = { ...previous, files: await describeIndexFiles(snapshot.dir) };
    await writeFile(join(snapshot.dir, INDEX_FILES.manifest), JSON.stringify(manifest, null, 2));
    await publishSnapshot(indexDir, snapshot, logger);
    await removeLegacyFiles(indexDir);
    logger.info({ snapshot: snapshot.name }, 'index moved into a snapshot folder');
    return manifest;
  } catch (error) {
    await rm(snapshot.dir, { recursive: true, force: true });
    throw error;
  }
}
