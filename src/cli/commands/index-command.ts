import type { Command } from 'commander';
import { loadEmbedder } from '../../embeddings/load-embedder.js';
import { indexDirFor, loaderOptions } from '../../engine/createEngine.js';
import { ensureIndex } from '../../index/build-index.js';
import type { BuildUpdate } from '../../index/manifest.js';
import { closeOcr } from '../../ingest/index.js';
import { createCliContext, printLine, printWarnings } from '../context.js';
import { createProgressReporter } from '../progress.js';

export function register(program: Command): void {
  program
    .command('index')
    .description('Build or refresh the index from the corpus (a no-op when nothing changed)')
    .option('--corpus <dir>', 'corpus directory (POLICYBOT_CORPUS_DIR)')
    .option('--out <dir>', 'index root directory (POLICYBOT_INDEX_DIR)')
    .option('--force', 'rebuild even when nothing changed')
    .action(async (opts: { corpus?: string; out?: string; force?: boolean }) => {
      const overrides: Record<string, string> = {};
      if (opts.corpus) overrides.POLICYBOT_CORPUS_DIR = opts.corpus;
      if (opts.out) overrides.POLICYBOT_INDEX_DIR = opts.out;
      const { config, logger } = createCliContext(overrides);
      const load = await loadEmbedder(config.embedding, logger);
      if (load.warning) printWarnings([load.warning]);
      const progress = createProgressReporter();
      const result = await ensureIndex({
        corpusDir: config.corpusDir,
        indexDir: indexDirFor(config),
        chunking: config.chunking,
        embedder: load.embedder,
        embedderReason: load.embedder ? null : 'embedding model unavailable',
        force: opts.force ?? false,
        logger,
        onProgress: progress.onProgress,
        loader: loaderOptions(config),
      }).finally(async () => {
        progress.stop();
        // OCR workers would keep the process alive for their idle timeout.
        await closeOcr();
      });
      await load.embedder?.dispose();
      const m = result.manifest;
      for (const f of result.failures) printLine(`Not indexed: ${f.path} — ${f.message}`);
      if (result.ocr.pages > 0) {
        printLine(
          `OCR: ${result.ocr.pages} page(s) of ${result.ocr.documents} document(s) in ${(result.ocr.ms / 1000).toFixed(1)} s${result.ocr.ms === 0 ? ' (from the cache)' : ''}.`,
        );
      }
      printLine(
        result.rebuilt
          ? `Indexed ${m.counts.documents} document(s) into ${m.counts.chunks} chunks (${m.embedder.mode}${m.embedder.model ? `, ${m.embedder.model}` : ''}) in ${m.buildMs} ms: ${result.reason}${updateNote(m.update)}.`
          : `Index is up to date (${m.counts.chunks} chunks, ${m.embedder.mode}); nothing to do.`,
      );
      if (result.failures.length > 0) {
        printLine(
          `${result.failures.length} file(s) could not be read (listed above); the others are indexed.`,
        );
      }
    });
}

/** How the build was made, when it reused the previous index. */
function updateNote(update: BuildUpdate | undefined): string {
  if (!update || update.mode === 'full') return '';
  const compacted = update.mode === 'compacted' ? ', vectors compacted' : '';
  return ` (incremental: ${update.embeddedChunks} chunk(s) embedded, ${update.reusedChunks} reused${compacted})`;
}
