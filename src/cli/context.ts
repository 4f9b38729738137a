import { createInterface } from 'node:readline';
import { config as loadDotenv } from 'dotenv';
import { type Config, type EnvName, loadConfig } from '../config/index.js';
import { createLogger, type Logger } from '../logging/logger.js';

export interface CliContext {
  config: Config;
  logger: Logger;
}

/**
 * Reads `.env` (if any), then the environment, then the command's own flags, and validates once.
 * CLI commands log at `warn` unless LOG_LEVEL says otherwise, so their stdout stays the product.
 */
export function createCliContext(
  overrides: Partial<Record<EnvName, string>> = {},
  defaultLevel = 'warn',
): CliContext {
  loadDotenv({ quiet: true });
  const config = loadConfig(process.env, overrides);
  const level = process.env.LOG_LEVEL ? config.logLevel : defaultLevel;
  return { config, logger: createLogger({ level }) };
}

/** Lines from stdin, trimmed, blanks skipped (the batch mode of `retrieve` and `ask`). */
export async function* stdinLines(): AsyncIterable<string> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of rl) {
    const trimmed = line.trim();
    if (trimmed) yield trimmed;
  }
}

export function printLine(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** Prints the engine's start-up warnings so that nobody misses keyword-only mode. */
export function printWarnings(warnings: string[]): void {
  for (const warning of warnings) process.stderr.write(`\n${warning}\n\n`);
}
