import type { Command } from 'commander';
import { createEngine } from '../../engine/createEngine.js';
import { createCliContext, printLine } from '../context.js';

export function register(program: Command): void {
  program
    .command('departments')
    .description('List the departments found in the corpus')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const { config, logger } = createCliContext();
      const engine = await createEngine({ config, logger });
      try {
        const rows = engine.departments();
        if (opts.json) printLine(JSON.stringify(rows));
        else {
          for (const d of rows) {
            printLine(`${d.short}\t${d.full}\t${d.chunkCount} chunks\t${d.articleTitle}`);
            for (const section of d.sections) printLine(`\t§ ${section}`);
          }
        }
      } finally {
        await engine.close();
      }
    });
}
