import { join } from 'node:path';
import { makeTinyModel } from '../../scripts/make-tiny-model.js';
import { type Config, type EnvName, loadConfig } from '../../src/config/index.js';
import { createEngine } from '../../src/engine/createEngine.js';
import type { PolicyEngine } from '../../src/engine/PolicyEngine.js';
import type { Logger } from '../../src/logging/logger.js';

/** Environment for an engine over the seed corpus with the tiny TEST model, its index under `workDir`. */
export function benchEnv(root: string, workDir: string, tinyModelDir: string): Record<string, string> {
  return {
    POLICYBOT_CORPUS_DIR: join(root, 'corpus'),
    POLICYBOT_INDEX_DIR: workDir,
    POLICYBOT_EMBEDDING_MODEL: tinyModelDir,
    POLICYBOT_MODELS_DIR: join(workDir, 'models'),
    POLICYBOT_ALLOW_REMOTE_MODELS: 'false',
    POLICYBOT_REQUIRE_MODEL: 'true',
  };
}

/**
 * The product engine over the seed corpus with a freshly generated tiny TEST model, everything under
 * `workDir`: what the front-end benchmarks answer with, so every message does real work.
 */
export async function createBenchEngine(
  root: string,
  workDir: string,
  logger: Logger,
  extraEnv: Partial<Record<EnvName, string>> = {},
): Promise<{ engine: PolicyEngine; config: Config; via: string }> {
  const tinyModelDir = join(workDir, 'tiny-model');
  await makeTinyModel(tinyModelDir, { corpusDir: join(root, 'corpus') });
  const config = loadConfig({}, { ...benchEnv(root, workDir, tinyModelDir), ...extraEnv });
  const engine = await createEngine({ config, logger });
  return { engine, config, via: 'createEngine' };
}
