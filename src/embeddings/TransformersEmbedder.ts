import { stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { env, type FeatureExtractionPipeline, pipeline } from '@huggingface/transformers';
import type { Embedder } from './Embedder.js';
import { type FamilyPrefixes, prefixesForModel } from './model-families.js';

export interface TransformersEmbedderOptions {
  /** Hub id ("Xenova/bge-small-zh-v1.5") or a local model directory. */
  model: string;
  /** transformers.js cache: hub models live in `<modelsDir>/<hub id>/`. */
  modelsDir: string;
  /** When false nothing is fetched: the model must already be on disk. */
  allowRemote: boolean;
  /** Texts per ONNX run while embedding passages (default 32). */
  batchSize?: number;
}

/** Where a model comes from, decided once so that loading and error messages agree. */
export interface ModelLocation {
  kind: 'directory' | 'hub';
  /** Absolute directory for `directory`, the hub id for `hub`. */
  path: string;
  /** Directory the hub model is (or would be) cached in; same as `path` for `directory`. */
  cacheDir: string;
}

const DEFAULT_BATCH_SIZE = 32;
/** transformers.js' own hub id shape: optional owner, then a name. */
const HUB_ID = /^([\w\-.]+\/)?[\w\-.]{1,96}$/;

/**
 * A local directory when the value looks like a path (absolute, ./, ../, ~, a backslash, or more
 * than one "/"), or when it names an existing directory holding a config.json; otherwise a hub id
 * ("Xenova/bge-small-zh-v1.5", or a bare name).
 */
export async function resolveModelLocation(model: string, modelsDir: string): Promise<ModelLocation> {
  const looksLikePath =
    isAbsolute(model) || /^(\.{1,2}|~)([\\/]|$)/.test(model) || model.includes('\\') || !HUB_ID.test(model);
  const asDirectory = resolve(model);
  const hasConfig = await stat(join(asDirectory, 'config.json')).then(
    (s) => s.isFile(),
    () => false,
  );
  if (looksLikePath || hasConfig) return { kind: 'directory', path: asDirectory, cacheDir: asDirectory };
  return { kind: 'hub', path: model, cacheDir: join(resolve(modelsDir), model) };
}

/**
 * Points transformers.js' process-wide settings at our models directory. With `allowRemote` false it
 * can only read files: `allowRemoteModels = false` plus `local_files_only` on every call make
 * transformers.js throw before it would build a URL.
 */
export function configureTransformersEnv(modelsDir: string, allowRemote: boolean): void {
  const dir = resolve(modelsDir);
  env.allowLocalModels = true;
  env.allowRemoteModels = allowRemote;
  env.localModelPath = `${dir}/`;
  env.cacheDir = dir;
  env.useFSCache = true;
  env.useBrowserCache = false;
}

/**
 * Embeddings from an ONNX sentence-embedding model through transformers.js' feature-extraction
 * pipeline: mean pooling over the attention mask, then L2 normalisation, fp32 weights
 * (`onnx/model.onnx`). Query/passage prefixes follow the model family (see model-families.ts).
 */
export class TransformersEmbedder implements Embedder {
  readonly modelId: string;
  readonly dimension: number;
  readonly isTestModel: boolean;
  private readonly extractor: FeatureExtractionPipeline;
  private readonly prefixes: FamilyPrefixes;
  private readonly batchSize: number;
  /** ONNX runs are serialised: they already use every core, and interleaving only adds latency. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    modelId: string,
    extractor: FeatureExtractionPipeline,
    dimension: number,
    batchSize: number,
  ) {
    this.modelId = modelId;
    this.extractor = extractor;
    this.dimension = dimension;
    this.batchSize = batchSize;
    this.prefixes = prefixesForModel(modelId);
    const config = extractor.model.config as unknown as Record<string, unknown>;
    this.isTestModel = config.policybot_test_model === true;
  }

  /**
   * Loads the tokenizer and ONNX session and embeds a probe text to learn the dimension.
   * Throws whatever transformers.js throws when files are missing or unreadable; see `loadEmbedder`
   * for the user-facing handling.
   */
  static async load(options: TransformersEmbedderOptions): Promise<TransformersEmbedder> {
    const location = await resolveModelLocation(options.model, options.modelsDir);
    configureTransformersEnv(options.modelsDir, options.allowRemote);
    const extractor = await pipeline('feature-extraction', location.path, {
      dtype: 'fp32',
      cache_dir: resolve(options.modelsDir),
      // A local directory is never fetched, whatever allowRemote says.
      local_files_only: location.kind === 'directory' || !options.allowRemote,
    });
    try {
      const probe = await extractor(['probe'], { pooling: 'mean', normalize: true });
      const dimension = probe.dims[1];
      if (typeof dimension !== 'number' || dimension <= 0) {
        throw new Error(`Model ${options.model} returned an output of shape [${probe.dims.join(', ')}]`);
      }
      return new TransformersEmbedder(
        options.model,
        extractor,
        dimension,
        options.batchSize ?? DEFAULT_BATCH_SIZE,
      );
    } catch (error) {
      await extractor.dispose();
      throw error;
    }
  }

  async embedQueries(texts: string[]): Promise<Float32Array[]> {
    return this.embedBatch(texts.map((t) => this.prefixes.query + t));
  }

  async embedPassages(
    texts: string[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<Float32Array[]> {
    const total = texts.length;
    const out = new Array<Float32Array>(total);
    // Longest first, so each batch pads to similar lengths; results go back to input order.
    const order = texts.map((_, i) => i).sort((a, b) => (texts[b]?.length ?? 0) - (texts[a]?.length ?? 0));
    for (let start = 0; start < total; start += this.batchSize) {
      const ids = order.slice(start, start + this.batchSize);
      const vectors = await this.embedBatch(ids.map((i) => this.prefixes.passage + (texts[i] ?? '')));
      ids.forEach((id, j) => {
        out[id] = vectors[j] as Float32Array;
      });
      onProgress?.(Math.min(start + this.batchSize, total), total);
    }
    return out;
  }

  async dispose(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.extractor.dispose();
  }

  private embedBatch(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return Promise.resolve([]);
    const run = this.queue.then(async () => {
      const output = await this.extractor(texts, { pooling: 'mean', normalize: true });
      const data = output.data as Float32Array;
      const dim = this.dimension;
      return texts.map((_, i) => data.slice(i * dim, (i + 1) * dim));
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
