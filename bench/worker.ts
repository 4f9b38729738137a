/**
 * One benchmark step in a fresh process (spawned by bench/run.ts through bench/lib/child.ts):
 *   node --expose-gc --import tsx bench/worker.ts <seed|build|measure|start|rekeyword|incremental> '<json args>'
 * Prints exactly one JSON line (the result) on stdout; everything else goes to stderr.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/index.js';
import { createEngine } from '../src/engine/createEngine.js';
import { passageText } from '../src/index/build-index.js';
import { loadIndex, readStoredContent } from '../src/index/load-index.js';
import { INDEX_FILES, type IndexManifest, PIPELINE_VERSION } from '../src/index/manifest.js';
import { keywordRows } from '../src/index/write-index.js';
import { KeywordIndex } from '../src/keyword/KeywordIndex.js';
import { analyzeQuery } from '../src/keyword/translate.js';
import type { KeywordHit } from '../src/keyword/types.js';
import { createSilentLogger } from '../src/logging/logger.js';
import { HybridRetriever } from '../src/retriever/HybridRetriever.js';
import type { Chunk } from '../src/types.js';
import { type IncrementalArgs, runIncremental } from './incremental.js';
import { scaleQueries } from './lib/bench-queries.js';
import { devQaRecall } from './lib/dev-qa.js';
import { type EmbedderSpec, makeEmbedder } from './lib/embedders.js';
import { documentsOf, libraryDocuments } from './lib/library-corpus.js';
import { makePoetryHaystack } from './lib/poetry-corpus.js';
import { loadSeedCorpus, readDevQa, type SeedCorpus } from './lib/seed-corpus.js';
import { round, summarize, timeEach } from './lib/stats.js';
import { writeIndexStreaming } from './lib/stream-index.js';
import { type CorpusDocument, syntheticDocuments } from './lib/synthetic-corpus.js';
import { runSeed, type SeedArgs } from './seed.js';

/** Which text a scale index holds (see docs/benchmarks.md). */
export type ScaleCorpus = 'synthetic' | 'library' | 'poetry';

export interface BuildArgs {
  corpus: ScaleCorpus;
  chunks: number;
  embedder: EmbedderSpec;
  dir: string;
  corpusDir: string;
  /** The real library replicated by `library` (eval/corpus-dev/docs). */
  libraryDir: string;
  poetryDir?: string;
}

export interface BuildOutput {
  chunks: number;
  documents: number;
  corpusMs: number;
  embedMs: number;
  embedChunksPerSecond: number;
  vectorsMs: number;
  keywordMs: number;
  writeMs: number;
  buildMs: number;
  /** Peak resident memory of the build process (max RSS). */
  peakRssMb: number;
}

export interface MeasureArgs {
  dir: string;
  corpus: ScaleCorpus;
  embedder: EmbedderSpec;
  corpusDir: string;
  libraryDir: string;
  devQa: string;
  /** Questions about the library (eval/corpus-dev/qa.jsonl). */
  libraryQa: string;
  queries: number;
  recallQueries: number;
  /** Queries whose pruned keyword top-k is compared with the exhaustive one. */
  exactnessQueries: number;
  ef: number;
  efSweep: number[];
  /** Compute dev-qa recall@5 (hybrid and keyword-only) against this index. */
  devQaRecall: boolean;
}

const logger = createSilentLogger();
const CANDIDATES = 50;

export function chunking(): { size: number; overlap: number } {
  return loadConfig({}).chunking;
}

/** The documents of a scale corpus, generated one at a time. */
async function corpusDocuments(args: BuildArgs, seed: SeedCorpus): Promise<Iterable<CorpusDocument>> {
  if (args.corpus === 'synthetic') return syntheticDocuments(seed, args.chunks);
  if (args.corpus === 'library')
    return libraryDocuments(await loadSeedCorpus(args.libraryDir, chunking()), args.chunks);
  return documentsOf(await makePoetryHaystack(args.poetryDir ?? '', args.chunks, seed));
}

async function build(args: BuildArgs): Promise<BuildOutput> {
  const started = performance.now();
  const seed = await loadSeedCorpus(args.corpusDir, chunking());
  const documents = await corpusDocuments(args, seed);
  const corpusMs = performance.now() - started;
  const { embedder } = await makeEmbedder(args.embedder, logger);

  await rm(args.dir, { recursive: true, force: true });
  await mkdir(args.dir, { recursive: true });
  const written = await writeIndexStreaming(args.dir, documents, embedder, {
    expectedChunks: args.chunks,
    // Replicas of one text would embed to identical vectors, which no real library has (and which hnsw handles
    // badly); with the document id in the embedded text they are near-duplicates instead. Keyword rows keep the
    // text alone.
    ...(args.corpus === 'library' ? { embedText: (c: Chunk) => `${c.docId} ${passageText(c)}` } : {}),
  });
  const manifest: IndexManifest = {
    pipelineVersion: PIPELINE_VERSION,
    createdAt: new Date().toISOString(),
    fingerprint: `bench-${args.corpus}-${args.chunks}-${embedder.modelId}`,
    corpusFingerprint: `bench-${args.corpus}-${args.chunks}`,
    documents: written.documents.map((d) => ({ id: d.id, path: d.sourcePath, contentHash: d.contentHash })),
    chunker: chunking(),
    embedder: {
      mode: 'dense',
      model: embedder.modelId,
      dimension: embedder.dimension,
      isTestModel: true,
      reason: null,
    },
    counts: { documents: written.documents.length, chunks: written.chunks },
    failures: [],
    buildMs: Math.round(written.embedMs + written.vectorsMs + written.keywordMs + written.writeMs),
  };
  await writeFile(join(args.dir, INDEX_FILES.manifest), JSON.stringify(manifest, null, 2));
  await embedder.dispose();
  return {
    chunks: written.chunks,
    documents: written.documents.length,
    corpusMs: round(corpusMs),
    embedMs: round(written.embedMs),
    embedChunksPerSecond: round((written.chunks / written.embedMs) * 1000, 0),
    vectorsMs: round(written.vectorsMs),
    keywordMs: round(written.keywordMs),
    writeMs: round(written.writeMs),
    buildMs: manifest.buildMs,
    peakRssMb: round(process.resourceUsage().maxRSS / 1024, 0),
  };
}

/**
 * Rebuilds only `keyword.sqlite` of an index built earlier (from its stored chunks), for `run.ts --reuse
 * --rebuild-keyword`: the hnsw graph takes minutes to build, the keyword index seconds.
 */
async function rebuildKeyword(args: { dir: string }): Promise<{ keywordMs: number }> {
  const { chunks } = await readStoredContent(args.dir, { figures: false });
  const started = performance.now();
  (await KeywordIndex.build(join(args.dir, INDEX_FILES.keyword), keywordRows(chunks))).close();
  return { keywordMs: round(performance.now() - started) };
}

function memory(): { rssMb: number; heapUsedMb: number; externalMb: number } {
  globalThis.gc?.();
  const m = process.memoryUsage();
  const toMb = (b: number) => round(b / 1024 / 1024, 1);
  return { rssMb: toMb(m.rss), heapUsedMb: toMb(m.heapUsed), externalMb: toMb(m.external + m.arrayBuffers) };
}

/** The filter of query i: a issuer when the index has issuers, else a document. */
function filterFor(
  i: number,
  issuers: readonly { short: string }[],
  docIds: readonly string[],
): { issuer: string } | { docId: string } {
  if (issuers.length > 0) return { issuer: issuers[i % issuers.length]?.short ?? '' };
  return { docId: docIds[(i * 7919) % docIds.length] ?? '' };
}

function maskOf(chunks: readonly Chunk[], filter: { issuer: string } | { docId: string }): Uint8Array {
  return Uint8Array.from(chunks, (c) =>
    ('issuer' in filter ? c.issuer === filter.issuer : c.docId === filter.docId) ? 1 : 0,
  );
}

function sameHits(a: readonly KeywordHit[], b: readonly KeywordHit[]): boolean {
  return a.length === b.length && a.every((h, i) => h.ordinal === b[i]?.ordinal && h.score === b[i]?.score);
}

async function measure(args: MeasureArgs) {
  const baseline = memory();
  const loadStarted = performance.now();
  const index = await loadIndex(args.dir);
  const loadMs = performance.now() - loadStarted;
  const afterLoad = memory();
  // Vectors left on disk get an int8 copy built after the load, in the background (int8-rows.ts); measured
  // searches start once it is there, as they would a few seconds into a server's life.
  const quantizeStarted = performance.now();
  const quantized = (await index.vectors?.whenQuantized()) ?? false;
  const quantizeMs = performance.now() - quantizeStarted;
  const { embedder, loadMs: embedderLoadMs } = await makeEmbedder(args.embedder, logger);
  const retriever = new HybridRetriever({ index, embedder, logger, ef: args.ef });
  const vectors = index.vectors;
  if (!vectors) throw new Error('index has no vectors');
  const queries = await scaleQueries(args, args.queries);
  const issuers = retriever.listIssuers();
  const docIds = index.documents.map((d) => d.id);

  // The first query pays for jieba's dictionary and, for English, the reversed CC-CEDICT: reported apart.
  const started = performance.now();
  await retriever.retrieve({ text: queries[0] ?? '工业', k: 5 });
  const firstQueryMs = performance.now() - started;
  await retriever.retrieve({ text: 'How is 5G used in factories?', k: 5 });
  for (const q of queries.slice(0, 20)) await retriever.retrieve({ text: q, k: 5 });

  const queryVectors = (await embedder.embedQueries(queries)) as Float32Array[];
  const embedQuery = summarize(await timeEach(queries.slice(0, 50), (q) => embedder.embedQueries([q])));
  const dense = summarize(
    await timeEach(queryVectors, (v) => vectors.search(v, CANDIDATES, { ef: args.ef })),
  );
  const analyses = queries.map((q) => analyzeQuery(q));
  const keyword = summarize(await timeEach(analyses, (a) => index.keyword.search(a, CANDIDATES)));
  const hybrid = summarize(await timeEach(queries, (q) => retriever.retrieve({ text: q, k: 5 })));
  const hybridFiltered = summarize(
    await timeEach(
      queries.map((q, i) => ({ q, i })),
      ({ q, i }) => retriever.retrieve({ text: q, k: 5, ...filterFor(i, issuers, docIds) }),
    ),
  );
  const afterQueries = memory();

  // Exactness: the pruned keyword top-50 against exhaustive scoring, unfiltered and with filters like the above.
  const masks = [null, ...[0, 1, 2].map((i) => maskOf(index.chunks, filterFor(i, issuers, docIds)))];
  let exact = 0;
  const exactSample = analyses.slice(0, args.exactnessQueries);
  const exhaustiveTimes: number[] = [];
  exactSample.forEach((analysis, i) => {
    const mask = masks[i % masks.length] ?? null;
    const options = mask ? { allowed: mask } : {};
    const fast = index.keyword.search(analysis, CANDIDATES, options);
    const t = performance.now();
    const reference = index.keyword.search(analysis, CANDIDATES, { ...options, exhaustive: true });
    if (!mask) exhaustiveTimes.push(performance.now() - t);
    if (sameHits(fast, reference)) exact++;
  });

  // hnsw recall@10 against exact (brute-force) search over the same stored vectors, at several ef (the
  // ef/latency trade-off on record). Strict recall counts only the exact top 10; ε-recall (ann-benchmarks'
  // definition, ε = 0.01) also counts a hit whose cosine distance is within 1 % of the exact 10th neighbour's,
  // which matters when many vectors are near-ties.
  const recallAtK = 10;
  const recallSample = queryVectors.slice(0, args.recallQueries);
  const exactStarted = performance.now();
  const truth = vectors.searchExact(recallSample, recallAtK);
  const exactMs = (performance.now() - exactStarted) / Math.max(1, recallSample.length);
  const efSweep = [];
  for (const ef of [...new Set([...args.efSweep, args.ef])].sort((a, b) => a - b)) {
    let strict = 0;
    let loose = 0;
    const times: number[] = [];
    recallSample.forEach((v, i) => {
      const exactHits = truth[i] ?? [];
      const want = new Set(exactHits.map((h) => h.label));
      const kth = 1 - (exactHits.at(-1)?.score ?? 0);
      const t = performance.now();
      const approx = vectors.search(v, recallAtK, { ef });
      times.push(performance.now() - t);
      strict += approx.filter((h) => want.has(h.label)).length;
      loose += approx.filter((h) => want.has(h.label) || 1 - h.score <= kth * 1.01 + 1e-9).length;
    });
    const n = Math.max(1, recallSample.length * recallAtK);
    efSweep.push({
      ef,
      recallAt10: round(strict / n, 4),
      epsilonRecallAt10: round(loose / n, 4),
      searchMs: summarize(times),
    });
  }
  const atConfigured = efSweep.find((e) => e.ef === args.ef);
  const hnswRecall = recallSample.length && atConfigured ? atConfigured.recallAt10 : Number.NaN;
  const hnswEpsilonRecall = recallSample.length && atConfigured ? atConfigured.epsilonRecallAt10 : Number.NaN;

  let qa = null;
  if (args.devQaRecall) {
    const devQa = await readDevQa(args.devQa);
    const keywordOnly = new HybridRetriever({ index, embedder: null, logger, ef: args.ef });
    qa = {
      hybrid: await devQaRecall(retriever, devQa, 5),
      keywordOnly: await devQaRecall(keywordOnly, devQa, 5),
    };
  }

  return {
    chunks: index.chunks.length,
    dimension: vectors.dimension,
    vectorsOnDisk: vectors.vectorsOnDisk,
    loadMs: round(loadMs),
    /** Time from the end of the load until the int8 copy was ready; null when none is made. */
    quantizeMs: quantized ? round(quantizeMs) : null,
    embedderLoadMs: round(embedderLoadMs),
    memory: { baseline, afterLoad, afterQueries },
    /** Searches run before `afterQueries` (dense, keyword, hybrid and filtered hybrid over every query). */
    searchesBeforeRss: queries.length * 4,
    firstQueryMs: round(firstQueryMs),
    embedQuery,
    dense,
    keyword,
    keywordExhaustive: summarize(exhaustiveTimes),
    keywordExactness: {
      exact,
      compared: exactSample.length,
      share: round(exact / Math.max(1, exactSample.length), 4),
    },
    hybrid,
    hybridFiltered,
    hnswRecallAt10: hnswRecall,
    hnswEpsilonRecallAt10: hnswEpsilonRecall,
    efSweep,
    exactSearchMs: round(exactMs),
    ef: args.ef,
    devQa: qa,
  };
}

export type MeasureOutput = Awaited<ReturnType<typeof measure>>;

export interface StartArgs {
  dir: string;
  embedder: EmbedderSpec;
  /** Asked once the engine is up; its time is the first answer's. */
  question: string;
}

/**
 * What `npm start` does with a built index, in a fresh process: `createEngine` (load the index, build the
 * retriever and the engine's tables) without building, then one answer. `index load` times `loadIndex` alone.
 */
async function start(args: StartArgs) {
  // createEngine reads `<indexDir>/index`; the bench index is a folder of its own.
  const root = await mkdtemp(join(tmpdir(), 'policybot-start-'));
  await symlink(args.dir, join(root, 'index'));
  try {
    const { embedder } = await makeEmbedder(args.embedder, logger);
    const config = loadConfig({ POLICYBOT_INDEX_DIR: root, POLICYBOT_CORPUS_DIR: join(root, 'corpus') });
    let started = performance.now();
    const engine = await createEngine({
      config,
      logger,
      ensureIndex: false,
      embedderLoad: { embedder, warning: null },
    });
    const startMs = performance.now() - started;
    started = performance.now();
    await engine.answer({ text: args.question, requestId: 'bench-start' });
    const firstAnswerMs = performance.now() - started;
    const rssMb = memory().rssMb;
    await engine.close();
    return { startMs: round(startMs), firstAnswerMs: round(firstAnswerMs), rssMb };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

export type StartOutput = Awaited<ReturnType<typeof start>>;

async function main(): Promise<void> {
  const [mode, raw] = process.argv.slice(2);
  const args: unknown = JSON.parse(raw ?? '{}');
  let result: unknown;
  if (mode === 'build') result = await build(args as BuildArgs);
  else if (mode === 'measure') result = await measure(args as MeasureArgs);
  else if (mode === 'start') result = await start(args as StartArgs);
  else if (mode === 'rekeyword') result = await rebuildKeyword(args as { dir: string });
  else if (mode === 'seed') result = await runSeed(args as SeedArgs);
  else if (mode === 'incremental') result = await runIncremental(args as IncrementalArgs);
  else throw new Error(`unknown worker mode ${mode}`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
