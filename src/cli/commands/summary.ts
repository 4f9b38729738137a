import type { Command } from 'commander';
import { createEngine } from '../../engine/createEngine.js';
import { UsageError } from '../../errors/index.js';
import { createCliContext, printLine, printWarnings } from '../context.js';

interface SummaryFlags {
  all?: boolean;
  json?: boolean;
  doc?: string;
  issuer?: string;
  dept?: string;
}

export function register(program: Command): void {
  program
    .command('summary')
    .description(
      'Summarise an issuer (its documents, one line each) or a document (its main sections), or every issuer with --all',
    )
    .argument(
      '[target...]',
      'an issuer (科技司, 国务院, SME) or a document (id, 文号, title); --doc/--issuer to say which',
    )
    .option('--doc <document>', 'a document: id, 文号 (国办发〔2019〕3号) or title (专利代理条例)')
    .option('--issuer <name>', 'an issuer: short, full or fuzzy name')
    .option('--dept <name>', 'alias of --issuer')
    .option('--all', 'summarise every issuer')
    .option('--json', 'print the Summary as JSON')
    .action(async (words: string[], opts: SummaryFlags) => {
      const issuer = opts.issuer ?? opts.dept;
      const given = [words.length > 0, opts.doc !== undefined, issuer !== undefined, opts.all === true];
      const count = given.filter(Boolean).length;
      if (count === 0) throw new UsageError('name an issuer or a document (--doc, --issuer), or pass --all');
      if (count > 1) throw new UsageError('pass one of: a target, --doc, --issuer, --all');
      const { config, logger } = createCliContext();
      const engine = await createEngine({ config, logger });
      printWarnings(engine.warnings);
      try {
        const summary = opts.all
          ? await engine.summary(null)
          : opts.doc !== undefined
            ? await engine.summary(opts.doc, { target: 'document' })
            : issuer !== undefined
              ? await engine.summary(issuer, { target: 'issuer' })
              : await engine.summary(words.join(' '));
        printLine(opts.json ? JSON.stringify(summary) : summary.text);
      } finally {
        await engine.close();
      }
    });
}
