import type { Command } from 'commander';
import { createEngine } from '../../engine/createEngine.js';
import { createCliContext, printWarnings } from '../context.js';

export function register(program: Command): void {
  program
    .command('push-summary')
    .description(
      'Post issuer summaries (markdown) to a WeCom group robot webhook, 20 messages a minute at most',
    )
    .option('--dept <name>', 'issuer (short, full or fuzzy name)')
    .option('--all', 'every issuer')
    .option('--webhook <url>', 'the group robot webhook URL')
    .action(async (opts: { dept?: string; all?: boolean; webhook?: string }) => {
      const { config, logger } = createCliContext();
      const engine = await createEngine({ config, logger });
      printWarnings(engine.warnings);
      try {
        const { runPushSummary } = await import('../../wecom/index.js');
        process.exitCode = await runPushSummary(opts, { engine, logger });
      } finally {
        await engine.close();
      }
    });
}
