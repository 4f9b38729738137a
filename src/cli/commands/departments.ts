import type { Command } from 'commander';
import { createRetrievalEngine } from '../../engine/createEngine.js';
import { createCliContext, printLine } from '../context.js';

export function register(program: Command): void {
  program
    .command('departments')
    .description('List the departments found in the corpus')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const { config, logger } = createCliContext();
      const engine = await createRetrievalEngine({ config, logger, ensureIndex: true });
      const rows = engine.retriever.listDepartments().map((d) => {
        const chunks = engine.index.chunks.filter((c) => c.department === d.short);
        return {
          short: d.short,
          full: d.full,
          articleTitle: chunks[0]?.articleTitle ?? '',
          chunkCount: chunks.length,
        };
      });
      if (opts.json) printLine(JSON.stringify(rows));
      else
        for (const r of rows) printLine(`${r.short}\t${r.full}\t${r.chunkCount} chunks\t${r.articleTitle}`);
      engine.index.keyword.close();
    });
}
