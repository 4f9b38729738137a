import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadEmbedder } from '../../embeddings/load-embedder.js';
import { indexDirFor, loaderOptions } from '../../engine/createEngine.js';
import { asCodedError } from '../../errors/index.js';
import { indexFingerprint, modelKey } from '../../index/fingerprint.js';
import { findIndexFileProblems } from '../../index/integrity.js';
import { openManifest } from '../../index/load-index.js';
import { loadCorpus } from '../../ingest/index.js';
import type { OcrStats } from '../../ingest/types.js';
import { redactRedisUrl } from '../../internal/redis/redact-url.js';
import { createCliContext, printLine } from '../context.js';

/** What is running and why: Node, embedder, index state, corpus, front-end configuration. */
export function register(program: Command): void {
  program
    .command('doctor')
    .description('Check Node, the embedding model, the index and the corpus')
    .option('--json', 'print JSON')
    .option('--verify', "compare every index file with its checksum in the snapshot's manifest")
    .action(async (opts: { json?: boolean; verify?: boolean }) => {
      const { config, logger } = createCliContext({}, 'error');
      const report: Record<string, unknown> = {};
      const lines: string[] = [];
      const major = Number(process.versions.node.split('.')[0]);
      report.node = { version: process.versions.node, ok: major >= 20 };
      lines.push(`Node.js        ${process.versions.node}${major >= 20 ? '' : '  ✗ needs Node 20 or newer'}`);

      const load = await loadEmbedder(config.embedding, logger);
      report.embedder = load.embedder
        ? {
            mode: 'dense',
            model: load.embedder.modelId,
            dimension: load.embedder.dimension,
            testModel: load.embedder.isTestModel,
          }
        : { mode: 'keyword-only', model: config.embedding.model, warning: load.warning };
      lines.push(
        load.embedder
          ? `Embedder       ${load.embedder.modelId} (${load.embedder.dimension}-d)${load.embedder.isTestModel ? '  ⚠ TEST MODEL with random weights — not for production' : ''}`
          : `Embedder       ✗ ${config.embedding.model} unavailable → KEYWORD-ONLY retrieval`,
      );
      if (load.warning) lines.push(...load.warning.split('\n').map((l) => `               ${l}`));

      let corpus: { id: string; path: string; contentHash: string; text: string }[] = [];
      try {
        // With the index's OCR settings and cache: a scan recognised by `policybot index` is not OCR'd again.
        const loaded = await loadCorpus(config.corpusDir, { loader: loaderOptions(config) });
        corpus = loaded.documents;
        const chars = corpus.reduce((n, d) => n + d.text.length, 0);
        report.corpus = {
          dir: config.corpusDir,
          documents: corpus.length,
          characters: chars,
          failures: loaded.failures,
        };
        lines.push(`Corpus         ${config.corpusDir}: ${corpus.length} document(s), ${chars} characters`);
        const ocr = describeOcr(loaded.documents);
        (report.corpus as Record<string, unknown>).ocr = ocr.report;
        lines.push(...ocr.lines);
        if (loaded.failures.length > 0) {
          lines.push(`               ✗ ${loaded.failures.length} file(s) could not be read (not indexed):`);
          for (const f of loaded.failures) lines.push(`                 ${f.path}: ${f.message}`);
        }
      } catch (error) {
        report.corpus = { dir: config.corpusDir, error: asCodedError(error).message };
        lines.push(`Corpus         ✗ ${asCodedError(error).message}`);
        lines.push('               (`policybot serve` still answers from an existing index)');
      }

      const indexDir = indexDirFor(config);
      let damaged = false;
      try {
        const { dir, snapshot, manifest } = await openManifest(indexDir);
        const current = indexFingerprint({
          documents: corpus,
          chunking: config.chunking,
          model: load.embedder
            ? modelKey(load.embedder.modelId, load.embedder.dimension)
            : modelKey(manifest.embedder.model, manifest.embedder.dimension),
        });
        const fresh = current === manifest.fingerprint;
        const size = await dirSize(dir);
        // Sizes always (a stat per file); every byte against its checksum with --verify.
        const problems = await findIndexFileProblems(dir, manifest, { checksums: opts.verify ?? false });
        damaged = problems.length > 0;
        const state = damaged ? 'damaged' : fresh ? 'up to date' : 'stale';
        report.index = {
          dir: indexDir,
          snapshot,
          state,
          manifest,
          bytes: size,
          verified: opts.verify ? (manifest.files ? !damaged : null) : undefined,
          problems,
        };
        lines.push(
          `Index          ${indexDir}${snapshot ? ` (snapshot ${snapshot})` : ' (single folder: `policybot index` makes it a snapshot)'}: ${manifest.counts.chunks} chunks, ${manifest.embedder.mode}${manifest.embedder.model ? ` (${manifest.embedder.model})` : ''}, ${(size / 1024).toFixed(0)} KiB, built ${manifest.createdAt} — ${damaged ? 'DAMAGED' : fresh ? 'up to date' : 'STALE: run `policybot index`'}`,
        );
        for (const p of problems)
          lines.push(`               ✗ ${p.name} ${p.problem}: run \`policybot index --force\``);
        if (opts.verify && !damaged) {
          lines.push(
            manifest.files
              ? `               ✓ ${manifest.files.length} files match their checksums`
              : '               no checksums recorded (built before snapshots): run `policybot index`',
          );
        }
        if (manifest.embedder.mode === 'keyword-only') {
          lines.push(
            `               built keyword-only: ${manifest.embedder.reason ?? 'no embedding model'}`,
          );
        }
      } catch (error) {
        report.index = { dir: indexDir, state: 'unusable', error: asCodedError(error).message };
        lines.push(`Index          ✗ ${asCodedError(error).message}`);
      }

      report.llm = config.llm
        ? { model: config.llm.model, baseURL: config.llm.baseURL ?? 'https://api.openai.com/v1' }
        : null;
      lines.push(
        `LLM            ${config.llm ? `${config.llm.model} at ${config.llm.baseURL ?? 'api.openai.com'}` : 'not configured → extractive answers'}`,
      );
      report.slack = config.slack ? { mode: config.slack.appToken ? 'socket' : 'http' } : null;
      lines.push(
        `Slack          ${config.slack ? (config.slack.appToken ? 'configured (Socket Mode)' : 'configured (HTTP /slack/events)') : 'not configured'}`,
      );
      report.sharedState = config.redis ? { backend: 'redis', url: redactRedisUrl(config.redis.url) } : null;
      lines.push(
        `Shared state   ${config.redis ? `Redis ${redactRedisUrl(config.redis.url)}` : 'this process only (set REDIS_URL for several replicas)'}`,
      );
      report.wecom = { app: config.wecom.app !== null, aibot: config.wecom.aibot !== null };
      lines.push(
        `WeCom          app ${config.wecom.app ? 'configured' : 'not configured'}, AI bot ${config.wecom.aibot ? 'configured' : 'not configured'}`,
      );
      await load.embedder?.dispose();
      printLine(opts.json ? JSON.stringify(report) : lines.join('\n'));
      // A damaged index is the one finding that stops the server from answering: scripts can branch on it.
      if (damaged) process.exitCode = 1;
    });
}

async function dirSize(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) total += (await stat(join(dir, name))).size;
  return total;
}

export interface OcrDocumentReport {
  id: string;
  pages: number;
  meanConfidence: number;
  lowConfidencePages: number[];
}

/**
 * The documents read by OCR, with their mean recognition confidence (0–100), and the pages below
 * the OCR's low-confidence threshold (LOW_CONFIDENCE in ocr-pages.ts) flagged: their text may be wrong, so a person should look at them.
 */
export function describeOcr(documents: readonly { id: string; ocr?: OcrStats | null | undefined }[]): {
  report: OcrDocumentReport[];
  lines: string[];
} {
  const read = documents.flatMap((d) =>
    d.ocr
      ? [
          {
            id: d.id,
            pages: d.ocr.pages,
            meanConfidence: Math.round(d.ocr.meanConfidence * 10) / 10,
            lowConfidencePages: d.ocr.lowConfidencePages,
          },
        ]
      : [],
  );
  const lines: string[] = [];
  if (read.length > 0) {
    const pages = read.reduce((n, d) => n + d.pages, 0);
    lines.push(`               OCR: ${read.length} document(s), ${pages} page(s) recognised:`);
    for (const d of read) {
      const low = d.lowConfidencePages;
      lines.push(
        `                 ${d.id}: ${d.pages} page(s), mean confidence ${Math.round(d.meanConfidence)}${low.length > 0 ? `  ⚠ low confidence on page(s) ${low.join(', ')}: check the text` : ''}`,
      );
    }
  }
  return { report: read, lines };
}
