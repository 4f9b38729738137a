import type { FormatsOutput } from '../formats.js';
import type { FrontEndResults } from '../frontends.js';
import type { LlmHangOutput } from '../llm-hang.js';
import type { SeedOutput } from '../seed.js';
import type { BuildOutput, MeasureOutput } from '../worker.js';
import type { TableRow } from './table.js';

/** The targets (2 cores, 100,000 chunks; seed corpus for the last two). */
export const TARGETS = {
  hybridP50Ms: 10,
  hybridP99Ms: 30,
  loadMs: 2_000,
  rssMb: 1_536,
  hnswRecallAt10: 0.99,
  seedRetrieveP50Ms: 5,
  seedAskP50Ms: 20,
} as const;

interface RunLike {
  chunks: number;
  dimension: number;
  vectors: string;
  model?: string;
  build: BuildOutput;
  sizeMb: number;
  measure: MeasureOutput;
}

const atMost = (value: number | null | undefined, limit: number): boolean | null =>
  typeof value === 'number' && Number.isFinite(value) ? value <= limit : null;
const atLeast = (value: number | null | undefined, limit: number): boolean | null =>
  typeof value === 'number' && Number.isFinite(value) ? value >= limit : null;

function seedRows(seed: SeedOutput): TableRow[] {
  const s = `seed (${seed.embedder.isTestModel ? 'tiny TEST model' : seed.embedder.model})`;
  return [
    { section: s, metric: 'chunks', value: seed.chunks, unit: '' },
    { section: s, metric: 'index build (embed + hnsw + keyword + write)', value: seed.buildMs, unit: 'ms' },
    { section: s, metric: 'start-up check, index up to date', value: seed.upToDateCheckMs, unit: 'ms' },
    { section: s, metric: 'embedding throughput', value: seed.embedChunksPerSecond, unit: 'chunks/s' },
    {
      section: s,
      metric: 'retrieve p50',
      value: seed.retrieve.p50,
      unit: 'ms',
      target: `≤ ${TARGETS.seedRetrieveP50Ms} ms`,
      met: atMost(seed.retrieve.p50, TARGETS.seedRetrieveP50Ms),
    },
    { section: s, metric: 'retrieve p99', value: seed.retrieve.p99, unit: 'ms' },
    {
      section: s,
      metric: 'extractive ask p50',
      value: seed.ask.p50,
      unit: 'ms',
      target: `≤ ${TARGETS.seedAskP50Ms} ms`,
      met: atMost(seed.ask.p50, TARGETS.seedAskP50Ms),
      note: `measured through ${seed.askVia}`,
    },
    { section: s, metric: 'extractive ask p99', value: seed.ask.p99, unit: 'ms' },
    {
      section: s,
      metric: 'first retrieve (loads jieba dictionary)',
      value: seed.firstRetrieveMs,
      unit: 'ms',
    },
    { section: s, metric: 'dev-qa recall@5 (hybrid)', value: seed.devQa.recallAtK, unit: '' },
    {
      section: s,
      metric: `CLI cold start \`retrieve --json\` p50 (${seed.cli.runs} runs)`,
      value: seed.cli.runs ? seed.cli.retrieveColdStart.p50 : null,
      unit: 'ms',
      note: seed.cli.runs
        ? `bare \`node -e 0\` p50 is ${seed.cli.nodeBaseline.p50} ms on this machine`
        : 'dist/cli/main.js missing: run `npm run build`',
    },
  ];
}

function runRows(section: string, run: RunLike, withTargets: boolean): TableRow[] {
  const m = run.measure;
  const t = <T extends TableRow>(row: T, target: string, met: boolean | null): TableRow =>
    withTargets ? { ...row, target, met } : row;
  return [
    {
      section,
      metric: 'build (embed + hnsw + keyword + write)',
      value: round1(run.build.buildMs / 1000),
      unit: 's',
    },
    {
      section,
      metric: 'build parts: embed / hnsw / keyword / write',
      value: [run.build.embedMs, run.build.vectorsMs, run.build.keywordMs, run.build.writeMs]
        .map((x) => `${round1(x / 1000)}`)
        .join(' / ')
        .concat(' s'),
      unit: '',
    },
    { section, metric: 'index size on disk', value: run.sizeMb, unit: 'MB' },
    t(
      { section, metric: 'index load', value: m.loadMs, unit: 'ms' },
      `≤ ${TARGETS.loadMs} ms`,
      atMost(m.loadMs, TARGETS.loadMs),
    ),
    t(
      { section, metric: 'RSS after load (fresh process)', value: m.memory.afterLoad.rssMb, unit: 'MB' },
      `≤ ${TARGETS.rssMb} MB`,
      atMost(m.memory.afterLoad.rssMb, TARGETS.rssMb),
    ),
    { section, metric: 'RSS after all queries', value: m.memory.afterQueries.rssMb, unit: 'MB' },
    {
      section,
      metric: 'dense p50 / p99 (hnsw, k=50)',
      value: `${m.dense.p50} / ${m.dense.p99} ms`,
      unit: '',
    },
    {
      section,
      metric: 'keyword p50 / p99 (FTS5 + re-rank, k=50)',
      value: `${m.keyword.p50} / ${m.keyword.p99} ms`,
      unit: '',
    },
    t(
      { section, metric: 'hybrid p50', value: m.hybrid.p50, unit: 'ms' },
      `≤ ${TARGETS.hybridP50Ms} ms`,
      atMost(m.hybrid.p50, TARGETS.hybridP50Ms),
    ),
    t(
      { section, metric: 'hybrid p99', value: m.hybrid.p99, unit: 'ms' },
      `≤ ${TARGETS.hybridP99Ms} ms`,
      atMost(m.hybrid.p99, TARGETS.hybridP99Ms),
    ),
    ...(m.hybridFiltered
      ? [
          {
            section,
            metric: 'hybrid with issuer filter p50 / p99',
            value: `${m.hybridFiltered.p50} / ${m.hybridFiltered.p99} ms`,
            unit: '',
          },
        ]
      : []),
    t(
      { section, metric: `hnsw recall@10 vs exact (ef ${m.ef})`, value: m.hnswRecallAt10, unit: '' },
      `≥ ${TARGETS.hnswRecallAt10}`,
      atLeast(m.hnswRecallAt10, TARGETS.hnswRecallAt10),
    ),
    ...sweepRows(section, m),
  ];
}

/** ε-recall at the configured ef, and recall / search time across the ef values measured. */
function sweepRows(section: string, m: MeasureOutput): TableRow[] {
  return [
    { section, metric: `hnsw ε-recall@10, ε = 0.01 (ef ${m.ef})`, value: m.hnswEpsilonRecallAt10, unit: '' },
    {
      section,
      metric: 'ef → recall@10 (search p50, k=10)',
      value: m.efSweep.map((e) => `${e.ef}→${e.recallAt10} (${e.searchMs.p50} ms)`).join(', '),
      unit: '',
    },
  ];
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function isRun(value: unknown): value is RunLike {
  return typeof value === 'object' && value !== null && 'measure' in value;
}

/** Table rows for whatever sections `results` holds. */
function formatRows(formats: FormatsOutput): TableRow[] {
  const section = 'reading formats';
  const rows: TableRow[] = formats.loaders.map((l) => ({
    section,
    metric: `${l.format} loader (${l.documents} dev docs, ${l.chars.toLocaleString('en-US')} chars)`,
    value: `${l.msPerDocument} ms/doc, ${l.msPer1000Chars} ms per 1,000 chars`,
    unit: '',
  }));
  const ocr = formats.ocr;
  if ('status' in ocr) {
    rows.push({ section, metric: 'OCR', value: null, unit: '', note: ocr.reason });
    return rows;
  }
  rows.push(
    {
      section,
      metric: `OCR seconds per page (${ocr.pages}-page scan, ${ocr.workers} workers): wall / CPU`,
      value: `${ocr.secondsPerPage} s / ${ocr.cpuSecondsPerPage} s`,
      unit: '',
      note: 'wall time depends on what else runs; CPU time is the cost of a page',
    },
    {
      section,
      metric: 'OCR character error rate vs text layer',
      value: ocr.cer,
      unit: '',
      target: '≤ 0.04',
      met: ocr.cer <= 0.04,
    },
    { section, metric: 'OCR mean confidence', value: ocr.meanConfidence, unit: '' },
    { section, metric: 'scan re-read from the OCR cache', value: ocr.cachedMs, unit: 'ms' },
    {
      section,
      metric: 'OCR share of indexing: dev corpus with the scan for its PDF vs with the PDF (tiny model)',
      value: `${Math.round(ocr.shareOfIndexing * 100)} % (${(ocr.indexMs / 1000).toFixed(1)} s vs ${(ocr.textIndexMs / 1000).toFixed(1)} s)`,
      unit: '',
    },
    {
      section,
      metric: `questions on the scanned pages with ≥ 90 % of the evidence in the top 5: text PDF / scan (of ${ocr.retrieval.questions})`,
      value: `${ocr.retrieval.textCopy} / ${ocr.retrieval.scannedCopy}`,
      unit: '',
    },
    {
      section,
      metric: 'CER under a red seal: red dropped / kept',
      value: `${(ocr.seal.cerRedDropped * 100).toFixed(2)} % / ${(ocr.seal.cerRedKept * 100).toFixed(2)} %`,
      unit: '',
    },
  );
  return rows;
}

export function tableRows(results: Record<string, unknown>): TableRow[] {
  const rows: TableRow[] = [];
  if (results.formats) rows.push(...formatRows(results.formats as FormatsOutput));
  if (results.seed) rows.push(...seedRows(results.seed as SeedOutput));
  for (const run of (results.scale as RunLike[] | undefined) ?? []) {
    const section = `synthetic ${run.chunks.toLocaleString('en-US')} × ${run.dimension}-d`;
    rows.push(...runRows(section, run, true));
  }
  for (const run of (results.scaleIid as RunLike[] | undefined) ?? []) {
    const section = `i.i.d. random ${run.chunks.toLocaleString('en-US')} × ${run.dimension}-d (worst case)`;
    const m = run.measure;
    rows.push(
      {
        section,
        metric: 'dense p50 / p99 (hnsw, k=50)',
        value: `${m.dense.p50} / ${m.dense.p99} ms`,
        unit: '',
      },
      {
        section,
        metric: `hnsw recall@10 vs exact (ef ${m.ef})`,
        value: m.hnswRecallAt10,
        unit: '',
        note: 'independent random directions have no neighbourhood structure; real embeddings do',
      },
      ...sweepRows(section, m),
    );
  }
  if (isRun(results.poetry)) {
    const run = results.poetry;
    const section = `poetry haystack ${run.chunks.toLocaleString('en-US')} (${run.model ?? 'tiny TEST model'}, ${run.dimension}-d)`;
    rows.push(...runRows(section, run, true));
    const qa = run.measure.devQa;
    if (qa) {
      rows.push(
        {
          section,
          metric: 'dev-qa recall@5 hybrid',
          value: qa.hybrid.recallAtK,
          unit: '',
          note: qa.hybrid.misses.length ? `hybrid misses: ${qa.hybrid.misses.join(', ')}` : '',
        },
        { section, metric: 'dev-qa recall@5 keyword-only', value: qa.keywordOnly.recallAtK, unit: '' },
      );
    }
  } else if (results.poetry) {
    rows.push({
      section: 'poetry haystack',
      metric: 'all',
      value: null,
      unit: '',
      note: String((results.poetry as { reason?: string }).reason),
    });
  }
  const fe = results.frontends as FrontEndResults | undefined;
  if (fe) {
    for (const [name, r] of Object.entries(fe)) {
      const section = `front end: ${name}`;
      if (r.status === 'measured') {
        rows.push({
          section,
          metric: `ack p50 / p99 (${r.requests} requests, ${r.concurrency} concurrent)`,
          value: `${r.p50} / ${r.p99} ms`,
          unit: '',
          ...(r.note ? { note: r.note } : {}),
        });
      } else {
        rows.push({ section, metric: 'ack p50 / p99', value: null, unit: '', note: r.reason });
      }
    }
  }
  const hang = results.llmHang as LlmHangOutput | undefined;
  if (hang) {
    const section = `LLM that never answers (budget ${hang.budgetMs} ms)`;
    const extra = round1(hang.breakerOpen.p99 - hang.extractive.p99);
    rows.push(
      {
        section,
        metric: `ask p50 / p99, breaker off (${hang.hanging.n} asks, ${hang.concurrency} concurrent)`,
        value: `${hang.hanging.p50} / ${hang.hanging.p99} ms`,
        unit: '',
        target: `p99 ≤ ${hang.budgetMs} ms`,
        met: atMost(hang.hanging.p99, hang.budgetMs),
        note: `${hang.leftOpenConnections} model connection(s) left open afterwards`,
      },
      {
        section,
        metric: 'ask p50 / p99, breaker open / no LLM at all',
        value: `${hang.breakerOpen.p50} / ${hang.breakerOpen.p99} ms vs ${hang.extractive.p50} / ${hang.extractive.p99} ms`,
        unit: '',
      },
      {
        section,
        metric: 'ask p99 extra with the breaker open',
        value: extra,
        unit: 'ms',
        target: '≤ 100 ms',
        met: atMost(extra, 100),
      },
    );
  }
  return rows.map((r) => (r.note === '' ? { ...r, note: undefined } : r)) as TableRow[];
}
