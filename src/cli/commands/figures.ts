import type { Command } from 'commander';
import { createEngine } from '../../engine/createEngine.js';
import { UsageError } from '../../errors/index.js';
import { parseFigureQuery } from '../../figures/query-figures.js';
import { figureLine, figuresToCsv } from '../../figures/render-figures.js';
import { createCliContext, printLine, printWarnings } from '../context.js';

interface FiguresOptions {
  doc?: string;
  issuer?: string;
  year?: string;
  kind?: string;
  status?: string;
  query?: string;
  limit?: string;
  json?: boolean;
  csv?: boolean;
}

export function register(program: Command): void {
  program
    .command('figures')
    .description(
      'Key figures of the library: amounts, percentages, counts and deadlines, each with its quote',
    )
    .argument('[target...]', 'an issuer, a document or topic words (read in that order), e.g. 中小企业局')
    .option('--doc <doc>', 'document id, 文号 or words of its title')
    .option('--issuer <name>', 'short, full or fuzzy issuer name')
    .option('--year <year>', 'the year the figures refer to')
    .option('--kind <kind>', 'amount, percent, count or date')
    .option('--status <status>', 'target, result or unknown')
    .option('--query <text>', 'words the subject, quote, section or title must hold')
    .option('--limit <n>', 'at most this many figures')
    .option('--json', 'print the figures as JSON')
    .option('--csv', 'print the figures as CSV')
    .action(async (words: string[], opts: FiguresOptions) => {
      if (opts.json && opts.csv) throw new UsageError('pass either --json or --csv, not both');
      const { json: _json, csv: _csv, ...filters } = opts;
      const parsed = parseFigureQuery({ ...filters, target: words.join(' ') });
      if ('error' in parsed) throw new UsageError(parsed.error);
      const { config, logger } = createCliContext();
      const engine = await createEngine({ config, logger });
      printWarnings(engine.warnings);
      try {
        const figures = engine.figures(parsed.query);
        if (opts.json) printLine(JSON.stringify(figures));
        else if (opts.csv) process.stdout.write(figuresToCsv(figures));
        else if (figures.length === 0) printLine('No figures match.');
        else for (const f of figures) printLine(`${f.docId}\t${figureLine(f)}`);
      } finally {
        await engine.close();
      }
    });
}
