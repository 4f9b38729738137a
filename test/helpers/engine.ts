/**
 * The real engine over the seed corpus, with the generated tiny TEST model (dense + keyword), for tests of
 * the front ends and the answer layer. The index is built once into test/.tmp and reused while the corpus
 * and settings are unchanged (ensureIndex is a no-op then).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type EnvName, loadConfig } from '../../src/config/index.js';
import { createEngine, type Engine } from '../../src/engine/createEngine.js';
import type { LlmClient } from '../../src/llm/LlmClient.js';
import { createSilentLogger, type Logger } from '../../src/logging/logger.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const TINY_MODEL_DIR = `${REPO}test/.tmp/tiny-model`;

export function ensureTinyModel(): string {
  if (!existsSync(`${TINY_MODEL_DIR}/onnx/model.onnx`)) {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/make-tiny-model.ts', TINY_MODEL_DIR],
      {
        cwd: REPO,
        stdio: 'inherit',
      },
    );
    if (result.status !== 0) throw new Error('could not generate the tiny test model');
  }
  return TINY_MODEL_DIR;
}

export interface TestEngineOptions {
  env?: Partial<Record<EnvName, string>>;
  llm?: LlmClient | null;
  logger?: Logger;
}

export async function createTestEngine(options: TestEngineOptions = {}): Promise<Engine> {
  const config = loadConfig(
    {},
    {
      POLICYBOT_CORPUS_DIR: `${REPO}corpus`,
      POLICYBOT_INDEX_DIR: `${REPO}test/.tmp/engine-index`,
      POLICYBOT_EMBEDDING_MODEL: ensureTinyModel(),
      POLICYBOT_ALLOW_REMOTE_MODELS: 'false',
      ...options.env,
    },
  );
  // Without an injected client the engine builds one from OPENAI_* in `env`, as in production.
  return createEngine({
    config,
    logger: options.logger ?? createSilentLogger(),
    ...(options.llm === undefined ? {} : { llm: options.llm }),
  });
}

/**
 * The real engine over the dev library (`eval/corpus-dev/docs`: State Council notices, a regulation,
 * provincial reports …), for tests of document- and issuer-level features. `name` keeps each test file's
 * index apart (test files run in parallel).
 */
export function createLibraryEngine(name: string, options: TestEngineOptions = {}): Promise<Engine> {
  return createTestEngine({
    ...options,
    env: {
      POLICYBOT_CORPUS_DIR: `${REPO}eval/corpus-dev/docs`,
      POLICYBOT_INDEX_DIR: `${REPO}test/.tmp/library-${name}`,
      POLICYBOT_OCR: 'off',
      ...options.env,
    },
  });
}
