/**
 * Seed-corpus benchmarks with the active embedder (the tiny TEST model unless `--model` names another): index build, embedding
 * throughput, in-process retrieve and extractive-ask latency, dev-qa recall, and CLI cold start.
 * Runs inside bench/worker.ts (a fresh process).
 */
import { spawn } from 'node:child_process';
import { loadConfig } from '../src/config/index.js';
import * as engineModule from '../src/engine/createEngine.js';
import { createRetrievalEngine, indexDirFor } from '../src/engine/createEngine.js';
import { ensureIndex, passageText } from '../src/index/build-index.js';
import { loadIndex } from '../src/index/load-index.js';
import { createSilentLogger } from '../src/logging/logger.js';
import type { Answer, Question } from '../src/types.js';
import { devQaRecall } from './lib/dev-qa.js';
import { makeEmbedder } from './lib/embedders.js';
import { readDevQa } from './lib/seed-corpus.js';
import { type LatencySummary, round, summarize, timeEach } from './lib/stats.js';

export interface SeedArgs {
  /** POLICYBOT_INDEX_DIR for this run (the index goes to `<dir>/index`). */
  dir: string;
  corpusDir: string;
  /** Embedding model: a local directory or a hub id present in `modelsDir`. */
  model: string;
  modelsDir: string;
  devQa: string;
  /** Passes over the dev-qa questions for the latency samples. */
  rounds: number;
  cliRuns: number;
  /** dist/cli/main.js */
  cliEntry: string;
  /** A library of real documents in every format (eval/corpus-dev/docs) for the per-character indexing speed. */
  libraryDir?: string;
}

type AskFn = (question: Question) => Promise<Answer>;

/** `engine.answer()` when the full engine exists; otherwise retrieve + extractive compose, as the engine does. */
async function askFunction(
  env: Record<string, string>,
  retrieval: Awaited<ReturnType<typeof createRetrievalEngine>>,
  maxChars: number,
): Promise<{ ask: AskFn; via: string; close: () => Promise<void> }> {
  const logger = createSilentLogger();
  const config = loadConfig({}, env);
  const factory = (engineModule as Record<string, unknown>).createEngine;
  if (typeof factory === 'function') {
    const engine = (await factory({ config, logger, ensureIndex: false })) as {
      answer: AskFn;
      close: () => Promise<void>;
    };
    return { ask: (q) => engine.answer(q), via: 'engine.answer()', close: () => engine.close() };
  }
  const { composeAnswer } = await import('../src/answer/compose.js');
  return {
    ask: async (q) => {
      const result = await retrieval.retriever.retrieve({ text: q.text, k: 5 });
      return composeAnswer(q, q.text, result, { llm: null, logger, maxChars });
    },
    via: 'retrieve + composeAnswer (createEngine not available yet)',
    close: async () => {},
  };
}

function spawnTimed(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) reject(new Error(`${args.join(' ')} exited ${code}: ${err.slice(-800)}`));
      else if (args.includes('--json') && !out.trim().startsWith('{'))
        reject(new Error(`no JSON from CLI: ${out}`));
      else resolve(ms);
    });
  });
}

export interface SeedOutput {
  embedder: { model: string; dimension: number; isTestModel: boolean; loadMs: number };
  chunks: number;
  buildMs: number;
  upToDateCheckMs: number;
  embedChunksPerSecond: number;
  retrieve: LatencySummary;
  ask: LatencySummary;
  askVia: string;
  firstRetrieveMs: number;
  devQa: Awaited<ReturnType<typeof devQaRecall>>;
  cli: { runs: number; retrieveColdStart: LatencySummary; nodeBaseline: LatencySummary };
  /** Index builds per 1,000 characters of cleaned text (best of 3 forced builds), the seed and the library. */
  indexingSpeed: { seed: CharSpeed; library: CharSpeed | null };
}

export interface CharSpeed {
  documents: number;
  characters: number;
  bestBuildMs: number;
  msPer1000Chars: number;
}

/** Best of `runs` forced builds of `corpusDir` (with the same embedder), per 1,000 characters of cleaned text. */
async function charSpeed(
  options: Omit<Parameters<typeof ensureIndex>[0], 'corpusDir' | 'indexDir'>,
  corpusDir: string,
  indexDir: string,
  runs = 3,
): Promise<CharSpeed> {
  let best = Number.POSITIVE_INFINITY;
  let characters = 0;
  let documents = 0;
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    const built = await ensureIndex({ ...options, corpusDir, indexDir, force: true });
    best = Math.min(best, performance.now() - started);
    documents = built.manifest.counts.documents;
    const index = await loadIndex(indexDir);
    characters = index.documents.reduce((n, d) => n + d.cleanedText.length, 0);
    index.keyword.close();
  }
  return {
    documents,
    characters,
    bestBuildMs: round(best),
    msPer1000Chars: round((best / characters) * 1000, 2),
  };
}

export async function runSeed(args: SeedArgs): Promise<SeedOutput> {
  const logger = createSilentLogger();
  const env = {
    POLICYBOT_CORPUS_DIR: args.corpusDir,
    POLICYBOT_INDEX_DIR: args.dir,
    POLICYBOT_EMBEDDING_MODEL: args.model,
    POLICYBOT_MODELS_DIR: args.modelsDir,
    POLICYBOT_ALLOW_REMOTE_MODELS: 'false',
    POLICYBOT_REQUIRE_MODEL: 'true',
  };
  const config = loadConfig({}, env);
  const { embedder, loadMs } = await makeEmbedder(
    { kind: 'model', model: args.model, modelsDir: args.modelsDir },
    logger,
  );
  const buildOptions = {
    corpusDir: config.corpusDir,
    indexDir: indexDirFor(config),
    chunking: config.chunking,
    embedder,
    embedderReason: null,
    logger,
  };
  let started = performance.now();
  const built = await ensureIndex({ ...buildOptions, force: true });
  const buildMs = performance.now() - started;
  started = performance.now();
  await ensureIndex(buildOptions);
  const upToDateCheckMs = performance.now() - started;

  const engine = await createRetrievalEngine({
    config,
    logger,
    ensureIndex: false,
    embedderLoad: { embedder, warning: null },
  });
  const texts = engine.index.chunks.map((c) => passageText(c));
  let embedded = 0;
  started = performance.now();
  while (performance.now() - started < 1_000 || embedded === 0) {
    await embedder.embedPassages(texts);
    embedded += texts.length;
  }
  const embedChunksPerSecond = (embedded / (performance.now() - started)) * 1000;

  const items = await readDevQa(args.devQa);
  const questions: string[] = [];
  for (let r = 0; r < args.rounds; r++) questions.push(...items.map((i) => i.q));
  started = performance.now();
  await engine.retriever.retrieve({ text: items[0]?.q ?? '工业', k: 5 });
  const firstRetrieveMs = performance.now() - started;
  for (const i of items) await engine.retriever.retrieve({ text: i.q, k: 5 });
  const retrieve = summarize(await timeEach(questions, (q) => engine.retriever.retrieve({ text: q, k: 5 })));

  const { ask, via, close } = await askFunction(env, engine, config.answer.maxChars);
  let n = 0;
  for (const i of items) await ask({ text: i.q, requestId: `warm-${n++}` });
  const askLatency = summarize(await timeEach(questions, (q) => ask({ text: q, requestId: `bench-${n++}` })));
  await close();
  const devQa = await devQaRecall(engine.retriever, items, 5);
  engine.index.keyword.close();

  const cliEnv = { ...process.env, ...env, LOG_LEVEL: 'silent' };
  const question = items[0]?.q ?? '中小企业';
  const nodeBaseline = summarize(
    await timeEach(Array.from({ length: args.cliRuns }), () =>
      spawnTimed(process.execPath, ['-e', '0'], cliEnv),
    ),
  );
  const retrieveColdStart = summarize(
    await timeEach(Array.from({ length: args.cliRuns }), () =>
      spawnTimed(process.execPath, [args.cliEntry, 'retrieve', '--json', question], cliEnv),
    ),
  );
  const speedOptions = { chunking: config.chunking, embedder, embedderReason: null, logger };
  // Best of 3 builds (one in the smoke run, which has one round).
  const speedRuns = args.rounds >= 3 ? 3 : 1;
  const indexingSpeed = {
    seed: await charSpeed(speedOptions, config.corpusDir, `${args.dir}/speed-seed`, speedRuns),
    library: args.libraryDir
      ? await charSpeed(speedOptions, args.libraryDir, `${args.dir}/speed-library`, speedRuns)
      : null,
  };
  await embedder.dispose();
  return {
    indexingSpeed,
    embedder: {
      model: embedder.isTestModel ? 'tiny TEST model (random weights)' : embedder.modelId,
      dimension: embedder.dimension,
      isTestModel: embedder.isTestModel,
      loadMs: round(loadMs),
    },
    chunks: built.manifest.counts.chunks,
    buildMs: round(buildMs),
    upToDateCheckMs: round(upToDateCheckMs),
    embedChunksPerSecond: round(embedChunksPerSecond, 0),
    retrieve,
    ask: askLatency,
    askVia: via,
    firstRetrieveMs: round(firstRetrieveMs),
    devQa,
    cli: { runs: args.cliRuns, retrieveColdStart, nodeBaseline },
  };
}
