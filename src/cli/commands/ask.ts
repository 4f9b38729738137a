import type { Command } from 'commander';
import { citationSource } from '../../answer/citation-source.js';
import { createEngine } from '../../engine/createEngine.js';
import { newRequestId } from '../../logging/logger.js';
import type { Answer, Question } from '../../types.js';
import { createCliContext, printLine, printWarnings, stdinLines } from '../context.js';
import { type FilterFlags, filtersFrom, withFilterFlags } from './options.js';

/** Plain-text rendering for a terminal: the answer, then its sources. */
export function renderAnswerText(answer: Answer): string {
  const lines = [answer.text];
  if (answer.notice) lines.unshift(`(${answer.notice})`);
  if (answer.citations.length > 0) {
    lines.push('', answer.language === 'zh' ? '来源：' : 'Sources:');
    for (const c of answer.citations) {
      lines.push(`[${c.n}] ${c.issuer ? `${c.issuer} · ` : ''}${citationSource(c)} · “${c.quote}”`);
    }
  }
  if (answer.refused && answer.suggestions.length > 0) {
    lines.push('', `${answer.language === 'zh' ? '可以试试' : 'Try'}: ${answer.suggestions.join(' · ')}`);
  }
  return lines.join('\n');
}

export function register(program: Command): void {
  const command = program
    .command('ask')
    .description('Answer a question with citations (one JSON Answer per stdin line without QUESTION)')
    .argument('[question...]', 'the question; omit to read one question per line from stdin');
  withFilterFlags(command)
    .option('--json', 'print the Answer as JSON')
    .action(async (words: string[], opts: FilterFlags & { json?: boolean }) => {
      const filters = filtersFrom(opts);
      const { config, logger } = createCliContext();
      const engine = await createEngine({ config, logger });
      printWarnings(engine.warnings);
      const ask = (text: string) => {
        const question: Question = { text, requestId: newRequestId(), ...filters };
        return engine.answer(question);
      };
      try {
        if (words.length > 0) {
          const answer = await ask(words.join(' '));
          printLine(opts.json ? JSON.stringify(answer) : renderAnswerText(answer));
        } else {
          for await (const line of stdinLines()) printLine(JSON.stringify(await ask(line)));
        }
      } finally {
        await engine.close();
      }
    });
}
