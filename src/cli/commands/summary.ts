import type { Command } from 'commander';
import { createEngine } from '../../engine/createEngine.js';
import { UsageError } from '../../errors/index.js';
import { createCliContext, printLine, printWarnings } from '../context.js';

export function register(program: Command): void {
  program
    .command('summary')
    .description("Summarise a issuer's plan (2021 results, 2022 priorities), or all issuers with --all")
    .argument('[issuer...]', 'short, full or fuzzy name, e.g. 科技司, 中小企业, SME')
    .option('--all', 'summarise every issuer')
    .option('--json', 'print the Summary as JSON')
    .action(async (words: string[], opts: { all?: boolean; json?: boolean }) => {
      if (!opts.all && words.length === 0) throw new UsageError('name a issuer or pass --all');
      if (opts.all && words.length > 0) throw new UsageError('pass either a issuer or --all, not both');
      const { config, logger } = createCliContext();
      const engine = await createEngine({ config, logger });
      printWarnings(engine.warnings);
      try {
        const summary = await engine.summary(opts.all ? null : words.join(' '));
        printLine(opts.json ? JSON.stringify(summary) : summary.text);
      } finally {
        await engine.close();
      }
    });
}
