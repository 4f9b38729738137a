import { join } from 'node:path';
import type { Config } from '../config/index.js';
import type { Embedder } from '../embeddings/Embedder.js';
import { type EmbedderLoad, loadEmbedder } from '../embeddings/load-embedder.js';
import { ErrorCode, IndexError, UnknownDepartmentError } from '../errors/index.js';
import { type BuildProgress, type BuildResult, ensureIndex } from '../index/build-index.js';
import { type LoadedIndex, loadIndex } from '../index/load-index.js';
import type { Logger } from '../logging/logger.js';
import { HybridRetriever } from '../retriever/HybridRetriever.js';
import type { EngineStatus, RetrievalQuery, RetrievalResult } from '../types.js';
import type { PassageContext, PolicyEngine } from './PolicyEngine.js';

export interface CreateEngineOptions {
  config: Config;
  logger: Logger;
  /** Build or refresh the index before loading it (`npm start`, `policybot index`); default true. */
  ensureIndex?: boolean;
  onProgress?: (progress: BuildProgress) => void;
  /** Injected in tests; otherwise loaded from `config.embedding`. */
  embedderLoad?: EmbedderLoad;
}

export interface Engine extends PolicyEngine {
  readonly index: LoadedIndex;
  readonly retriever: HybridRetriever;
  /** Loud start-up warnings (keyword-only mode, test model) for the front ends to print. */
  readonly warnings: string[];
  readonly build: BuildResult | null;
}

export function indexDirFor(config: Config): string {
  return join(config.indexDir, 'index');
}

/** Loads the embedder, builds the index if needed, and opens it. */
export async function openIndex(options: CreateEngineOptions): Promise<{
  index: LoadedIndex;
  embedder: Embedder | null;
  warnings: string[];
  build: BuildResult | null;
}> {
  const { config, logger } = options;
  const load = options.embedderLoad ?? (await loadEmbedder(config.embedding, logger));
  const warnings = load.warning ? [load.warning] : [];
  const indexDir = indexDirFor(config);
  let build: BuildResult | null = null;
  if (options.ensureIndex ?? true) {
    const buildOptions = {
      corpusDir: config.corpusDir,
      indexDir,
      chunking: config.chunking,
      embedder: load.embedder,
      embedderReason: load.embedder ? null : 'embedding model unavailable',
      logger,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    };
    build = await ensureIndex(buildOptions);
  }
  const index = await loadIndex(indexDir);
  let embedder = load.embedder;
  const built = index.manifest.embedder;
  if (embedder && built.mode === 'dense' && built.model !== embedder.modelId) {
    throw new IndexError(
      ErrorCode.IndexMismatch,
      `Index was built with ${built.model} but the embedding model is ${embedder.modelId}; run \`policybot index\``,
    );
  }
  if (embedder && built.mode === 'keyword-only') {
    warnings.push(
      'The index has no dense vectors yet; run `policybot index` to add them. Using keyword-only retrieval.',
    );
    embedder = null;
  }
  return { index, embedder, warnings, build };
}

/**
 * The engine the front ends talk to. Retrieval is owned here; answer composition and summaries are
 * delegated to the answer layer.
 */
export async function createRetrievalEngine(options: CreateEngineOptions) {
  const { index, embedder, warnings, build } = await openIndex(options);
  const retriever = new HybridRetriever({
    index,
    embedder,
    logger: options.logger,
    ef: options.config.retrieval.hnswEf,
    fusion: options.config.retrieval.fusion,
    keywordWeight: options.config.retrieval.keywordWeight,
  });
  return { index, embedder, warnings, build, retriever };
}

export function engineStatus(
  index: LoadedIndex,
  embedder: Embedder | null,
  warnings: string[],
  config: Config,
): EngineStatus {
  return {
    indexLoaded: true,
    chunkCount: index.chunks.length,
    documentCount: index.documents.length,
    embedder: {
      mode: embedder ? 'dense' : 'keyword-only',
      model: embedder ? embedder.modelId : null,
      reason: embedder
        ? embedder.isTestModel
          ? 'TEST MODEL with random weights'
          : null
        : (warnings[0] ?? null),
    },
    llm: { configured: config.llm !== null, model: config.llm?.model ?? null },
    corpusFingerprint: index.manifest.corpusFingerprint,
  };
}

export function passageContext(index: LoadedIndex, id: string): PassageContext | null {
  const chunk = index.chunks.find((c) => c.id === id);
  if (!chunk) return null;
  const doc = index.documents.find((d) => d.id === chunk.docId);
  if (!doc) return { chunk, context: chunk.text, contextStart: chunk.start };
  const paragraphs = doc.paragraphs.filter((p) => p.end > chunk.start && p.start < chunk.end);
  const start = Math.min(chunk.start, ...paragraphs.map((p) => p.start));
  const end = Math.max(chunk.end, ...paragraphs.map((p) => p.end));
  return { chunk, context: doc.cleanedText.slice(start, end), contextStart: start };
}

export async function retrieveWithDepartment(
  retriever: HybridRetriever,
  query: RetrievalQuery,
): Promise<RetrievalResult> {
  if (query.department && !retriever.resolveDepartment(query.department)) {
    throw new UnknownDepartmentError(
      query.department,
      retriever.listDepartments().map((d) => d.short),
    );
  }
  return retriever.retrieve(query);
}
