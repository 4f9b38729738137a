import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { composeAnswer, streamAnswer } from '../answer/compose.js';
import { findIssuerMention, resolveFollowup } from '../answer/followup.js';
import { createDocumentLookup } from '../answer/lists/index.js';
import { answerFromSummary, isDocumentOverviewQuestion, isOverviewQuestion } from '../answer/overview.js';
import { namedScopes, questionShape } from '../answer/question-shape.js';
import { detectQuestionLanguage } from '../answer/text-features.js';
import type { SideLibrary } from '../compare/index.js';
import { compareQuestion, compareTexts, comparisonAnswer, focusComparison } from '../compare/index.js';
import { libraryYear, resolveRelativeYears } from '../compare/relative-years.js';
import type { Config } from '../config/index.js';
import type { Embedder } from '../embeddings/Embedder.js';
import { type EmbedderLoad, loadEmbedder } from '../embeddings/load-embedder.js';
import {
  asCodedError,
  CorpusError,
  ErrorCode,
  IndexError,
  InputError,
  UnknownDocumentError,
  UnknownIssuerError,
  UnknownTargetError,
} from '../errors/index.js';
import { figuresInSpan, queryFigures } from '../figures/query-figures.js';
import { type BuildProgress, type BuildResult, ensureIndex } from '../index/build-index.js';
import { type LoadedIndex, loadIndex, openManifest } from '../index/load-index.js';
import { listSnapshots } from '../index/snapshots.js';
import type { LoaderOptions } from '../ingest/index.js';
import { openingYear } from '../internal/dates.js';
import { groupBy } from '../internal/group-by.js';
import type { KeyValueStore } from '../internal/kv-store.js';
import { once } from '../internal/once.js';
import { longestCommonRun } from '../internal/text-measures.js';
import { setReverseDictionaryCacheDir } from '../keyword/index.js';
import { CircuitBreaker, withCircuitBreaker } from '../llm/circuit-breaker.js';
import type { LlmClient } from '../llm/LlmClient.js';
import { startRequestBudget } from '../llm/request-budget.js';
import type { Logger } from '../logging/logger.js';
import { HybridRetriever } from '../retriever/HybridRetriever.js';
import { retrieveWithRewrites } from '../retriever/llm-retrieval.js';
import { queryScope } from '../retriever/query-scope.js';
import { issuerSummaryInputs } from '../summary/inputs.js';
import { SummaryCache } from '../summary/SummaryCache.js';
import { summarize, summarizeDocument, summarizeDocuments } from '../summary/summarize.js';
import { documentSummaryLines } from '../summary/summary-lines.js';
import type { IssuerSummaryInput } from '../summary/types.js';
import type {
  AnswerEvent,
  Chunk,
  CorpusProblem,
  DocumentInfo,
  DocumentScope,
  EngineStatus,
  Figure,
  Issuer,
  IssuerInfo,
  Question,
  RetrievalQuery,
  RetrievalResult,
  StructuredDocument,
} from '../types.js';
import { exampleQuestions } from './example-questions.js';
import type { PassageContext, PolicyEngine } from './PolicyEngine.js';

export interface CreateEngineOptions {
  /** Injected in tests; otherwise created from `config.llm` (null when no LLM is configured). */
  llm?: LlmClient | null;
  config: Config;
  logger: Logger;
  /** Build or refresh the index before loading it (`npm start`, `policybot index`); default true. */
  ensureIndex?: boolean;
  onProgress?: (progress: BuildProgress) => void;
  /** Injected in tests; otherwise loaded from `config.embedding`. */
  embedderLoad?: EmbedderLoad;
  /** Where summaries are cached beyond this process (shared by replicas with Redis). */
  summaryStore?: KeyValueStore;
  /** A circuit breaker kept across engines (hot reloads keep the LLM's state); a new one otherwise. */
  breaker?: CircuitBreaker | null;
  /** `close()` leaves the embedder running: it belongs to the caller (shared by the engines of each snapshot). */
  keepEmbedder?: boolean;
  /**
   * When the current snapshot cannot be loaded (and was not rebuilt), load the newest older snapshot that passes
   * the integrity check (`loadIndex` `fallback`); `serve` at start-up. Default false: the error is thrown.
   */
  fallbackToPrevious?: boolean;
}

const DEFAULT_BREAKER = { failures: 3, cooldownMs: 30_000 };
const DEFAULT_BUDGET_MS = 30_000;

export interface Engine extends PolicyEngine {
  readonly index: LoadedIndex;
  readonly retriever: HybridRetriever;
  /** Loud start-up warnings (keyword-only mode, test model) for the front ends to print. */
  readonly warnings: string[];
  readonly build: BuildResult | null;
  /** The language model client as given or created (before the circuit breaker), and the breaker. */
  readonly llm: LlmClient | null;
  readonly breaker: CircuitBreaker | null;
}

export function indexDirFor(config: Config): string {
  return join(config.indexDir, 'index');
}

/** How the corpus's files are read, from the configuration (OCR on/off, workers, the OCR cache). */
export function loaderOptions(config: Config): Omit<LoaderOptions, 'onPage'> {
  return {
    ocr: config.ocr.enabled,
    cacheDir: config.ocr.cacheDir,
    ...(config.ocr.workers !== undefined ? { workers: config.ocr.workers } : {}),
  };
}

/** Loads the embedder, builds the index if needed, and opens it. */
export async function openIndex(options: CreateEngineOptions): Promise<{
  index: LoadedIndex;
  embedder: Embedder | null;
  warnings: string[];
  build: BuildResult | null;
  corpusProblems: CorpusProblem[];
}> {
  const { config, logger } = options;
  const load = options.embedderLoad ?? (await loadEmbedder(config.embedding, logger));
  const warnings = load.warning ? [load.warning] : [];
  const indexDir = indexDirFor(config);
  let build: BuildResult | null = null;
  const corpusProblems: CorpusProblem[] = [];
  // A corpus that cannot be read at all (missing folder, no readable file) leaves an existing index serving
  // instead of stopping the server; what could not be read is reported either way.
  let corpusUnreadable: CorpusError | null = null;
  if (options.ensureIndex ?? true) {
    const buildOptions = {
      corpusDir: config.corpusDir,
      indexDir,
      chunking: config.chunking,
      embedder: load.embedder,
      embedderReason: load.embedder ? null : 'embedding model unavailable',
      logger,
      loader: loaderOptions(config),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    };
    try {
      build = await ensureIndex(buildOptions);
      corpusProblems.push(...build.failures.map((f) => ({ path: f.path, message: f.message })));
    } catch (error) {
      const locked = error instanceof IndexError && error.code === ErrorCode.IndexLocked;
      const fallback = options.fallbackToPrevious ?? false;
      if (!(error instanceof CorpusError || locked) || !(await hasIndex(indexDir, fallback))) throw error;
      if (locked)
        warnings.push(`${error.message.split(';')[0]}; answering from the current index meanwhile.`);
      else {
        corpusUnreadable = error;
        corpusProblems.push({ path: config.corpusDir, message: error.message });
      }
    }
  }
  for (const problem of corpusProblems) logger.warn(problem, 'corpus: could not read');
  const index = await loadIndex(indexDir, {
    fallback: options.fallbackToPrevious ?? false,
    int8Copy: config.retrieval.int8Copy,
  });
  if (index.fallbackFrom) {
    logger.error(
      { damaged: index.fallbackFrom.name, reason: index.fallbackFrom.reason, snapshot: index.snapshot },
      'current index snapshot damaged and not rebuilt: answering from the previous snapshot',
    );
    warnings.push(
      `${index.fallbackFrom.reason.split(';')[0]}; answering from the previous snapshot ${index.snapshot}.`,
    );
  }
  let embedder = load.embedder;
  const built = index.manifest.embedder;
  if (
    embedder &&
    built.mode === 'dense' &&
    (built.model !== embedder.modelId || built.dimension !== embedder.dimension)
  ) {
    throw new IndexError(
      ErrorCode.IndexMismatch,
      `Index was built with ${built.model} (${built.dimension}-d) but the embedding model is ${embedder.modelId} (${embedder.dimension}-d); run \`policybot index\``,
    );
  }
  if (embedder && built.mode === 'keyword-only') {
    warnings.push(
      'The index has no dense vectors yet; run `policybot index` to add them. Using keyword-only retrieval.',
    );
    embedder = null;
  }
  if (corpusUnreadable) {
    warnings.push(
      `The corpus cannot be read (${corpusUnreadable.message}); answering from the existing index.`,
    );
  }
  return { index, embedder, warnings, build, corpusProblems };
}

/** Whether there is an index to answer from: a readable current manifest, or (with `orOlder`) any snapshot. */
async function hasIndex(indexDir: string, orOlder: boolean): Promise<boolean> {
  const current = await openManifest(indexDir).then(
    () => true,
    () => false,
  );
  return current || (orOlder && (await listSnapshots(indexDir)).length > 0);
}

/**
 * The engine the front ends talk to. Retrieval is owned here; answer composition and summaries are
 * delegated to the answer layer.
 */
export async function createRetrievalEngine(options: CreateEngineOptions) {
  // The English→Chinese query dictionary takes ~1.4 s to build once; it is cached beside the index.
  setReverseDictionaryCacheDir(join(options.config.indexDir, 'cache'));
  const { index, embedder, warnings, build, corpusProblems } = await openIndex(options);
  const retriever = new HybridRetriever({
    index,
    embedder,
    logger: options.logger,
    ef: options.config.retrieval.hnswEf,
    fusion: options.config.retrieval.fusion,
    keywordWeight: options.config.retrieval.keywordWeight,
    expansion: options.config.retrieval.expansion,
  });
  return { index, embedder, warnings, build, retriever, corpusProblems };
}

export function engineStatus(
  index: LoadedIndex,
  embedder: Embedder | null,
  warnings: string[],
  config: Config,
  extra: { corpusProblems?: CorpusProblem[]; circuit?: CircuitBreaker | null } = {},
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
    llm: {
      configured: config.llm !== null,
      model: config.llm?.model ?? null,
      circuit: extra.circuit?.status() ?? null,
    },
    corpusFingerprint: index.manifest.corpusFingerprint,
    corpusProblems: extra.corpusProblems ?? [],
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

/** The issuer a (fuzzy) name means; an unknown name is a user error listing the known ones. */
export function requireIssuer(retriever: HybridRetriever, name: string): Issuer {
  const issuer = retriever.resolveIssuer(name);
  if (!issuer) {
    throw new UnknownIssuerError(
      name,
      retriever.listIssuers().map((d) => d.short),
    );
  }
  return issuer;
}

/** The documents a name means (id, 文号, title or fragment); none is a user error listing some. */
export function requireDocuments(retriever: HybridRetriever, name: string): string[] {
  const ids = retriever.resolveDocuments(name);
  if (ids.length === 0) {
    throw new UnknownDocumentError(
      name,
      retriever.scope.documents.slice(0, 20).map((d) => d.docNumber ?? d.title),
    );
  }
  return ids;
}

export async function retrieveWithIssuer(
  retriever: HybridRetriever,
  query: RetrievalQuery,
): Promise<RetrievalResult> {
  if (query.issuer) requireIssuer(retriever, query.issuer);
  if (query.doc !== undefined) requireDocuments(retriever, query.doc);
  return retriever.retrieve(query);
}

/** What a summary name means: an issuer, or the documents it names. */
type SummaryTarget = { kind: 'issuer'; issuer: Issuer } | { kind: 'documents'; ids: string[] };

/**
 * Resolves a summary name: `issuer` and `document` force the reading; `auto` takes an issuer's exact name,
 * then a document (id, 文号, title), then an issuer's fuzzy name.
 */
export function resolveSummaryTarget(
  retriever: HybridRetriever,
  name: string,
  kind: 'issuer' | 'document' | 'auto' = 'auto',
): SummaryTarget {
  const wanted = name.trim();
  if (kind === 'issuer') return { kind: 'issuer', issuer: requireIssuer(retriever, wanted) };
  if (kind === 'document') return { kind: 'documents', ids: requireDocuments(retriever, wanted) };
  const issuers = retriever.listIssuers();
  const exact = issuers.find((i) => i.short === wanted || i.full === wanted);
  if (exact) return { kind: 'issuer', issuer: exact };
  const ids = retriever.resolveDocuments(wanted);
  if (ids.length > 0) return { kind: 'documents', ids };
  const fuzzy = retriever.resolveIssuer(wanted);
  if (fuzzy) return { kind: 'issuer', issuer: fuzzy };
  throw new UnknownTargetError(
    wanted,
    issuers.map((d) => d.short),
  );
}

/** Passages retrieved for answering; the answer layer reads the best few of them. */
const ANSWER_PASSAGES = 8;

/**
 * Opens (and if needed builds) the index, then serves answers, summaries and passages.
 * Front ends depend only on the `PolicyEngine` part of the result.
 */
export async function createEngine(options: CreateEngineOptions): Promise<Engine> {
  const { config, logger } = options;
  const { index, embedder, warnings, build, retriever, corpusProblems } =
    await createRetrievalEngine(options);
  let llm: LlmClient | null = options.llm ?? null;
  if (options.llm === undefined && config.llm) {
    // The openai SDK is only loaded when an LLM is configured.
    const { createOpenAiLlm } = await import('../llm/openai-llm.js');
    llm = createOpenAiLlm({ config: config.llm, logger });
  }
  const rawLlm = llm;
  const breaker = llm
    ? (options.breaker ?? new CircuitBreaker({ ...(config.llm?.breaker ?? DEFAULT_BREAKER), logger }))
    : null;
  if (llm && breaker) llm = withCircuitBreaker(llm, breaker);
  /** One budget per user request for all its LLM calls; ended (aborting leftovers) when the request is. */
  const budgetFor = (signal: AbortSignal | undefined, deadline?: number) => {
    const total = config.llm?.budgetMs ?? DEFAULT_BUDGET_MS;
    // The model gets the budget less a reserve for what follows it (the extractive fallback, rendering), so
    // the whole request — not only its LLM calls — fits in the budget.
    const budget = startRequestBudget(total - Math.min(200, Math.round(total * 0.1)), signal);
    return { ...budget, deadline: Math.min(budget.deadline, deadline ?? Number.POSITIVE_INFINITY) };
  };
  const summaries = new SummaryCache(options.summaryStore ? { store: options.summaryStore, logger } : {});
  const summaryInputs = once(() => issuerSummaryInputs(index.documents, index.chunks));
  const issuers = once(() => issuerInfos(summaryInputs()));
  const documents = once(() => documentInfos(index));
  const compareLibrary: SideLibrary = {
    documents: index.documents,
    chunks: index.chunks,
    scope: retriever.scope,
    resolveIssuer: (name) => retriever.resolveIssuer(name),
  };
  const docsById = new Map(index.documents.map((d) => [d.id, d]));
  const thisYear = once(() => libraryYear(index.documents));
  const examples = {
    zh: once(() => exampleQuestions(index.documents, retriever.scope, issuers(), 'zh')),
    en: once(() => exampleQuestions(index.documents, retriever.scope, issuers(), 'en')),
  };
  /** The summary inputs of a channel's document set (all of them without one). */
  const inputsIn = (scope: DocumentScope | undefined) =>
    scope ? summaryInputs().filter((i) => scope.docIds.includes(i.doc.id)) : summaryInputs();
  const inScope = (issuer: Issuer, scope: DocumentScope) =>
    inputsIn(scope).some((i) => i.issuer.short === issuer.short);
  /** The index's figures, each with the passage that holds it. */
  const figuresWithPassages = once((): Figure[] => {
    const byDoc = groupBy(index.chunks, (c) => c.docId);
    return index.figures.map((f) => {
      const chunk = byDoc.get(f.docId)?.find((c) => c.start <= f.valueStart && c.end >= f.valueEnd);
      return { ...f, passageId: chunk?.id ?? null };
    });
  });
  const figuresByDoc = once(() => groupBy(figuresWithPassages(), (f) => f.docId));
  const chunksById = once(() => new Map(index.chunks.map((c) => [c.id, c])));
  const answerDeps = {
    llm,
    logger,
    maxChars: config.answer.maxChars,
    paragraphYear: paragraphYearOf(docsById),
    documents: createDocumentLookup(index.documents, index.chunks),
    figures: {
      figuresOf: (docIds: readonly string[]) => docIds.flatMap((id) => figuresByDoc().get(id) ?? []),
      chunk: (id: string) => chunksById().get(id),
    },
  };

  /**
   * Why this index cannot answer: set when a retrieval fails with anything but a user error (a damaged file read
   * on demand), cleared by the next that succeeds; `/healthz` reports it as degraded.
   */
  let indexProblem: string | null = null;
  const retrieveTracked = async (query: RetrievalQuery): Promise<RetrievalResult> => {
    try {
      const result = await retriever.retrieve(query);
      indexProblem = null;
      return result;
    } catch (error) {
      const coded = asCodedError(error);
      if (coded.category !== 'user') {
        indexProblem = `retrieval failed (${coded.code})`;
        logger.error({ err: error, code: coded.code }, 'retrieval failed on the index');
      }
      throw error;
    }
  };

  /** Follow-up rewriting and retrieval: the shared front half of `answer` and `answerStream`. */
  const prepare = async (question: Question) => {
    if (!question.text.trim()) throw new InputError('The question is empty.');
    const explicit = question.issuer ? requireIssuer(retriever, question.issuer).short : undefined;
    if (question.doc !== undefined) requireDocuments(retriever, question.doc);
    const resolved = await resolveFollowup(question, {
      llm,
      resolveIssuer: (name) => retriever.resolveIssuer(name),
      logger,
    });
    const issuer = explicit ?? resolved.issuer;
    const query: RetrievalQuery = { text: resolved.query, k: ANSWER_PASSAGES };
    if (issuer) query.issuer = issuer;
    if (question.doc !== undefined) query.doc = question.doc;
    if (question.year !== undefined) query.year = question.year;
    if (question.language) query.language = question.language;
    if (question.scope) query.docIds = question.scope.docIds;
    const plain =
      llm && config.llm?.retrieval
        ? await retrieveWithRewrites((q) => retrieveTracked(q), query, {
            llm,
            logger,
            requestId: question.requestId,
            ...(question.signal ? { signal: question.signal } : {}),
            ...(question.deadline !== undefined ? { deadline: question.deadline } : {}),
          })
        : await retrieveTracked(query);
    const retrieval = await retrieveEachScope(retriever, query, plain, index.documents);
    logger.debug(
      {
        requestId: question.requestId,
        query: resolved.query,
        issuer,
        top: retrieval.passages.slice(0, 3).map((p) => ({ id: p.chunk.id, score: p.score })),
        retrieveMs: retrieval.timings.totalMs,
      },
      'retrieved',
    );
    // With rewrites, the search that found the best passage is what the answer is composed against.
    return { query: retrieval.query === query.text ? resolved.query : retrieval.query, issuer, retrieval };
  };

  /** "专利代理条例讲了什么？" — a question asking what one named document says — is answered from its summary. */
  const documentOverview = async (
    question: Question,
    query: string,
    retrieveMs: number,
    startedMs: number,
  ) => {
    const named = queryScope(question.text, retriever.scope).documents.filter(
      (d) => d.reason === 'title' || d.reason === 'doc-number',
    );
    const doc = named.length === 1 ? retriever.scope.documents.find((d) => d.id === named[0]?.id) : undefined;
    if (!doc) return null;
    const names = [doc.title, doc.titleCore, doc.docNumber ?? '', doc.docNumberCode ?? ''].filter(Boolean);
    if (!isDocumentOverviewQuestion(question.text, names)) return null;
    const language = question.language ?? detectQuestionLanguage(question.text);
    const summary = await engine.summary(doc.id, {
      target: 'document',
      language,
      requestId: question.requestId,
      ...(question.signal ? { signal: question.signal } : {}),
      ...(question.deadline ? { deadline: question.deadline } : {}),
    });
    return answerFromSummary(question, query, summary, language, { retrieveMs, startedMs }, 'first');
  };

  /** Overview questions about one issuer are answered from its summary (see answer/overview.ts). */
  const overview = async (
    question: Question,
    query: string,
    issuer: string | undefined,
    retrieveMs: number,
    startedMs: number,
  ) => {
    // An explicit document or year filter asks about those documents' passages, not an overview.
    if (question.doc !== undefined || question.year !== undefined) return null;
    const fromDocument = await documentOverview(question, query, retrieveMs, startedMs);
    if (fromDocument) return fromDocument;
    const mention = findIssuerMention(question.text, (n) => retriever.resolveIssuer(n));
    const found = retriever.resolveIssuer(issuer ?? mention?.issuer.short ?? '');
    if (!found) return null;
    // In a channel's document set, an issuer outside it is answered by (scoped) retrieval, not its summary.
    if (question.scope && !inScope(found, question.scope)) return null;
    // The issuer's own names are not a topic: "科技司要做哪些工作？" asks for the whole plan.
    const names = [found.short, found.full, mention?.mention ?? '', question.issuer ?? ''].filter(Boolean);
    if (!isOverviewQuestion(question.text, names)) return null;
    const named = found.short;
    const language = question.language ?? detectQuestionLanguage(question.text);
    const summary = await engine.summary(named, {
      language,
      requestId: question.requestId,
      ...(question.signal ? { signal: question.signal } : {}),
      ...(question.deadline ? { deadline: question.deadline } : {}),
      ...(question.scope ? { scope: question.scope } : {}),
    });
    return answerFromSummary(question, query, summary, language, { retrieveMs, startedMs });
  };

  /**
   * A chat question asking what changed between two years or documents ("2022年和2021年相比有什么变化？") is
   * answered with a comparison (see compare/question.ts); null when it is not one or names nothing comparable.
   */
  const comparedAnswer = async (question: Question, startedMs: number) => {
    // "今年和去年比" names the library's newest year and the one before it (see compare/relative-years.ts).
    const text = resolveRelativeYears(question.text, thisYear);
    const asked = compareQuestion(text, compareLibrary.scope, (n) => retriever.resolveIssuer(n));
    if (!asked) return null;
    const comparison = await engine
      .compare({
        ...asked,
        requestId: question.requestId,
        language: question.language ?? detectQuestionLanguage(question.text),
        ...(question.signal ? { signal: question.signal } : {}),
        ...(question.deadline ? { deadline: question.deadline } : {}),
      })
      .catch((error: unknown) => {
        if (error instanceof InputError) return null;
        throw error;
      });
    const focused = comparison ? focusComparison(comparison, text, asked.names) : null;
    return focused ? comparisonAnswer(question, focused, { startedMs }) : null;
  };

  const engine: Engine = {
    index,
    retriever,
    warnings,
    build,
    llm: rawLlm,
    breaker,
    status: () => ({
      ...engineStatus(index, embedder, warnings, config, { corpusProblems, circuit: breaker }),
      indexProblem,
    }),
    retrieve: async (query) => {
      if (query.issuer) requireIssuer(retriever, query.issuer);
      return retrieveTracked(query);
    },
    async answer(asked) {
      const startedMs = performance.now();
      const budget = budgetFor(asked.signal);
      const question = { ...asked, signal: budget.signal, deadline: budget.deadline };
      const answer = await (async () => {
        const compared = await comparedAnswer(question, startedMs);
        if (compared) return compared;
        const { query, issuer, retrieval } = await prepare(question);
        return (
          (await overview(question, query, issuer, retrieval.timings.totalMs, startedMs)) ??
          (await composeAnswer(question, query, retrieval, answerDeps))
        );
      })().finally(() => budget.end());
      logger.info(
        {
          requestId: question.requestId,
          answerId: answer.id,
          mode: answer.mode,
          refused: answer.refused,
          ms: answer.timings.totalMs,
        },
        'answered',
      );
      return answer;
    },
    async *answerStream(asked): AsyncIterable<AnswerEvent> {
      const startedMs = performance.now();
      const budget = budgetFor(asked.signal);
      const question = { ...asked, signal: budget.signal, deadline: budget.deadline };
      try {
        const compared = await comparedAnswer(question, startedMs);
        if (compared) {
          yield { type: 'delta', text: compared.text };
          yield { type: 'final', answer: compared };
          return;
        }
        const { query, issuer, retrieval } = await prepare(question);
        const fromSummary = await overview(question, query, issuer, retrieval.timings.totalMs, startedMs);
        if (fromSummary) {
          yield { type: 'delta', text: fromSummary.text };
          yield { type: 'final', answer: fromSummary };
          return;
        }
        yield* streamAnswer(question, query, retrieval, answerDeps);
      } finally {
        budget.end();
      }
    },
    async summary(name, summaryOptions = {}) {
      const target = name === null ? null : resolveSummaryTarget(retriever, name, summaryOptions.target);
      const issuer = target?.kind === 'issuer' ? target.issuer : null;
      const docIds = target?.kind === 'documents' ? target.ids : null;
      // A document is named by its id, 文号 or title: English only when the name is English words.
      const english = name !== null && detectQuestionLanguage(name) === 'en';
      const language =
        summaryOptions.language ??
        (english && (!docIds || /[a-z]+\s+[a-z]+/iu.test(name ?? '')) ? 'en' : 'zh');
      const { scope } = summaryOptions;
      if (issuer && scope && !inScope(issuer, scope)) {
        throw new UnknownIssuerError(name ?? '', [...new Set(inputsIn(scope).map((i) => i.issuer.short))]);
      }
      const key = {
        fingerprint: index.manifest.corpusFingerprint,
        issuer: issuer?.short ?? null,
        language,
        mode: llm ? ('llm' as const) : ('extractive' as const),
        ...(docIds ? { documents: docIds.join('\0') } : {}),
        ...(scope ? { scope: scopeKey(scope) } : {}),
      };
      return summaries.getOrCreate(key, () => {
        const budget = budgetFor(summaryOptions.signal, summaryOptions.deadline);
        const deps = {
          llm,
          logger,
          language,
          requestId: summaryOptions.requestId ?? randomUUID(),
          signal: budget.signal,
          deadline: budget.deadline,
        };
        const docs = (docIds ?? []).map((id) => docsById.get(id)).filter((d) => d !== undefined);
        const run = async () => {
          if (!docIds) return summarize(issuer, inputsIn(scope), deps, index.chunks);
          const [only] = docs;
          if (docs.length === 1 && only) return summarizeDocument(only, index.chunks, deps);
          return summarizeDocuments(name ?? '', docs, index.chunks, deps);
        };
        return run().finally(() => budget.end());
      });
    },
    async compare(request) {
      const budget = budgetFor(request.signal, request.deadline);
      try {
        const sides = {
          before: resolveRelativeYears(request.before, thisYear),
          after: request.after ? resolveRelativeYears(request.after, thisYear) : request.after,
        };
        return await compareTexts(
          { ...request, ...sides, signal: budget.signal, deadline: budget.deadline },
          { library: compareLibrary, llm, logger },
        );
      } finally {
        budget.end();
      }
    },
    exampleQuestions: (language) => examples[language](),
    issuers,
    documents,
    documentSummary: (docId) => {
      const doc = docsById.get(docId);
      return doc ? documentSummaryLines(doc, index.chunks) : [];
    },
    resolveIssuer: (name) => retriever.resolveIssuer(name),
    passage: (id) => passageContext(index, id),
    figures(query = {}) {
      if (query.issuer) requireIssuer(retriever, query.issuer);
      // A document by its id (digests, one per new document): its own figures, not a scan of the library's.
      const own = query.doc !== undefined ? figuresByDoc().get(query.doc) : undefined;
      return queryFigures(own ?? figuresWithPassages(), query, {
        resolveIssuer: (name) => retriever.resolveIssuer(name),
        documents: index.documents,
      });
    },
    passageFigures(passageId) {
      const chunk = index.chunks.find((c) => c.id === passageId);
      return chunk ? figuresInSpan(index.figures, chunk.docId, chunk.start, chunk.end) : [];
    },
    async close() {
      index.keyword.close();
      index.vectors?.close();
      if (!options.keepEmbedder) await embedder?.dispose();
    },
  };
  return engine;
}

function documentInfos(index: LoadedIndex): DocumentInfo[] {
  const counts = new Map<string, number>();
  for (const c of index.chunks) counts.set(c.docId, (counts.get(c.docId) ?? 0) + 1);
  return index.documents.map((doc) => {
    const top = Math.min(...doc.sections.filter((s) => s.part === 0).map((s) => s.rank));
    return {
      id: doc.id,
      path: doc.sourcePath,
      meta: doc.meta,
      chunkCount: counts.get(doc.id) ?? 0,
      sections: doc.sections.filter((s) => s.part === 0 && s.rank === top).map((s) => s.heading),
    };
  });
}

function issuerInfos(inputs: IssuerSummaryInput[]): IssuerInfo[] {
  return inputs.map(({ issuer, part, doc, chunks, sections }) => ({
    short: issuer.short,
    full: issuer.full,
    docId: doc.id,
    partTitle: part.title,
    chunkCount: chunks.length,
    sections: sections.map((s) => s.heading),
  }));
}

/** A document set as a short cache key: the same documents give the same key, whatever the set is called. */
function scopeKey(scope: DocumentScope): string {
  const ids = [...new Set(scope.docIds)].sort();
  return createHash('sha256').update(ids.join('\0')).digest('hex').slice(0, 16);
}

/**
 * Documents a scope names: a year their date or title holds, a region their region or title names, or a title
 * sharing a run of four characters or more with the scope ("国家新型储能通知" → "…推动新型储能参与电力市场…的通知").
 */
function scopeDocuments(scope: string, documents: readonly StructuredDocument[]): string[] {
  const year = /^((?:19|20)\d{2})年$/u.exec(scope)?.[1];
  const hits = documents.filter((d) => {
    const title = d.meta.title;
    if (year) return (d.meta.date ?? '').startsWith(year) || title.includes(scope);
    if (title.includes(scope) || (d.meta.region?.name.includes(scope) ?? false)) return true;
    return longestCommonRun(scope, title).length >= 4;
  });
  return hits.length < documents.length ? hits.map((d) => d.id) : [];
}

/** Passages added for each scope a multi-scope question names. */
const SCOPE_PASSAGES = 3;

/**
 * A question over several named scopes (浙江和四川, 1996年和1997年, 结合A和B) may retrieve passages of one of them
 * only; each scope is retrieved on its own too (the question without the other scopes) and its best passages
 * not yet present are appended, so the list answer can group items per document.
 */
export async function retrieveEachScope(
  retriever: HybridRetriever,
  query: RetrievalQuery,
  retrieval: RetrievalResult,
  documents: readonly StructuredDocument[],
): Promise<RetrievalResult> {
  if (!questionShape(query.text).multi) return retrieval;
  const scopes = namedScopes(query.text);
  if (scopes.length < 2) return retrieval;
  const passages = [...retrieval.passages];
  const seen = new Set(passages.map((p) => p.chunk.id));
  for (const scope of scopes) {
    // Within the documents the scope names (its title, year or region) the question is asked without any scope;
    // without such documents, without the other scopes.
    // …and never outside the caller's own document set (a channel's scope).
    const docIds = scopeDocuments(scope, documents).filter(
      (id) => !query.docIds || query.docIds.includes(id),
    );
    let text = query.text;
    for (const other of scopes) if (other !== scope || docIds.length > 0) text = text.split(other).join('');
    const own = await retriever.retrieve({ ...query, text, ...(docIds.length > 0 ? { docIds } : {}) });
    for (const p of own.passages.filter((x) => !seen.has(x.chunk.id)).slice(0, SCOPE_PASSAGES)) {
      seen.add(p.chunk.id);
      passages.push(p);
    }
  }
  return { ...retrieval, passages };
}

/**
 * The year a chunk's paragraph opens with ("2021年，…"), from the stored document structure; read when asked
 * (only answering documents' paragraphs are made, see compact-store.ts).
 */
function paragraphYearOf(docsById: ReadonlyMap<string, StructuredDocument>): (chunk: Chunk) => number | null {
  return (chunk) => {
    const doc = docsById.get(chunk.docId);
    if (!doc) return null;
    const at = doc.paragraphs[chunk.paragraphIndex];
    const p =
      at?.index === chunk.paragraphIndex ? at : doc.paragraphs.find((x) => x.index === chunk.paragraphIndex);
    return p ? openingYear(doc.cleanedText.slice(p.start, p.start + 16)) : null;
  };
}
