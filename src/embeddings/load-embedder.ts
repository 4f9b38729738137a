import { readdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { env, pipeline } from '@huggingface/transformers';
import type { Config } from '../config/config.js';
import { ModelUnavailableError, UsageError } from '../errors/index.js';
import type { Logger } from '../logging/logger.js';
import type { Embedder } from './Embedder.js';
import {
  configureTransformersEnv,
  resolveModelLocation,
  TransformersEmbedder,
} from './TransformersEmbedder.js';

/** Either a working embedder (with a warning when it is only the test model) or none and why. */
export type EmbedderLoad =
  | { embedder: Embedder; warning: string | null }
  | { embedder: null; warning: string };

const RULE = '='.repeat(78);

/**
 * Loads the configured embedding model. A model that cannot be loaded (missing and not fetchable,
 * unreadable, or broken) does not stop the bot: it returns `embedder: null` and a loud multi-line
 * warning saying retrieval is KEYWORD-ONLY and how to provide the model, also logged at warn level.
 * With `options.required` it logs the same text and throws `ModelUnavailableError` instead.
 *
 * The generated test model loads normally but always comes with a warning that labels it.
 */
export async function loadEmbedder(options: Config['embedding'], logger: Logger): Promise<EmbedderLoad> {
  const started = performance.now();
  let embedder: TransformersEmbedder;
  try {
    embedder = await TransformersEmbedder.load({
      model: options.model,
      modelsDir: options.modelsDir,
      allowRemote: options.allowRemote,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const warning = await missingModelWarning(options, reason);
    if (options.required) {
      logger.warn({ model: options.model, reason, required: true }, warning);
      throw new ModelUnavailableError(warning, { cause: error });
    }
    logger.warn({ model: options.model, reason, mode: 'keyword-only' }, warning);
    return { embedder: null, warning };
  }

  const loadMs = Math.round(performance.now() - started);
  logger.info(
    { model: embedder.modelId, dimension: embedder.dimension, testModel: embedder.isTestModel, loadMs },
    'embedding model loaded',
  );
  if (!embedder.isTestModel) return { embedder, warning: null };
  const warning = [
    RULE,
    `TEST EMBEDDING MODEL: "${options.model}" is the policybot tiny test model`,
    '(random weights, config.json "policybot_test_model": true). Dense retrieval with it only',
    'matches shared characters; it is for tests and CI, never for real answers.',
    'Set POLICYBOT_EMBEDDING_MODEL to a real model (default Xenova/bge-small-zh-v1.5).',
    RULE,
  ].join('\n');
  logger.warn({ model: options.model, testModel: true }, warning);
  return { embedder, warning };
}

async function missingModelWarning(options: Config['embedding'], reason: string): Promise<string> {
  const location = await resolveModelLocation(options.model, options.modelsDir);
  const where =
    location.kind === 'directory'
      ? `Looked in the local directory ${location.path}.`
      : options.allowRemote
        ? `Not found in ${location.cacheDir} and the download from the model hub failed.`
        : `Not found in ${location.cacheDir}; downloads are off (POLICYBOT_ALLOW_REMOTE_MODELS=false).`;
  const cacheTarget = location.kind === 'hub' ? location.cacheDir : join(options.modelsDir, '<hub id>');
  return [
    RULE,
    'DENSE RETRIEVAL DISABLED: answering with KEYWORD-ONLY retrieval.',
    `The embedding model "${options.model}" could not be loaded.`,
    where,
    `Reason: ${reason}`,
    'To enable dense retrieval, do one of:',
    '  1. set POLICYBOT_EMBEDDING_MODEL to a local model directory',
    '     (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx);',
    `  2. copy the model into ${cacheTarget}/;`,
    '  3. run `policybot models pull` on a machine with internet access and copy its',
    `     ${options.modelsDir}/ directory here.`,
    'Then rebuild the index with `policybot index`.',
    RULE,
  ].join('\n');
}

/**
 * Downloads a hub model into `modelsDir` through transformers.js (remote allowed for this call only),
 * exactly the files `loadEmbedder` will read, and checks it loads. Returns the cached files, relative
 * to `modelsDir`. `remoteHost` overrides the hub URL (a mirror, or a local server in tests).
 * @throws UsageError for a local directory (nothing to pull), ModelUnavailableError when the download fails.
 */
export async function pullModel(
  modelId: string,
  modelsDir: string,
  logger: Logger,
  options: { remoteHost?: string } = {},
): Promise<string[]> {
  const location = await resolveModelLocation(modelId, modelsDir);
  if (location.kind === 'directory') {
    throw new UsageError(`"${modelId}" is a local directory; there is nothing to pull.`);
  }
  const previous = { allowRemoteModels: env.allowRemoteModels, remoteHost: env.remoteHost };
  configureTransformersEnv(modelsDir, true);
  if (options.remoteHost)
    env.remoteHost = options.remoteHost.endsWith('/') ? options.remoteHost : `${options.remoteHost}/`;
  logger.info({ model: modelId, modelsDir, remoteHost: env.remoteHost }, 'pulling embedding model');
  try {
    const extractor = await pipeline('feature-extraction', modelId, {
      dtype: 'fp32',
      cache_dir: resolve(modelsDir),
      progress_callback: (event: { status: string; file?: string }) => {
        if (event.status === 'done') logger.info({ model: modelId, file: event.file }, 'model file ready');
      },
    });
    await extractor.dispose();
  } catch (error) {
    throw new ModelUnavailableError(
      `Could not download embedding model "${modelId}" from ${env.remoteHost}: ${
        error instanceof Error ? error.message : String(error)
      }`,
      { cause: error },
    );
  } finally {
    env.allowRemoteModels = previous.allowRemoteModels;
    env.remoteHost = previous.remoteHost;
  }
  const files = (await listFiles(location.cacheDir)).map((f) => relative(resolve(modelsDir), f));
  logger.info({ model: modelId, files: files.length }, 'embedding model pulled');
  return files.sort();
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory() ? listFiles(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]),
    ),
  );
  return nested.flat();
}
