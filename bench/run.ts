/**
 * `npm run bench`: speed, memory and retrieval quality, measured the same way every time.
 *
 *   node --import tsx bench/run.ts [--smoke] [--only seed,scale,poetry,frontends,llm-hang,formats] [--out file.json]
 *
 * Prints a table (each number next to its target, ✓/✗) and writes bench/results/latest.json
 * (bench/results/smoke.json with --smoke). Every measurement that needs a clean heap runs in a fresh
 * child process (bench/worker.ts). See docs/benchmarks.md for what each number means and what limits it.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTinyModel } from '../scripts/make-tiny-model.js';
import { loadConfig } from '../src/config/index.js';
import { createSilentLogger } from '../src/logging/logger.js';
import { runFormats } from './formats.js';
import { runFrontEnds } from './frontends.js';
import type { IncrementalArgs, IncrementalOutput, IncrementalRun } from './incremental.js';
import { runWorker } from './lib/child.js';
import type { EmbedderSpec } from './lib/embedders.js';
import type { SyntheticVectorKind } from './lib/HashEmbedder.js';
import { cachedPoetryDir, ensurePoetryCorpus } from './lib/poetry-corpus.js';
import { tableRows } from './lib/rows.js';
import { mb } from './lib/stats.js';
import { formatTable, type TableRow } from './lib/table.js';
import { runLlmHang } from './llm-hang.js';
import type { SeedOutput } from './seed.js';
import type {
  BuildArgs,
  BuildOutput,
  MeasureArgs,
  MeasureOutput,
  ScaleCorpus,
  StartArgs,
  StartOutput,
} from './worker.js';

/** The document the incremental benchmark adds: a provincial work report of about ten printed pages. */
const INCREMENTAL_DOCUMENT = 'eval/corpus-dev/docs/report-2026-henan.txt';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the benchmark-only `chinese-poetry` corpus is installed on first use (see bench/lib/poetry-corpus.ts). */
const POETRY_CACHE = join(ROOT, 'bench', '.cache', 'poetry');
const SECTIONS = ['seed', 'scale', 'incremental', 'poetry', 'frontends', 'llm-hang', 'formats'] as const;
type Section = (typeof SECTIONS)[number];

interface Options {
  smoke: boolean;
  only: Set<Section>;
  out: string;
  keep: boolean;
  /** `--scale 100000x384,10000x512` replaces the default synthetic sizes. */
  scale: { chunks: number; dimension: number }[] | null;
  /** `--work dir`: build indexes there (kept afterwards) instead of a temporary directory. */
  work: string | null;
  /** `--reuse`: with `--work`, measure indexes a previous run built there instead of rebuilding them. */
  reuse: boolean;
  /** `--rebuild-keyword`: with `--reuse`, rebuild only the keyword index of each reused index first. */
  rebuildKeyword: boolean;
  /** `--model DIR|ID`: a real embedding model for the seed and poetry sections instead of the tiny TEST model. */
  model: string | null;
  /** `--models-dir DIR`: where a hub model given by id is cached. */
  modelsDir: string | null;
}

function parseArgs(argv: string[]): Options {
  const smoke = argv.includes('--smoke');
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const onlyRaw = value('--only');
  const only = new Set<Section>();
  for (const name of (onlyRaw ?? SECTIONS.join(',')).split(',')) {
    if (!(SECTIONS as readonly string[]).includes(name)) {
      throw new Error(`--only takes ${SECTIONS.join('|')} (comma-separated), got "${name}"`);
    }
    only.add(name as Section);
  }
  const out = resolve(value('--out') ?? join(ROOT, 'bench', 'results', smoke ? 'smoke.json' : 'latest.json'));
  const scaleRaw = value('--scale');
  const scale = scaleRaw
    ? scaleRaw.split(',').map((spec) => {
        const [chunks, dimension] = spec.split('x').map(Number);
        if (!chunks || !dimension) throw new Error(`--scale takes CHUNKSxDIM[,…], got "${spec}"`);
        return { chunks, dimension };
      })
    : null;
  const work = value('--work') ?? null;
  const reuse = argv.includes('--reuse');
  if (reuse && !work) throw new Error('--reuse needs --work DIR');
  return {
    smoke,
    only,
    out,
    keep: argv.includes('--keep') || work !== null,
    scale,
    work,
    reuse,
    rebuildKeyword: argv.includes('--rebuild-keyword'),
    model: value('--model') ?? null,
    modelsDir: value('--models-dir') ?? null,
  };
}

/** Sizes of everything the two modes measure; the smoke run keeps each step to well under a second. */
function plan(smoke: boolean) {
  return smoke
    ? {
        seedRounds: 1,
        cliRuns: 1,
        scale: [
          { chunks: 2_000, dimension: 384, corpus: 'synthetic' },
          { chunks: 2_000, dimension: 384, corpus: 'library' },
        ] as ScaleSize[],
        iidRecall: [] as { chunks: number; dimension: number }[],
        incremental: [{ chunks: 2_000, dimension: 384 }],
        queries: 20,
        recallQueries: 5,
        exactnessQueries: 20,
        efSweep: [100, 200],
        poetryChunks: 2_000,
        concurrency: 10,
        requests: 20,
      }
    : {
        seedRounds: 10,
        cliRuns: 10,
        scale: [
          { chunks: 10_000, dimension: 384, corpus: 'synthetic' },
          { chunks: 10_000, dimension: 384, corpus: 'library' },
          { chunks: 10_000, dimension: 512, corpus: 'synthetic' },
          { chunks: 100_000, dimension: 384, corpus: 'synthetic' },
          { chunks: 100_000, dimension: 384, corpus: 'library' },
          { chunks: 100_000, dimension: 512, corpus: 'synthetic' },
        ] as ScaleSize[],
        iidRecall: [{ chunks: 100_000, dimension: 384 }],
        incremental: [{ chunks: 100_000, dimension: 384 }],
        queries: 1_000,
        recallQueries: 200,
        exactnessQueries: 200,
        efSweep: [100, 200, 400, 800, 1600],
        poetryChunks: 100_000,
        concurrency: 100,
        requests: 1_000,
      };
}

async function dirSize(
  dir: string,
  skip: string[],
): Promise<{ total: number; files: Record<string, number> }> {
  const files: Record<string, number> = {};
  let total = 0;
  for (const name of await readdir(dir)) {
    if (skip.includes(name)) continue;
    const s = await stat(join(dir, name));
    if (!s.isFile()) continue;
    files[name] = s.size;
    total += s.size;
  }
  return { total, files };
}

interface ScaleSize {
  chunks: number;
  dimension: number;
  corpus: 'synthetic' | 'library';
}

interface ScaleRun {
  corpus: ScaleCorpus;
  chunks: number;
  dimension: number;
  vectors: SyntheticVectorKind | 'model';
  build: BuildOutput;
  sizeMb: number;
  filesMb: Record<string, number>;
  measure: MeasureOutput;
  start: StartOutput;
}

/** The first question a started engine answers (a region and a year, so query scoping and the answer run). */
const LIBRARY_START_QUESTION = '河南省2023年的工作目标是什么？';
const SYNTHETIC_START_QUESTION = '工业和信息化部关于推进制造业数字化转型的要求有哪些？';

/** Brute-force recall truth reads every vector once per query batch: fewer queries at a million vectors. */
function recallQueriesFor(chunks: number, planned: number): number {
  return chunks >= 1_000_000 ? Math.min(planned, 100) : planned;
}

async function buildAndMeasure(
  work: string,
  name: string,
  corpus: ScaleCorpus,
  chunks: number,
  embedder: EmbedderSpec,
  p: ReturnType<typeof plan>,
  extra: { devQaRecall: boolean; recallQueries?: number; queries?: number },
  keep: boolean,
  reuse = false,
  rebuildKeyword = false,
): Promise<ScaleRun> {
  const dir = join(work, name);
  const common = {
    corpusDir: join(ROOT, 'corpus'),
    libraryDir: join(ROOT, 'eval', 'corpus-dev', 'docs'),
    devQa: join(ROOT, 'eval', 'seed', 'qa.jsonl'),
  };
  const saved = join(dir, 'build.json');
  let build: BuildOutput;
  if (reuse && existsSync(saved)) {
    build = JSON.parse(await readFile(saved, 'utf8')) as BuildOutput;
    log(`  ${name}: reusing the index built earlier in ${dir}`);
    if (rebuildKeyword) {
      const { keywordMs } = await runWorker<{ keywordMs: number }>('rekeyword', { dir });
      log(`  ${name}: keyword index rebuilt in ${(keywordMs / 1000).toFixed(1)} s`);
      build = { ...build, keywordMs, buildMs: Math.round(build.buildMs - build.keywordMs + keywordMs) };
      await writeFile(saved, JSON.stringify(build));
    }
  } else {
    log(`  ${name}: building ${chunks} chunks…`);
    build = await runWorker<BuildOutput>('build', {
      corpus,
      chunks,
      embedder,
      dir,
      corpusDir: common.corpusDir,
      libraryDir: common.libraryDir,
      poetryDir: cachedPoetryDir(POETRY_CACHE) ?? '',
    } satisfies BuildArgs);
    await writeFile(saved, JSON.stringify(build));
  }
  const size = await dirSize(dir, ['build.json']);
  log(
    `  ${name}: built in ${(build.buildMs / 1000).toFixed(1)} s, ${mb(size.total)} MB; measuring in a fresh process…`,
  );
  const measure = await runWorker<MeasureOutput>('measure', {
    dir,
    corpus,
    embedder,
    ...common,
    libraryQa: join(ROOT, 'eval', 'corpus-dev', 'qa.jsonl'),
    queries: extra.queries ?? p.queries,
    recallQueries: recallQueriesFor(chunks, extra.recallQueries ?? p.recallQueries),
    exactnessQueries: p.exactnessQueries,
    ef: loadConfig({}).retrieval.hnswEf,
    efSweep: p.efSweep,
    devQaRecall: extra.devQaRecall,
  } satisfies MeasureArgs);
  const start = await runWorker<StartOutput>('start', {
    dir,
    embedder,
    question: corpus === 'library' ? LIBRARY_START_QUESTION : SYNTHETIC_START_QUESTION,
  } satisfies StartArgs);
  if (!keep) await rm(dir, { recursive: true, force: true });
  return {
    corpus,
    chunks: build.chunks,
    start,
    dimension: measure.dimension,
    vectors: embedder.kind === 'hash' ? embedder.vectors : 'model',
    build,
    sizeMb: mb(size.total),
    filesMb: Object.fromEntries(Object.entries(size.files).map(([k, v]) => [k, mb(v)])),
    measure,
  };
}

/** The incremental-update benchmark on a synthetic scale index of `chunks` × `dimension` (bench/incremental.ts). */
async function runIncrementalSection(
  work: string,
  chunks: number,
  dimension: number,
  options: Options,
): Promise<IncrementalRun> {
  const name = `incremental-${chunks}-${dimension}`;
  const dir = join(work, name);
  const saved = join(dir, 'build.json');
  const embedder: EmbedderSpec = { kind: 'hash', vectors: 'text', dimension };
  let build: BuildOutput;
  if (options.reuse && existsSync(saved)) {
    build = JSON.parse(await readFile(saved, 'utf8')) as BuildOutput;
    log(`  ${name}: reusing the index built earlier in ${dir}`);
  } else {
    log(`  ${name}: full build of ${chunks} chunks…`);
    build = await runWorker<BuildOutput>('build', {
      corpus: 'synthetic',
      chunks,
      embedder,
      dir,
      corpusDir: join(ROOT, 'corpus'),
      libraryDir: join(ROOT, 'eval', 'corpus-dev', 'docs'),
    } satisfies BuildArgs);
    await writeFile(saved, JSON.stringify(build));
  }
  log(`  ${name}: built in ${(build.buildMs / 1000).toFixed(1)} s; updating…`);
  const output = await runWorker<IncrementalOutput>('incremental', {
    dir,
    embedder,
    documentFile: join(ROOT, INCREMENTAL_DOCUMENT),
    chunking: loadConfig({}).chunking,
    scratch: join(work, `${name}-scratch`),
  } satisfies IncrementalArgs);
  if (!options.keep) await rm(dir, { recursive: true, force: true });
  return { chunks: build.chunks, dimension, build, output, loadAverage: loadavg().map((x) => round2(x)) };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** How a model is named in the table: the last two path segments of a directory, or the hub id. */
function modelLabel(model: string): string {
  return model.split('/').filter(Boolean).slice(-2).join('/');
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const p = plan(options.smoke);
  if (options.scale) {
    // Each size given is measured on both corpora: recombined seed text and the replicated real library.
    p.scale = options.scale.flatMap((size) => [
      { ...size, corpus: 'synthetic' as const },
      { ...size, corpus: 'library' as const },
    ]);
    p.iidRecall = [];
    p.incremental = options.scale;
  }
  const started = performance.now();
  const work = options.work ? resolve(options.work) : await mkdtemp(join(tmpdir(), 'policybot-bench-'));
  await mkdir(work, { recursive: true });
  const results: Record<string, unknown> = {
    meta: {
      date: new Date().toISOString(),
      smoke: options.smoke,
      sections: [...options.only],
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      totalMemoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
      hnswEf: loadConfig({}).retrieval.hnswEf,
      durationMs: 0,
    },
  };
  try {
    let model = options.model;
    if (!model) {
      model = join(work, 'tiny-model');
      await makeTinyModel(model, { corpusDir: join(ROOT, 'corpus') });
    }
    const modelsDir = options.modelsDir ?? join(work, 'models');
    const tiny: EmbedderSpec = { kind: 'model', model, modelsDir };
    const label = options.model ? modelLabel(options.model) : 'tiny TEST model';

    if (options.only.has('seed')) {
      log(`seed corpus (${label})…`);
      const cliEntry = join(ROOT, 'dist', 'cli', 'main.js');
      results.seed = await runWorker<SeedOutput>('seed', {
        dir: join(work, 'seed'),
        corpusDir: join(ROOT, 'corpus'),
        model,
        modelsDir,
        devQa: join(ROOT, 'eval', 'seed', 'qa.jsonl'),
        rounds: p.seedRounds,
        cliRuns: existsSync(cliEntry) ? p.cliRuns : 0,
        cliEntry,
        libraryDir: join(ROOT, 'eval', 'corpus-dev', 'docs'),
      });
    }

    if (options.only.has('scale')) {
      log('scale: recombined seed sentences and the replicated dev corpus, synthetic vectors…');
      const runs: ScaleRun[] = [];
      for (const { chunks, dimension, corpus } of p.scale) {
        runs.push(
          await buildAndMeasure(
            work,
            `${corpus === 'synthetic' ? 'scale' : 'library'}-${chunks}-${dimension}`,
            corpus,
            chunks,
            { kind: 'hash', vectors: 'text', dimension },
            p,
            { devQaRecall: false },
            options.keep,
            options.reuse,
            options.rebuildKeyword,
          ),
        );
      }
      const iid: ScaleRun[] = [];
      for (const { chunks, dimension } of p.iidRecall) {
        iid.push(
          await buildAndMeasure(
            work,
            `scale-iid-${chunks}-${dimension}`,
            'synthetic',
            chunks,
            { kind: 'hash', vectors: 'iid', dimension },
            p,
            { devQaRecall: false, queries: 100 },
            options.keep,
            options.reuse,
            options.rebuildKeyword,
          ),
        );
      }
      results.scale = runs;
      results.scaleIid = iid;
    }

    if (options.only.has('incremental')) {
      log('incremental: one ten-page document added, changed, removed in a scale index…');
      const runs: IncrementalRun[] = [];
      for (const { chunks, dimension } of p.incremental) {
        runs.push(await runIncrementalSection(work, chunks, dimension, options));
      }
      results.incremental = runs;
    }

    if (options.only.has('poetry')) {
      log(`realistic haystack (chinese-poetry + seed, ${label})…`);
      // The smoke run (part of npm test) never downloads the 350 MB corpus; it measures it when cached.
      const poetryDir = options.smoke ? cachedPoetryDir(POETRY_CACHE) : ensurePoetryCorpus(POETRY_CACHE, log);
      results.poetry = poetryDir
        ? {
            ...(await buildAndMeasure(
              work,
              `poetry-${p.poetryChunks}`,
              'poetry',
              p.poetryChunks,
              tiny,
              p,
              { devQaRecall: true },
              options.keep,
              options.reuse,
              options.rebuildKeyword,
            )),
            model: label,
          }
        : {
            status: 'not measured',
            reason: `chinese-poetry is not cached in ${POETRY_CACHE}: npm run bench -- --only poetry fetches it`,
          };
    }

    if (options.only.has('frontends')) {
      log('front ends (acknowledgement latency under concurrency)…');
      results.frontends = await runFrontEnds({
        root: ROOT,
        concurrency: p.concurrency,
        requests: p.requests,
        smoke: options.smoke,
      });
    }
    if (options.only.has('llm-hang')) {
      log('LLM that never answers (request budget, circuit breaker)…');
      const hangWork = join(work, 'llm-hang');
      await mkdir(hangWork, { recursive: true });
      results.llmHang = await runLlmHang({
        root: ROOT,
        work: hangWork,
        smoke: options.smoke,
        logger: createSilentLogger(),
      });
    }

    if (options.only.has('formats')) {
      log('reading formats (loaders over the dev corpus; OCR of the 2-page scan)…');
      results.formats = await runFormats({ root: ROOT, smoke: options.smoke, model, modelsDir });
    }
  } finally {
    if (!options.keep) await rm(work, { recursive: true, force: true });
    else log(`kept ${work}`);
  }
  (results.meta as { durationMs: number }).durationMs = Math.round(performance.now() - started);

  const rows: TableRow[] = tableRows(results);
  results.targets = rows
    .filter((r) => r.target)
    .map((r) => ({ section: r.section, metric: r.metric, value: r.value, target: r.target, met: r.met }));
  await mkdir(dirname(options.out), { recursive: true });
  await writeFile(options.out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${formatTable(rows, results.meta as Record<string, unknown>)}\n`);
  log(`results written to ${options.out}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
