import { loadEmbedder } from '../embeddings/load-embedder.js';
import { asCodedError } from '../errors/index.js';
import { readSnapshotPointer } from '../index/snapshots.js';
import type { AnswerEvent, SnapshotStatus } from '../types.js';
import { type CreateEngineOptions, createEngine, type Engine, indexDirFor } from './createEngine.js';

export interface ReloadingEngineOptions extends CreateEngineOptions {
  /** Milliseconds between looks at the snapshot pointer; 0: only when `reload()` is called. */
  pollMs: number;
}

export interface ReloadingEngine extends Engine {
  /**
   * Looks at the snapshot pointer now and switches to a newer snapshot if there is one. Resolves to true when it
   * switched; a snapshot that cannot be loaded is refused (kept in `status().snapshot.refused`) and the engine
   * goes on with the one it has.
   */
  reload(): Promise<boolean>;
}

/** An engine and the requests running on it; retired engines are closed when their last request ends. */
interface Generation {
  engine: Engine;
  loadedAt: string;
  active: number;
  retired: boolean;
}

/**
 * The engine `serve` runs: one `createEngine` per index snapshot, switched when `policybot index` publishes a new
 * one (the pointer is polled every `pollMs`). Each request holds the engine it started on until it ends, so
 * in-flight answers and streams finish on the old snapshot, whose files are closed after the last of them. The
 * embedding model, the language model client and its circuit breaker are shared by all generations.
 */
export async function createReloadingEngine(options: ReloadingEngineOptions): Promise<ReloadingEngine> {
  const { config, logger } = options;
  const embedderLoad = options.embedderLoad ?? (await loadEmbedder(config.embedding, logger));
  // At start only: a damaged current snapshot that cannot be rebuilt gives way to the newest good older one.
  const first = await createEngine({
    ...options,
    embedderLoad,
    keepEmbedder: true,
    fallbackToPrevious: true,
  });
  // A failure here is kept by the engine (`status().indexProblem`, /healthz degraded); serving starts anyway.
  await probe(first).catch(() => {});
  const indexDir = indexDirFor(config);
  let current: Generation = { engine: first, loadedAt: new Date().toISOString(), active: 0, retired: false };
  let refused: SnapshotStatus['refused'] = null;
  let checking: Promise<boolean> | null = null;
  let closed = false;

  const acquire = (): Generation => {
    const generation = current;
    generation.active++;
    return generation;
  };
  const release = (generation: Generation): void => {
    generation.active--;
    if (generation.retired && generation.active === 0) void closeGeneration(generation);
  };
  const closeGeneration = async (generation: Generation): Promise<void> => {
    await generation.engine.close().catch((error: unknown) => {
      logger.warn({ err: error }, 'closing a retired index snapshot failed');
    });
  };
  /** Runs `run` on the current engine, holding it until the promise settles. */
  const withEngine = async <T>(run: (engine: Engine) => Promise<T>): Promise<T> => {
    const generation = acquire();
    try {
      return await run(generation.engine);
    } finally {
      release(generation);
    }
  };

  const check = async (): Promise<boolean> => {
    const pointer = await readSnapshotPointer(indexDir).catch(() => null);
    if (
      closed ||
      pointer === null ||
      pointer === current.engine.index.snapshot ||
      pointer === refused?.name ||
      pointer === current.engine.index.fallbackFrom?.name
    ) {
      return false;
    }
    let next: Engine;
    try {
      next = await createEngine({
        ...options,
        ensureIndex: false,
        embedderLoad,
        keepEmbedder: true,
        llm: first.llm,
        breaker: first.breaker,
      });
      await probe(next).catch(async (error: unknown) => {
        await next.close();
        throw error;
      });
    } catch (error) {
      const reason = asCodedError(error).message.split('\n')[0] ?? 'cannot be loaded';
      refused = { name: pointer, reason };
      logger.error(
        { snapshot: pointer, reason },
        'index snapshot refused; still answering from the one loaded',
      );
      return false;
    }
    if (closed) {
      await next.close();
      return false;
    }
    const previous = current;
    current = { engine: next, loadedAt: new Date().toISOString(), active: 0, retired: false };
    refused = null;
    previous.retired = true;
    if (previous.active === 0) void closeGeneration(previous);
    logger.info(
      {
        snapshot: next.index.snapshot,
        previous: previous.engine.index.snapshot,
        chunks: next.index.chunks.length,
      },
      'index snapshot loaded',
    );
    return true;
  };
  const reload = (): Promise<boolean> => {
    // One look at a time: a slow load is not started twice by the timer.
    checking ??= check().finally(() => {
      checking = null;
    });
    return checking;
  };
  const timer =
    options.pollMs > 0
      ? setInterval(() => {
          void reload();
        }, options.pollMs)
      : null;
  timer?.unref();

  return {
    get index() {
      return current.engine.index;
    },
    get retriever() {
      return current.engine.retriever;
    },
    get warnings() {
      return current.engine.warnings;
    },
    get build() {
      return current.engine.build;
    },
    get llm() {
      return current.engine.llm;
    },
    get breaker() {
      return current.engine.breaker;
    },
    reload,
    status: () => ({
      ...current.engine.status(),
      snapshot: {
        current: current.engine.index.snapshot,
        loadedAt: current.loadedAt,
        refused,
        fallbackFrom: current.engine.index.fallbackFrom,
      },
    }),
    retrieve: (query) => withEngine((engine) => engine.retrieve(query)),
    answer: (question) => withEngine((engine) => engine.answer(question)),
    async *answerStream(question): AsyncIterable<AnswerEvent> {
      const generation = acquire();
      try {
        yield* generation.engine.answerStream(question);
      } finally {
        release(generation);
      }
    },
    summary: (issuer, summaryOptions) => withEngine((engine) => engine.summary(issuer, summaryOptions)),
    compare: (request) => withEngine((engine) => engine.compare(request)),
    exampleQuestions: (language) => current.engine.exampleQuestions(language),
    documentSummary: (docId) => current.engine.documentSummary(docId),
    figures: (query) => current.engine.figures(query),
    passageFigures: (passageId) => current.engine.passageFigures(passageId),
    issuers: () => current.engine.issuers(),
    documents: () => current.engine.documents(),
    resolveIssuer: (name) => current.engine.resolveIssuer(name),
    passage: (id) => current.engine.passage(id),
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      await checking?.catch(() => {});
      await current.engine.close();
      await embedderLoad.embedder?.dispose();
    },
  };
}

/** One retrieval of the index's own first passage: a snapshot that cannot answer it cannot answer anything. */
async function probe(engine: Engine): Promise<void> {
  const chunk = engine.index.chunks[0];
  if (chunk) await engine.retrieve({ text: chunk.text.slice(0, 40), k: 1 });
}
