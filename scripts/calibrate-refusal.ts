/**
 * Refusal calibration: runs the real engine's retrieval over answerable questions (dev-qa positives) and
 * out-of-corpus questions (dev-qa negatives + test/fixtures/out-of-corpus.jsonl), prints every evidence
 * signal and score, the separation between the two groups, the refusal counts at the current thresholds
 * (src/answer/coverage.ts REFUSAL), and the extractive answers' containment / citation precision.
 *
 * Usage: node --import tsx scripts/calibrate-refusal.ts [--qa eval/seed/qa.jsonl] [--json]
 *        node --import tsx scripts/calibrate-refusal.ts --suites eval/seed,eval/corpus-dev,eval/corpus-web-dev
 * With --suites, each evaluation set (its suite.json names its corpus and questions) is calibrated on its own
 * index (embeddings/eval/<name>, as `policybot eval` builds it), with the out-of-corpus questions (--extra) added
 * to each set's unanswerable ones, and one curve over all of them is printed:
 * for each threshold, the share of unanswerable questions refused and of answerable ones refused (`--json`: every
 * measured question instead).
 * Otherwise configuration comes from the environment like every command (POLICYBOT_INDEX_DIR, …).
 */
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { composeAnswer } from '../src/answer/compose.js';
import { evidenceScore, evidenceSignals, REFUSAL } from '../src/answer/coverage.js';
import { scoreUnits } from '../src/answer/extractive.js';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/logging/logger.js';
import type { RetrievalQuery, RetrievalResult } from '../src/types.js';

interface Row {
  id: string;
  q: string;
  dept?: string | null;
  evidence?: string | null;
  lang?: string;
}

function readJsonl(path: string): Row[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Row);
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))] ?? Number.NaN;
  return `n=${s.length} min=${q(0).toFixed(3)} p10=${q(0.1).toFixed(3)} median=${q(0.5).toFixed(3)} max=${q(1).toFixed(3)}`;
}

async function openRetrieve(env: NodeJS.ProcessEnv = process.env): Promise<{
  retrieve: (q: RetrievalQuery) => Promise<RetrievalResult>;
  close: () => Promise<void>;
  mode: string;
}> {
  const config = loadConfig(env);
  const logger = createLogger({ level: env.LOG_LEVEL ?? 'warn' });
  // The full engine when it exists; its retrieval half otherwise (same retriever, same index).
  const mod = (await import('../src/engine/createEngine.js')) as Record<string, unknown>;
  if (typeof mod.createEngine === 'function') {
    const engine = (await (mod.createEngine as (o: unknown) => Promise<unknown>)({ config, logger })) as {
      retrieve: (q: RetrievalQuery) => Promise<RetrievalResult>;
      status: () => { embedder: { mode: string; model: string | null } };
      close: () => Promise<void>;
    };
    const s = engine.status().embedder;
    return {
      retrieve: (q) => engine.retrieve(q),
      close: () => engine.close(),
      mode: `${s.mode} ${s.model ?? ''}`,
    };
  }
  const create = mod.createRetrievalEngine as (o: unknown) => Promise<{
    retriever: { retrieve: (q: RetrievalQuery) => Promise<RetrievalResult> };
    embedder: { modelId: string } | null;
  }>;
  const e = await create({ config, logger });
  return {
    retrieve: (q) => e.retriever.retrieve(q),
    close: async () => {},
    mode: e.embedder ? `dense ${e.embedder.modelId}` : 'keyword-only',
  };
}

const K = 8;

interface Measured {
  row: Row;
  suite: string;
  positive: boolean;
  score: number;
  signals: ReturnType<typeof evidenceSignals>;
  refused: boolean;
  contained: boolean | null;
  cited: boolean | null;
  answerText: string;
  /** Citations on the answer, and how many of their passages hold the evidence. */
  citations: number;
  goodCitations: number;
}

/** Retrieves and answers every question of one set; `negatives` are questions the corpus does not answer. */
async function measure(
  suite: string,
  positives: Row[],
  negatives: Row[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<Measured[]> {
  const engine = await openRetrieve(env);
  const logger = createLogger({ level: 'silent' });
  const out: Measured[] = [];
  for (const [positive, rows] of [
    [true, positives],
    [false, negatives],
  ] as const) {
    for (const row of rows) {
      const retrieval = await engine.retrieve({ text: row.q, k: K });
      const signals = evidenceSignals(retrieval, scoreUnits(row.q, retrieval));
      const score = evidenceScore(signals);
      const answer = await composeAnswer({ text: row.q, requestId: `cal_${row.id}` }, row.q, retrieval, {
        llm: null,
        logger,
        maxChars: 300,
      });
      const evidence = row.evidence ?? null;
      out.push({
        row,
        suite,
        positive,
        score,
        signals,
        refused: answer.refused,
        contained: evidence ? answer.text.includes(evidence) : null,
        cited: evidence ? answer.citations.some((c) => c.passage.includes(evidence)) : null,
        answerText: answer.text,
        citations: answer.citations.length,
        goodCitations: evidence ? answer.citations.filter((c) => c.passage.includes(evidence)).length : 0,
      });
    }
  }
  await engine.close();
  return out;
}

/**
 * Refusal rates over thresholds: a question counts as refused at threshold t when its score is below t or the
 * answer was refused for another reason (a year, region or batch the library lacks; no figure for a how-much
 * question), which the threshold does not change.
 */
function printCurve(measured: readonly Measured[]): void {
  const otherwise = (m: Measured) => m.refused && m.score >= REFUSAL.minScore;
  const pos = measured.filter((m) => m.positive);
  const neg = measured.filter((m) => !m.positive);
  console.log(`\nrefusal curve over ${[...new Set(measured.map((m) => m.suite))].join(', ')}`);
  console.log(
    `(${pos.length} answerable, ${neg.length} unanswerable; current threshold ${REFUSAL.minScore})`,
  );
  console.log('threshold  negatives refused  answerable refused');
  for (let t = 0.1; t <= 0.451; t += 0.02) {
    const refusedAt = (m: Measured) => m.score < t || otherwise(m);
    const n = neg.filter(refusedAt).length;
    const p = pos.filter(refusedAt).length;
    console.log(
      `${t.toFixed(2).padStart(9)}  ${`${n}/${neg.length} = ${(n / neg.length).toFixed(2)}`.padStart(17)}  ${`${p}/${pos.length} = ${(p / pos.length).toFixed(2)}`.padStart(18)}`,
    );
  }
}

const suitesArg = arg('--suites', '');
const extraPath = arg('--extra', 'test/fixtures/out-of-corpus.jsonl');
if (suitesArg) {
  // The out-of-corpus questions (weather, sports, passwords…) are unanswerable in any policy library.
  const extra = readJsonl(extraPath);
  const all: Measured[] = [];
  for (const dir of suitesArg.split(',').filter(Boolean)) {
    const spec = JSON.parse(readFileSync(join(dir, 'suite.json'), 'utf8')) as {
      corpus?: string;
      qa?: string;
    };
    const name = basename(dir);
    const rows = readJsonl(join(dir, spec.qa ?? 'qa.jsonl')).map((r, i) => ({
      ...r,
      id: r.id ?? `qa:${i + 1}`,
    }));
    const env = {
      ...process.env,
      POLICYBOT_CORPUS_DIR: resolve(dir, spec.corpus ?? 'docs'),
      POLICYBOT_INDEX_DIR: join('embeddings', 'eval', name),
    };
    const negatives = [...rows.filter((r) => !r.evidence), ...extra];
    all.push(
      ...(await measure(
        name,
        rows.filter((r) => r.evidence),
        negatives,
        env,
      )),
    );
    console.error(`${name}: ${rows.length} questions`);
  }
  if (process.argv.includes('--json')) console.log(JSON.stringify(all, null, 2));
  else printCurve(all);
  process.exit(0);
}

const qaPath = arg('--qa', 'eval/seed/qa.jsonl');
const devQa = readJsonl(qaPath);
const measured = await measure(
  'set',
  devQa.filter((r) => r.evidence),
  [...devQa.filter((r) => !r.evidence), ...readJsonl(extraPath)],
);

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(measured, null, 2));
} else {
  console.log(`thresholds: ${JSON.stringify(REFUSAL)}\n`);
  console.log('label score  cov  unit union   bm25  dense agree  miss  question');
  for (const m of [...measured].sort((a, b) => a.score - b.score)) {
    const s = m.signals;
    console.log(
      [
        m.positive ? 'POS  ' : 'NEG  ',
        m.score.toFixed(3),
        s.coverage.toFixed(2),
        s.unitCoverage.toFixed(2),
        s.unionCoverage.toFixed(2),
        (s.topKeyword ?? 0).toFixed(2).padStart(6),
        s.topDense === null ? '    -' : s.topDense.toFixed(3),
        s.agreement === null ? '   -' : String(s.agreement).padStart(5),
        s.missingSpecific.toFixed(2),
        ` ${m.row.id} ${m.row.q}${m.refused === m.positive ? '   <-- WRONG' : ''}`,
      ].join(' '),
    );
  }
  const pos = measured.filter((m) => m.positive);
  const neg = measured.filter((m) => !m.positive);
  const minPos = Math.min(...pos.map((m) => m.score));
  const maxNeg = Math.max(...neg.map((m) => m.score));
  console.log(`\npositives: ${stats(pos.map((m) => m.score))}`);
  console.log(`negatives: ${stats(neg.map((m) => m.score))}`);
  console.log(
    `margin (min positive − max negative): ${(minPos - maxNeg).toFixed(3)}; midpoint ${((minPos + maxNeg) / 2).toFixed(3)}`,
  );
  console.log(`positive BM25: ${stats(pos.map((m) => m.signals.topKeyword ?? 0))}`);
  console.log(`negative BM25: ${stats(neg.map((m) => m.signals.topKeyword ?? 0))}`);
  console.log(
    `at minScore=${REFUSAL.minScore}: negatives refused ${neg.filter((m) => m.refused).length}/${neg.length}, positives refused ${pos.filter((m) => m.refused).length}/${pos.length}`,
  );
  for (const m of pos.filter((x) => !x.contained || !x.cited || x.goodCitations < x.citations)) {
    console.log(`  missed ${m.row.id}: evidence “${m.row.evidence}” → ${m.answerText}`);
  }
  const contained = pos.filter((m) => m.contained).length;
  const cited = pos.filter((m) => m.cited).length;
  console.log(
    `extractive answers on positives: containment ${contained}/${pos.length} = ${(contained / pos.length).toFixed(3)}, evidence cited ${cited}/${pos.length} = ${(cited / pos.length).toFixed(3)}`,
  );
  const all = pos.reduce((a, m) => a + m.citations, 0);
  const good = pos.reduce((a, m) => a + m.goodCitations, 0);
  console.log(
    `citation precision (citations whose passage holds the evidence): ${good}/${all} = ${(good / all).toFixed(3)}`,
  );
}
