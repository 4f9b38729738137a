import type { Command } from 'commander';
import { createRetrievalEngine, retrieveWithIssuer } from '../../engine/createEngine.js';
import { createCliContext, printLine, printWarnings, stdinLines } from '../context.js';
import { type FilterFlags, filtersFrom, parsePositiveInt, passageJson, withFilterFlags } from './options.js';

export function register(program: Command): void {
  const command = program
    .command('retrieve')
    .description(
      'Print the passages retrieved for a question (one JSON line per stdin line without QUESTION)',
    )
    .argument('[question...]', 'the question; omit to read one question per line from stdin')
    .option('-k, --k <n>', 'passages to return', '5');
  withFilterFlags(command)
    .option('--json', 'print JSON')
    .action(async (words: string[], opts: FilterFlags & { k: string; json?: boolean }) => {
      const k = parsePositiveInt(opts.k, '--k');
      const filters = filtersFrom(opts);
      const { config, logger } = createCliContext();
      const engine = await createRetrievalEngine({ config, logger, ensureIndex: true });
      printWarnings(engine.warnings);
      const run = async (question: string) => {
        const result = await retrieveWithIssuer(engine.retriever, {
          text: question,
          k,
          ...filters,
        });
        return { question, passages: result.passages.map(passageJson) };
      };
      if (words.length > 0) {
        const out = await run(words.join(' '));
        if (opts.json) {
          printLine(JSON.stringify(out));
        } else {
          out.passages.forEach((p, i) => {
            printLine(`[${i + 1}] ${p.issuer ?? '-'} · ${p.title} · score ${p.score}`);
            if (p.section) printLine(`    § ${p.section}`);
            printLine(`    ${p.text}\n`);
          });
        }
      } else {
        for await (const line of stdinLines()) printLine(JSON.stringify(await run(line)));
      }
      engine.index.keyword.close();
    });
}
