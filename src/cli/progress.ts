import cliProgress from 'cli-progress';
import type { BuildProgress, BuildStage } from '../index/build-index.js';

const LABELS: Record<BuildStage, string> = {
  load: 'Reading corpus',
  ocr: 'OCR (pages)',
  chunk: 'Chunking',
  embed: 'Embedding',
  vectors: 'Vector index',
  keyword: 'Keyword index',
  write: 'Writing',
};

/**
 * A progress bar on stderr for indexing; on a non-TTY (CI, pipes) one line per stage instead,
 * so logs are not flooded with redraws.
 */
export function createProgressReporter(stream: NodeJS.WriteStream = process.stderr) {
  let bar: cliProgress.SingleBar | null = null;
  let stage: BuildStage | null = null;
  const tty = stream.isTTY === true;
  return {
    onProgress(progress: BuildProgress): void {
      if (progress.stage !== stage) {
        bar?.stop();
        bar = null;
        stage = progress.stage;
        if (tty && progress.total > 1) {
          bar = new cliProgress.SingleBar(
            {
              format: `${LABELS[progress.stage].padEnd(14)} [{bar}] {percentage}% {value}/{total} {eta_formatted}`,
              stream,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(progress.total, progress.done);
        } else if (progress.done === 0) {
          stream.write(`${LABELS[progress.stage]}…${progress.total > 1 ? ` (${progress.total})` : ''}\n`);
        }
        return;
      }
      bar?.update(progress.done);
    },
    stop(): void {
      bar?.stop();
      bar = null;
    },
  };
}
