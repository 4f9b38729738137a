import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { EnvName } from '../../config/index.js';
import { createEngine, type Engine } from '../../engine/createEngine.js';
import { CorpusError, ErrorCode, UsageError } from '../../errors/index.js';
import {
  corpusFiles,
  discoverSuites,
  displayPath,
  type EvalSet,
  readEvalFile,
  readSuite,
} from '../../eval/eval-sets.js';
import { listRows, questionRows, type ReportRow, renderTable } from '../../eval/report.js';
import { type EvalSetResult, runEvalSet } from '../../eval/run-eval-set.js';
import { createCliContext, printLine, printWarnings } from '../context.js';
import { createProgressReporter } from '../progress.js';
import { parsePositiveInt } from './options.js';

interface SuiteSpec {
  name: string;
  description: string | null;
  /** null: the configured corpus (POLICYBOT_CORPUS_DIR). */
  corpusDir: string | null;
  files: string[];
  /** Own index root under `<POLICYBOT_INDEX_DIR>/eval/<name>`; false: the configured index. */
  ownIndex: boolean;
}

export interface SuiteReport {
  name: string;
  description: string | null;
  corpusDir: string;
  indexDir: string;
  index: string;
  retrieval: 'hybrid' | 'keyword-only';
  model: string | null;
  modelNote: string | null;
  answers: 'llm' | 'extractive';
  documents: { files: number; indexed: number; notLoaded: string[] };
  /** Questions (and list questions) naming a document that is not in the index. */
  needUnloaded: { questions: number; lists: number };
  rows: ReportRow[];
  results: EvalSetResult;
  ms: number;
}

/** A suite whose corpus has no loadable document: reported, and the other suites go on. */
export interface SkippedSuite {
  name: string;
  corpusDir: string;
  reason: string;
  files: string[];
}

const isSkipped = (s: SuiteReport | SkippedSuite): s is SkippedSuite => 'reason' in s;

interface EvalOptions {
  qa?: string;
  lists?: string;
  suite: string[];
  suites?: string;
  k: string;
  model?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

async function specsFrom(opts: EvalOptions): Promise<SuiteSpec[]> {
  const specs: SuiteSpec[] = [];
  const adHoc = [opts.qa, opts.lists].filter((f): f is string => f !== undefined).map((f) => resolve(f));
  if (adHoc.length > 0) {
    specs.push({
      name: displayPath(adHoc[0] ?? ''),
      description: null,
      corpusDir: null,
      files: adHoc,
      ownIndex: false,
    });
  }
  const suites = [
    ...(await Promise.all(opts.suite.map((dir) => readSuite(dir)))),
    ...(opts.suites ? await discoverSuites(opts.suites) : []),
  ];
  for (const s of suites) specs.push({ ...s, ownIndex: true });
  if (specs.length === 0) throw new UsageError('give --qa FILE, --lists FILE, --suite DIR or --suites DIR');
  const names = specs.map((s) => s.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new UsageError(`two suites are named ${twice}`);
  return specs;
}

/** Overrides that make every suite use the model directory given with --model (and fail if it cannot load). */
function modelOverrides(model: string | undefined): Partial<Record<EnvName, string>> {
  if (model === undefined) return {};
  const dir = resolve(model);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(`--model ${model}: not a directory`);
  return {
    POLICYBOT_EMBEDDING_MODEL: dir,
    POLICYBOT_ALLOW_REMOTE_MODELS: 'false',
    POLICYBOT_REQUIRE_MODEL: 'true',
  };
}

async function readSets(files: string[]): Promise<EvalSet> {
  const sets = await Promise.all(files.map((f) => readEvalFile(f)));
  return { questions: sets.flatMap((s) => s.questions), lists: sets.flatMap((s) => s.lists) };
}

const log = (line: string) => process.stderr.write(`${line}\n`);

async function evaluateSuite(
  spec: SuiteSpec,
  k: number,
  overrides: Partial<Record<EnvName, string>>,
  warnings: Set<string>,
): Promise<SuiteReport | SkippedSuite> {
  const started = performance.now();
  const base = createCliContext(overrides, 'error').config;
  const { config, logger } = createCliContext(
    spec.ownIndex
      ? {
          ...overrides,
          ...(spec.corpusDir ? { POLICYBOT_CORPUS_DIR: spec.corpusDir } : {}),
          POLICYBOT_INDEX_DIR: join(base.indexDir, 'eval', spec.name),
          POLICYBOT_MODELS_DIR: base.embedding.modelsDir,
        }
      : overrides,
    'error',
  );
  const set = await readSets(spec.files);
  const files = await corpusFiles(config.corpusDir);
  log(
    `eval ${spec.name}: ${set.questions.length} questions, ${set.lists.length} list questions over ${displayPath(config.corpusDir)} (${files.size} files), index ${displayPath(join(config.indexDir, 'index'))}`,
  );
  const progress = createProgressReporter();
  let engine: Engine;
  try {
    engine = await createEngine({ config, logger, onProgress: progress.onProgress });
  } catch (error) {
    // A corpus none of whose files loads is a finding about the loaders, not a reason to stop the others.
    if (!(error instanceof CorpusError && error.code === ErrorCode.CorpusEmpty)) throw error;
    log(`eval ${spec.name}: skipped: ${error.message}`);
    return { name: spec.name, corpusDir: config.corpusDir, reason: error.message, files: [...files.keys()] };
  } finally {
    progress.stop();
  }
  try {
    const fresh = engine.warnings.filter((w) => !warnings.has(w));
    for (const w of fresh) warnings.add(w);
    printWarnings(fresh);
    const tty = process.stderr.isTTY === true;
    const results = await runEvalSet(engine, set, {
      k,
      docIds: files,
      ...(tty ? { onProgress: (done, total) => process.stderr.write(`\r  ${done}/${total}`) } : {}),
    });
    if (tty) process.stderr.write('\r\x1b[K');
    const indexed = new Set(engine.index.manifest.documents.map((d) => d.id));
    const notLoaded = [...files].filter(([, id]) => !indexed.has(id)).map(([file]) => file);
    const missing = (docs: string[]) => docs.some((d) => !indexed.has(d));
    const status = engine.status();
    const ms = Math.round(performance.now() - started);
    log(`eval ${spec.name}: done in ${(ms / 1000).toFixed(1)} s`);
    return {
      name: spec.name,
      description: spec.description,
      corpusDir: config.corpusDir,
      indexDir: join(config.indexDir, 'index'),
      index: engine.build
        ? engine.build.rebuilt
          ? `rebuilt (${engine.build.reason})`
          : 'up to date'
        : 'loaded',
      retrieval: engine.retriever.mode,
      model: status.embedder.model,
      modelNote: status.embedder.reason,
      answers: status.llm.configured ? 'llm' : 'extractive',
      documents: { files: files.size, indexed: indexed.size, notLoaded },
      needUnloaded: {
        questions: results.questions.filter((r) => missing(r.docs)).length,
        lists: results.lists.filter((r) => missing(r.docs)).length,
      },
      rows: [...questionRows(spec.name, results.questions, k), ...listRows(spec.name, results.lists)],
      results,
      ms,
    };
  } finally {
    await engine.close();
  }
}

function retrievalOf(s: SuiteReport): string {
  return s.retrieval === 'hybrid'
    ? `hybrid with ${s.model}${s.modelNote ? ` (${s.modelNote})` : ''}`
    : 'keyword-only';
}

/** What produced the numbers, said above the table so that a pasted table keeps it. */
function setupOf(s: SuiteReport): string {
  return `${retrievalOf(s)} retrieval, ${s.answers} answers`;
}

function suiteNote(s: SuiteReport): string[] {
  const retrieval = retrievalOf(s);
  const degraded = [...s.results.questions, ...s.results.lists].filter((r) => r.degraded).length;
  const lines = [
    `${s.name}: ${displayPath(s.corpusDir)}, ${s.documents.indexed} document(s) indexed from ${s.documents.files} file(s); ${retrieval} retrieval; ${s.answers} answers${degraded ? ` (${degraded} with a notice, e.g. extractive fallback)` : ''}; index ${displayPath(s.indexDir)} ${s.index}.`,
  ];
  if (s.documents.notLoaded.length > 0) {
    lines.push(
      `  ${s.documents.notLoaded.length} document(s) not loaded: ${s.documents.notLoaded.join(', ')}.`,
      `  ${s.needUnloaded.questions} question(s) and ${s.needUnloaded.lists} list question(s) need a document that is not loaded.`,
    );
  }
  return lines;
}

const LEGEND = [
  'Columns: R@1, R@k: the evidence is in the first / the top k retrieved passages; MRR: mean 1/rank of the first hit;',
  'doc@1: the first passage is from the question’s document; contain: the answer or its citation quotes hold the',
  'evidence; cite P: citations whose passage holds the evidence; item R: share of a list’s items in the answer or its',
  'quotes; item P: cited sentences that hold an item; false ref: answerable questions refused; neg ref: unanswerable',
  'questions refused; phantom: citations whose quote is not verbatim in its passage; heading: answers that are only a',
  'heading, title or file name; len: mean characters of the answers given. A hit is the evidence, whitespace ignored,',
  'verbatim or with at most 1 character in 10 edited. See README, "Quality".',
];

export function register(program: Command): void {
  program
    .command('eval')
    .description(
      'Quality on evaluation sets: recall@1/@k, MRR, doc@1, answer containment, citation precision, refusals, phantom citations, list item recall/precision',
    )
    .option(
      '--qa <file>',
      'JSONL questions ({q, lang, kind, doc, evidence} or {id, q, evidence, lang}) over POLICYBOT_CORPUS_DIR',
    )
    .option(
      '--lists <file>',
      'JSONL list questions ({q, lang, scope, doc, section, items}) over POLICYBOT_CORPUS_DIR',
    )
    .option('--suite <dir>', 'a suite folder with suite.json (repeatable)', collect, [])
    .option('--suites <dir>', 'every suite folder (with suite.json) under DIR, e.g. eval')
    .option('-k, --k <n>', 'passages retrieved per question', '5')
    .option('--model <dir>', 'local transformers.js model directory for dense retrieval (required to load)')
    .option('--json', 'print JSON')
    .action(async (opts: EvalOptions) => {
      const k = parsePositiveInt(opts.k, '--k');
      const overrides = modelOverrides(opts.model);
      const specs = await specsFrom(opts);
      const warnings = new Set<string>();
      const outcomes: (SuiteReport | SkippedSuite)[] = [];
      for (const spec of specs) outcomes.push(await evaluateSuite(spec, k, overrides, warnings));
      const reports = outcomes.filter((o): o is SuiteReport => !isSkipped(o));
      const skipped = outcomes.filter(isSkipped);
      const rows = reports.flatMap((r) => r.rows);
      const all = reports.flatMap((r) => [...r.results.questions, ...r.results.lists]);
      const phantoms = all.reduce((s, r) => s + r.phantoms.length, 0);
      const citations = all.reduce((s, r) => s + r.citations, 0);
      if (opts.json) {
        printLine(
          JSON.stringify({ k, phantoms, answers: all.length, citations, rows, suites: reports, skipped }),
        );
        return;
      }
      const setups = [...new Set(reports.map(setupOf))];
      printLine(`policybot eval (k=${k}): ${setups.join('; ')}\n`);
      printLine(renderTable(rows, k));
      printLine('');
      for (const r of reports) for (const line of suiteNote(r)) printLine(line);
      for (const r of skipped) {
        printLine(
          `${r.name}: SKIPPED, no document of ${displayPath(r.corpusDir)} could be loaded (${r.files.length} file(s): ${r.files.join(', ')}).`,
        );
      }
      printLine(`Phantom citations: ${phantoms} in ${all.length} answers with ${citations} citations.\n`);
      for (const line of LEGEND) printLine(line);
    });
}
