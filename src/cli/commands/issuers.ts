import type { Command } from 'commander';
import { createEngine } from '../../engine/createEngine.js';
import { createCliContext, printLine } from '../context.js';

export function register(program: Command): void {
  program
    .command('issuers')
    .description('List the issuers found in the corpus')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const { config, logger } = createCliContext();
      const engine = await createEngine({ config, logger });
      try {
        const rows = engine.issuers();
        if (opts.json) printLine(JSON.stringify(rows));
        else {
          for (const d of rows) {
            printLine(`${d.short}\t${d.full}\t${d.chunkCount} chunks\t${d.partTitle}`);
            for (const section of d.sections) printLine(`\t§ ${section}`);
          }
        }
      } finally {
        await engine.close();
      }
    });
}
