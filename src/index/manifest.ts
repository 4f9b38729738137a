import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ErrorCode, IndexError } from '../errors/index.js';

/** Bumped whenever cleaning, structure detection, chunking or the on-disk layout changes meaning. */
export const PIPELINE_VERSION = 8;

export const INDEX_FILES = {
  manifest: 'manifest.json',
  documents: 'documents.json',
  /** Every document's cleaned text, concatenated, UTF-16LE (see compact-store.ts). */
  documentsText: 'documents.utf16',
  /** Every document's paragraphs and sections as rows of integers (see structure-columns.ts). */
  documentsStructure: 'documents.structure',
  chunks: 'chunks.json',
  vectors: 'vectors.hnsw',
  keyword: 'keyword.sqlite',
  /** Key figures of every document (src/figures/); recomputed from the documents when missing or older. */
  figures: 'figures.json',
} as const;

const manifestSchema = z.object({
  pipelineVersion: z.number().int(),
  createdAt: z.string(),
  fingerprint: z.string(),
  corpusFingerprint: z.string(),
  documents: z.array(
    z.object({
      id: z.string(),
      path: z.string(),
      contentHash: z.string(),
      /** When this content of the document was first indexed (ISO); absent in manifests older than the field. */
      indexedAt: z.string().optional(),
    }),
  ),
  chunker: z.object({ size: z.number().int(), overlap: z.number().int() }),
  embedder: z.object({
    mode: z.enum(['dense', 'keyword-only']),
    model: z.string().nullable(),
    dimension: z.number().int().nullable(),
    isTestModel: z.boolean(),
    /** Why the index has no vectors, when it has none. */
    reason: z.string().nullable(),
  }),
  counts: z.object({ documents: z.number().int(), chunks: z.number().int() }),
  /** Files that could not be read when the index was built (never absolute paths: relative to the corpus). */
  failures: z.array(z.object({ path: z.string(), reason: z.string(), message: z.string() })),
  buildMs: z.number(),
  /**
   * How the build was made: `full` (everything chunked and embedded), `incremental` (only added and changed
   * documents; the others' chunks and vectors reused), `compacted` (incremental, and the vector graph rebuilt from
   * stored vectors because tombstones piled up). Absent in manifests older than incremental updates.
   */
  update: z
    .object({
      mode: z.enum(['full', 'incremental', 'compacted']),
      embeddedChunks: z.number().int(),
      reusedChunks: z.number().int(),
      /** Replaced vectors still in the graph as deleted slots. */
      tombstones: z.number().int(),
    })
    .optional(),
  /**
   * Every other file of the snapshot with its size and SHA-256 (see integrity.ts): sizes are checked at each load,
   * checksums when publishing and by `policybot doctor --verify`. Absent in manifests written before snapshots.
   */
  files: z
    .array(z.object({ name: z.string(), bytes: z.number().int().nonnegative(), sha256: z.string() }))
    .optional(),
});

export type IndexManifest = z.infer<typeof manifestSchema>;
export type BuildUpdate = NonNullable<IndexManifest['update']>;

const REBUILD_HINT = 'run `policybot index --force` to rebuild it';

/** Reads and validates the manifest; a missing or unreadable one fails with a message naming the fix. */
export async function readManifest(indexDir: string): Promise<IndexManifest> {
  const file = join(indexDir, INDEX_FILES.manifest);
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (error) {
    throw new IndexError(
      ErrorCode.IndexMissing,
      `No index at ${indexDir}: run \`policybot index\` to build it`,
      {
        cause: error,
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new IndexError(ErrorCode.IndexCorrupt, `Index manifest ${file} is corrupt; ${REBUILD_HINT}`, {
      cause: error,
    });
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new IndexError(ErrorCode.IndexCorrupt, `Index manifest ${file} is invalid; ${REBUILD_HINT}`, {
      cause: parsed.error,
    });
  }
  if (parsed.data.pipelineVersion !== PIPELINE_VERSION) {
    throw new IndexError(
      ErrorCode.IndexMismatch,
      `Index at ${indexDir} was built by pipeline version ${parsed.data.pipelineVersion}, this is ${PIPELINE_VERSION}; ${REBUILD_HINT}`,
    );
  }
  return parsed.data;
}

export { REBUILD_HINT };
