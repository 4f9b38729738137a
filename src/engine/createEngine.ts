import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { composeAnswer, streamAnswer } from '../answer/compose.js';
import { findDepartmentMention, resolveFollowup } from '../answer/followup.js';
import { answerFromSummary, isOverviewQuestion } from '../answer/overview.js';
import { detectQuestionLanguage } from '../answer/text-features.js';
import type { Config } from '../config/index.js';
import type { Embedder } from '../embeddings/Embedder.js';
import { type EmbedderLoad, loadEmbedder } from '../embeddings/load-embedder.js';
import { ErrorCode, IndexError, InputError, UnknownDepartmentError } from '../errors/index.js';
import { type BuildProgress, type BuildResult, ensureIndex } from '../index/build-index.js';
import { type LoadedIndex, loadIndex } from '../index/load-index.js';
import { setReverseDictionaryCacheDir } from '../keyword/index.js';
import type { LlmClient } from '../llm/LlmClient.js';
import type { Logger } from '../logging/logger.js';
import { HybridRetriever } from '../retriever/HybridRetriever.js';
import { SummaryCache } from '../summary/SummaryCache.js';
import { summarize } from '../summary/summarize.js';
import type { DepartmentSummaryInput } from '../summary/types.js';
import type {
  AnswerEvent,
  Chunk,
  Department,
  DepartmentInfo,
  EngineStatus,
  Question,
  RetrievalQuery,
  RetrievalResult,
} from '../types.js';
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
  return { index, embedder, warnings, build };
}

/**
 * The engine the front ends talk to. Retrieval is owned here; answer composition and summaries are
 * delegated to the answer layer.
 */
export async function createRetrievalEngine(options: CreateEngineOptions) {
  // The English→Chinese query dictionary takes ~1.4 s to build once; it is cached beside the index.
  setReverseDictionaryCacheDir(join(options.config.indexDir, 'cache'));
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

/** The department a (fuzzy) name means; an unknown name is a user error listing the known ones. */
export function requireDepartment(retriever: HybridRetriever, name: string): Department {
  const department = retriever.resolveDepartment(name);
  if (!department) {
    throw new UnknownDepartmentError(
      name,
      retriever.listDepartments().map((d) => d.short),
    );
  }
  return department;
}

export async function retrieveWithDepartment(
  retriever: HybridRetriever,
  query: RetrievalQuery,
): Promise<RetrievalResult> {
  if (query.department) requireDepartment(retriever, query.department);
  return retriever.retrieve(query);
}

/** Passages retrieved for answering; the answer layer reads the best few of them. */
const ANSWER_PASSAGES = 8;

/**
 * Opens (and if needed builds) the index, then serves answers, summaries and passages.
 * Front ends depend only on the `PolicyEngine` part of the result.
 */
export async function createEngine(options: CreateEngineOptions): Promise<Engine> {
  const { config, logger } = options;
  const { index, embedder, warnings, build, retriever } = await createRetrievalEngine(options);
  let llm: LlmClient | null = options.llm ?? null;
  if (options.llm === undefined && config.llm) {
    // The openai SDK is only loaded when an LLM is configured.
    const { createOpenAiLlm } = await import('../llm/openai-llm.js');
    llm = createOpenAiLlm({ config: config.llm, logger });
  }
  const summaries = new SummaryCache();
  const summaryInputs = departmentSummaryInputs(index);
  const departments = departmentInfos(summaryInputs);
  const answerDeps = { llm, logger, maxChars: config.answer.maxChars, paragraphYear: paragraphYearOf(index) };

  /** Follow-up rewriting and retrieval: the shared front half of `answer` and `answerStream`. */
  const prepare = async (question: Question) => {
    if (!question.text.trim()) throw new InputError('The question is empty.');
    const explicit = question.department
      ? requireDepartment(retriever, question.department).short
      : undefined;
    const resolved = await resolveFollowup(question, {
      llm,
      resolveDepartment: (name) => retriever.resolveDepartment(name),
      logger,
    });
    const department = explicit ?? resolved.department;
    const query: RetrievalQuery = { text: resolved.query, k: ANSWER_PASSAGES };
    if (department) query.department = department;
    if (question.language) query.language = question.language;
    const retrieval = await retriever.retrieve(query);
    logger.debug(
      {
        requestId: question.requestId,
        query: resolved.query,
        department,
        top: retrieval.passages.slice(0, 3).map((p) => ({ id: p.chunk.id, score: p.score })),
        retrieveMs: retrieval.timings.totalMs,
      },
      'retrieved',
    );
    return { query: resolved.query, department, retrieval };
  };

  /** Overview questions about one department are answered from its summary (see answer/overview.ts). */
  const overview = async (
    question: Question,
    query: string,
    department: string | undefined,
    retrieveMs: number,
    startedMs: number,
  ) => {
    const mention = findDepartmentMention(question.text, (n) => retriever.resolveDepartment(n));
    const found = retriever.resolveDepartment(department ?? mention?.department.short ?? '');
    if (!found) return null;
    // The department's own names are not a topic: "科技司要做哪些工作？" asks for the whole plan.
    const names = [found.short, found.full, mention?.mention ?? '', question.department ?? ''].filter(
      Boolean,
    );
    if (!isOverviewQuestion(question.text, names)) return null;
    const named = found.short;
    const language = question.language ?? detectQuestionLanguage(question.text);
    const summary = await engine.summary(named, { language, requestId: question.requestId });
    return answerFromSummary(question, query, summary, language, { retrieveMs, startedMs });
  };

  const engine: Engine = {
    index,
    retriever,
    warnings,
    build,
    status: () => engineStatus(index, embedder, warnings, config),
    retrieve: (query) => retrieveWithDepartment(retriever, query),
    async answer(question) {
      const startedMs = performance.now();
      const { query, department, retrieval } = await prepare(question);
      const answer =
        (await overview(question, query, department, retrieval.timings.totalMs, startedMs)) ??
        (await composeAnswer(question, query, retrieval, answerDeps));
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
    async *answerStream(question): AsyncIterable<AnswerEvent> {
      const startedMs = performance.now();
      const { query, department, retrieval } = await prepare(question);
      const fromSummary = await overview(question, query, department, retrieval.timings.totalMs, startedMs);
      if (fromSummary) {
        yield { type: 'delta', text: fromSummary.text };
        yield { type: 'final', answer: fromSummary };
        return;
      }
      yield* streamAnswer(question, query, retrieval, answerDeps);
    },
    async summary(name, summaryOptions = {}) {
      const department = name === null ? null : requireDepartment(retriever, name);
      const language = summaryOptions.language ?? (name ? detectQuestionLanguage(name) : 'zh');
      const key = {
        fingerprint: index.manifest.corpusFingerprint,
        department: department?.short ?? null,
        language,
        mode: llm ? ('llm' as const) : ('extractive' as const),
      };
      return summaries.getOrCreate(key, () =>
        summarize(department, summaryInputs, {
          llm,
          logger,
          language,
          requestId: summaryOptions.requestId ?? randomUUID(),
        }),
      );
    },
    departments: () => departments,
    resolveDepartment: (name) => retriever.resolveDepartment(name),
    passage: (id) => passageContext(index, id),
    async close() {
      index.keyword.close();
      index.vectors?.close();
      await embedder?.dispose();
    },
  };
  return engine;
}

/** One summary input per department article, with that article's chunks. */
function departmentSummaryInputs(index: LoadedIndex): DepartmentSummaryInput[] {
  const inputs: DepartmentSummaryInput[] = [];
  for (const doc of index.documents) {
    for (const article of doc.articles) {
      if (!article.department) continue;
      const chunks = index.chunks.filter(
        (c) => c.docId === doc.id && c.start >= article.start && c.end <= article.end,
      );
      inputs.push({ department: article.department, article, doc, chunks });
    }
  }
  return inputs;
}

function departmentInfos(inputs: DepartmentSummaryInput[]): DepartmentInfo[] {
  return inputs.map(({ department, article, doc, chunks }) => ({
    short: department.short,
    full: department.full,
    docId: doc.id,
    articleTitle: article.title,
    chunkCount: chunks.length,
    sections: article.sections.map((s) => s.lead),
  }));
}

/** The year a chunk's paragraph opens with ("2021年，…"), from the stored document structure. */
function paragraphYearOf(index: LoadedIndex): (chunk: Chunk) => number | null {
  const years = new Map<string, number | null>();
  for (const doc of index.documents) {
    for (const p of doc.paragraphs) {
      const match = /^\s*((?:19|20)\d{2})\s*年/.exec(doc.cleanedText.slice(p.start, p.start + 12));
      years.set(`${doc.id}\0${p.index}`, match ? Number(match[1]) : null);
    }
  }
  return (chunk) => years.get(`${chunk.docId}\0${chunk.paragraphIndex}`) ?? null;
}
