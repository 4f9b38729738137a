import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { createEngine } from '../../engine/createEngine.js';
import { newRequestId } from '../../logging/logger.js';
import type { Turn } from '../../types.js';
import { createCliContext, printLine, printWarnings } from '../context.js';
import { renderAnswerText } from './ask.js';

/** An interactive prompt in the terminal; follow-up questions keep the conversation. */
export function register(program: Command): void {
  program
    .command('chat')
    .description(
      'Ask questions in the terminal (follow-ups keep the conversation; empty line or Ctrl-D quits)',
    )
    .action(async () => {
      const { config, logger } = createCliContext();
      const engine = await createEngine({ config, logger });
      printWarnings(engine.warnings);
      const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: '\n问 / ask> ' });
      const history: Turn[] = [];
      try {
        rl.prompt();
        // The async iterator buffers lines typed (or piped) while an answer is being composed.
        for await (const line of rl) {
          const text = line.trim();
          if (!text) break;
          const answer = await engine.answer({ text, requestId: newRequestId(), history: [...history] });
          printLine(renderAnswerText(answer));
          history.push({ role: 'user', text }, { role: 'assistant', text: answer.text });
          rl.prompt();
        }
      } finally {
        rl.close();
        await engine.close();
      }
    });
}
