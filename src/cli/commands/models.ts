import type { Command } from 'commander';
import { pullModel } from '../../embeddings/load-embedder.js';
import { createCliContext, printLine } from '../context.js';

export function register(program: Command): void {
  const models = program.command('models').description('Manage embedding models');
  models
    .command('pull')
    .description('Download an embedding model into the model cache (run on a machine with internet access)')
    .argument('[model]', 'hub id (default: POLICYBOT_EMBEDDING_MODEL)')
    .action(async (model: string | undefined) => {
      const { config, logger } = createCliContext({}, 'info');
      const id = model ?? config.embedding.model;
      const files = await pullModel(id, config.embedding.modelsDir, logger);
      printLine(`Cached ${id} in ${config.embedding.modelsDir} (${files.length} files):`);
      for (const file of files) printLine(`  ${file}`);
      printLine('Copy that directory to air-gapped machines, then run `policybot index` there.');
    });
}
