/**
 * Reading formats: loader time per document and per 1,000 characters over the dev corpus (HTML, PDF, DOCX,
 * Markdown, text), and OCR of the 2-page scan — seconds per page with one worker per core, character error
 * rate against the text layer, the re-read from the cache, the share OCR takes of indexing a corpus that
 * holds the scan, and the effect of dropping red pixels on a strip with a red seal.
 */
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { loadConfig } from '../src/config/index.js';
import { createRetrievalEngine, indexDirFor } from '../src/engine/createEngine.js';
import { ensureIndex } from '../src/index/build-index.js';
import { loadDocument } from '../src/ingest/load-corpus.js';
import { unifyIdeographs } from '../src/ingest/loaders/cjk-ideographs.js';
import { decodeImagePage, prepareRaw } from '../src/ingest/ocr/ocr-image.js';
import { closeOcrPool, ocrPool } from '../src/ingest/ocr/ocr-pool.js';
import { ocrLines } from '../src/ingest/ocr/ocr-text.js';
import type { LoaderOptions, SourceDocument } from '../src/ingest/types.js';
import { charErrorRate, evidenceCoverage } from '../src/internal/text-measures.js';
import { createSilentLogger } from '../src/logging/logger.js';
import { makeEmbedder } from './lib/embedders.js';

export interface LoaderTiming {
  format: string;
  documents: number;
  chars: number;
  msPerDocument: number;
  msPer1000Chars: number;
}

export interface OcrOutput {
  pages: number;
  workers: number;
  /** Wall time of the whole scan divided by its pages (pages run in parallel). */
  secondsPerPage: number;
  /** Process CPU time (all threads) per page: what a page costs whatever else runs on the machine. */
  cpuSecondsPerPage: number;
  cer: number;
  meanConfidence: number;
  /** Loading the same scan again with the cache filled. */
  cachedMs: number;
  /** Index build (tiny model) of the dev corpus with the scan instead of the text PDF, OCR included. */
  indexMs: number;
  /** The same with the text PDF. */
  textIndexMs: number;
  /** OCR time of the scan when loaded on its own. */
  ocrMs: number;
  shareOfIndexing: number;
  seal: { cerRedDropped: number; cerRedKept: number };
  /** Dev-corpus questions whose evidence is on the scanned pages: share with a top-5 passage holding ≥ 90 %
   * of the evidence's characters, with the text PDF and with the scan in the corpus. */
  retrieval: { questions: number; textCopy: number; scannedCopy: number };
}

export interface FormatsOutput {
  loaders: LoaderTiming[];
  ocr: OcrOutput | { status: 'not measured'; reason: string };
}

const time = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const started = performance.now();
  const value = await fn();
  return [value, performance.now() - started];
};

async function loaderTimings(docsDir: string): Promise<LoaderTiming[]> {
  const files = (await readdir(docsDir)).sort();
  const byFormat = new Map<string, { documents: number; chars: number; ms: number }>();
  const options: LoaderOptions = { ocr: false, cacheDir: null };
  // First pass warms the libraries (pdf.js, htmlparser2 …); the second is timed.
  for (const f of files) await loadDocument(join(docsDir, f), f, { loader: options });
  for (const f of files) {
    const [doc, ms] = await time(() => loadDocument(join(docsDir, f), f, { loader: options }));
    const entry = byFormat.get(doc.format) ?? { documents: 0, chars: 0, ms: 0 };
    entry.documents++;
    entry.chars += doc.text.length;
    entry.ms += ms;
    byFormat.set(doc.format, entry);
  }
  return [...byFormat].map(([format, e]) => ({
    format,
    documents: e.documents,
    chars: e.chars,
    msPerDocument: Math.round((e.ms / e.documents) * 10) / 10,
    msPer1000Chars: Math.round((e.ms / (e.chars / 1000)) * 100) / 100,
  }));
}

async function sealCer(root: string): Promise<OcrOutput['seal']> {
  const bytes = await readFile(join(root, 'test/fixtures/formats/seal-crop.jpg'));
  const layer = unifyIdeographs(
    await readFile(join(root, 'test/fixtures/formats/yaopin-p1-2.text-layer.txt'), 'utf8'),
  );
  const flat = layer.replace(/\s+/g, '');
  const first = '督促检查、总结评估';
  const last = '探索完善药品集中采购机制和';
  const reference = flat.slice(flat.indexOf(first), flat.indexOf(last) + last.length);
  const pool = await ocrPool();
  const read = async (dropRed: boolean) => {
    const prepared = await prepareRaw(await decodeImagePage(bytes, 1), { dropRed });
    const text = ocrLines(await pool.recognize(prepared.png))
      .map((l) => l.text)
      .join('');
    return charErrorRate(text.slice(text.indexOf(first.slice(0, 4))), reference);
  };
  const [cerRedDropped, cerRedKept] = await Promise.all([read(true), read(false)]);
  return { cerRedDropped, cerRedKept };
}

async function measureOcr(root: string, work: string, model: string, modelsDir: string): Promise<OcrOutput> {
  const scan = join(root, 'test/fixtures/formats/yaopin-scan-p1-2.pdf');
  const cacheDir = join(work, 'ocr-cache');
  await mkdir(cacheDir, { recursive: true });
  const workers = availableParallelism();
  const cpu = process.cpuUsage();
  const [doc, wallMs] = await time(() =>
    loadDocument(scan, 'scan', { loader: { ocr: true, cacheDir, workers } }),
  );
  const { user, system } = process.cpuUsage(cpu);
  const reference = unifyIdeographs(
    await readFile(join(root, 'test/fixtures/formats/yaopin-p1-2.text-layer.txt'), 'utf8'),
  );
  const [, cachedMs] = await time(() =>
    loadDocument(scan, 'scan', { loader: { ocr: true, cacheDir, workers } }),
  );

  // Indexing a corpus that holds the scan: the dev corpus with the scan in place of the PDF it was made from,
  // built with the tiny model. The index build reads with the default loader options (OCR on, no cache), so
  // it OCRs the scan itself. The same corpus with the text PDF is the comparison for retrieval.
  const docs = join(root, 'eval/corpus-dev/docs');
  const textPdf = 'guobanfa-2019-02-yaopin-jizhong-caigou.pdf';
  const scanned = join(work, 'corpus-scan');
  await mkdir(scanned, { recursive: true });
  for (const f of await readdir(docs)) if (f !== textPdf) await copyFile(join(docs, f), join(scanned, f));
  await copyFile(scan, join(scanned, `yaopin-scan${extname(scan)}`));
  const questions = await evidenceOnScan(root, reference);
  const scanIndex = await indexAndRetrieve(scanned, join(work, 'index-scan'), model, modelsDir, questions);
  const textIndex = await indexAndRetrieve(docs, join(work, 'index-text'), model, modelsDir, questions);
  const indexMs = scanIndex.indexMs;
  const seal = await sealCer(root);
  await closeOcrPool();
  const ocr = (doc as SourceDocument).ocr;
  return {
    pages: ocr?.pages ?? 0,
    workers,
    secondsPerPage: Math.round((wallMs / 1000 / (ocr?.pages ?? 1)) * 10) / 10,
    cpuSecondsPerPage: Math.round(((user + system) / 1e6 / (ocr?.pages ?? 1)) * 10) / 10,
    cer: charErrorRate(doc.text, reference),
    meanConfidence: Math.round(ocr?.meanConfidence ?? 0),
    cachedMs: Math.round(cachedMs),
    indexMs: Math.round(indexMs),
    textIndexMs: Math.round(textIndex.indexMs),
    ocrMs: ocr?.ms ?? 0,
    // What the scan costs over its text copy, as a share of indexing the corpus that holds the scan.
    shareOfIndexing: indexMs > 0 ? Math.max(0, indexMs - textIndex.indexMs) / indexMs : 0,
    seal,
    retrieval: { questions: questions.length, textCopy: textIndex.found, scannedCopy: scanIndex.found },
  };
}

/** Evidence strings of the dev-corpus questions that lie on the scanned pages (by the text layer). */
async function evidenceOnScan(root: string, layer: string): Promise<{ q: string; evidence: string }[]> {
  const squash = (t: string) => unifyIdeographs(t).normalize('NFKC').replace(/\s+/g, '');
  const lines = (await readFile(join(root, 'eval/corpus-dev/qa.jsonl'), 'utf8')).split('\n').filter(Boolean);
  return lines
    .map((l) => JSON.parse(l) as { q: string; evidence?: string | null })
    .filter(
      (q): q is { q: string; evidence: string } => !!q.evidence && squash(layer).includes(squash(q.evidence)),
    );
}

/** Builds an index of `corpus` (tiny model) and counts the questions with the evidence in a top-5 passage. */
async function indexAndRetrieve(
  corpus: string,
  indexDir: string,
  model: string,
  modelsDir: string,
  questions: readonly { q: string; evidence: string }[],
): Promise<{ indexMs: number; found: number }> {
  const logger = createSilentLogger();
  const config = loadConfig(
    {},
    {
      POLICYBOT_CORPUS_DIR: corpus,
      POLICYBOT_INDEX_DIR: indexDir,
      POLICYBOT_EMBEDDING_MODEL: model,
      POLICYBOT_MODELS_DIR: modelsDir,
      POLICYBOT_ALLOW_REMOTE_MODELS: 'false',
    },
  );
  const { embedder } = await makeEmbedder({ kind: 'model', model, modelsDir }, logger);
  const [, indexMs] = await time(() =>
    ensureIndex({
      corpusDir: config.corpusDir,
      indexDir: indexDirFor(config),
      chunking: config.chunking,
      embedder,
      embedderReason: null,
      force: true,
      logger,
    }),
  );
  const engine = await createRetrievalEngine({
    config,
    logger,
    ensureIndex: false,
    embedderLoad: { embedder, warning: null },
  });
  let found = 0;
  for (const { q, evidence } of questions) {
    const { passages } = await engine.retriever.retrieve({ text: q, k: 5 });
    if (passages.some((p) => evidenceCoverage(evidence, p.chunk.text) >= 0.9)) found++;
  }
  engine.index.keyword.close();
  return { indexMs, found };
}

export async function runFormats(options: {
  root: string;
  smoke: boolean;
  model: string;
  modelsDir: string;
}): Promise<FormatsOutput> {
  const loaders = await loaderTimings(join(options.root, 'eval/corpus-dev/docs'));
  if (options.smoke) {
    return {
      loaders,
      ocr: { status: 'not measured', reason: 'the smoke run does no OCR (about 10 s a page)' },
    };
  }
  const work = await mkdtemp(join(tmpdir(), 'policybot-bench-formats-'));
  try {
    return { loaders, ocr: await measureOcr(options.root, work, options.model, options.modelsDir) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
