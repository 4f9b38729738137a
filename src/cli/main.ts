#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { asCodedError, ConfigError, UsageError } from '../errors/index.js';
import { registerCommands } from './commands/index.js';

/** Exit codes: 0 ok, 1 failure, 2 usage error — always with a one-line message on stderr. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('policybot')
    .description('Cited answers about policy documents — index, retrieve, ask, serve')
    .showHelpAfterError('(run `policybot --help` for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerCommands(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      if (error.code === 'commander.help') return 0;
      return 2;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`policybot: ${error.message}\n`);
      return 2;
    }
    const coded = asCodedError(error);
    const prefix = error instanceof ConfigError ? 'configuration error: ' : '';
    process.stderr.write(`policybot: ${prefix}${coded.message}\n`);
    if (process.env.LOG_LEVEL === 'debug' && coded.cause) process.stderr.write(`${String(coded.cause)}\n`);
    return 1;
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`policybot: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
