import type { Command } from 'commander';
import { splitCompareTargets } from '../../commands/parse-command.js';
import { createEngine } from '../../engine/createEngine.js';
import { UsageError } from '../../errors/index.js';
import type { Language } from '../../types.js';
import { createCliContext, printLine, printWarnings } from '../context.js';

export function register(program: Command): void {
  program
    .command('compare')
    .description(
      'What changed between two documents or years (added, dropped, changed items, each side cited); with one target, its results vs its targets',
    )
    .argument(
      '<targets...>',
      'A [B]: document id, title fragment, 文号 or issuer, each optionally with a year ("中小企业局 2021"); or "X 2021 2022"',
    )
    .option('--json', 'print the Comparison as JSON')
    .option('--language <zh|en>', 'language of the text (default: from the targets)')
    .action(async (targets: string[], opts: { json?: boolean; language?: string }) => {
      if (opts.language !== undefined && opts.language !== 'zh' && opts.language !== 'en')
        throw new UsageError('--language must be zh or en');
      // Two arguments are the two sides as given; anything else is read like the chat command.
      const sides =
        targets.length === 2
          ? { before: targets[0] as string, after: targets[1] as string }
          : splitCompareTargets(targets.join(' '));
      const { config, logger } = createCliContext();
      const engine = await createEngine({ config, logger });
      printWarnings(engine.warnings);
      try {
        const comparison = await engine.compare({
          ...sides,
          requestId: `cli-${Date.now().toString(36)}`,
          ...(opts.language ? { language: opts.language as Language } : {}),
        });
        if (opts.json) {
          printLine(JSON.stringify(comparison));
        } else {
          printLine(comparison.text);
          if (comparison.notice) printLine(`\n${comparison.notice}`);
          printLine('');
          for (const c of comparison.citations) {
            if (!comparison.text.includes(`[${c.n}]`)) continue;
            const where = [c.issuer, `《${c.partTitle}》`, ...c.sectionPath.slice(0, 1)]
              .filter(Boolean)
              .join(' › ');
            printLine(`[${c.n}] ${where} (${c.doc} @${c.start}-${c.end})`);
          }
        }
      } finally {
        await engine.close();
      }
    });
}
