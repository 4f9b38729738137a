import { join } from 'node:path';
import type { Embedder } from '../../src/embeddings/Embedder.js';
import { loadEmbedder } from '../../src/embeddings/load-embedder.js';
import type { Logger } from '../../src/logging/logger.js';
import { HashEmbedder, type SyntheticVectorKind } from './HashEmbedder.js';

/** Which embedder a benchmark step uses: synthetic vectors of a given dimension, or the tiny ONNX TEST model. */
export type EmbedderSpec =
  | { kind: 'hash'; vectors: SyntheticVectorKind; dimension: number }
  | { kind: 'tiny'; modelDir: string };

export async function makeEmbedder(spec: EmbedderSpec, logger: Logger): Promise<{ embedder: Embedder; loadMs: number }> {
  const started = performance.now();
  if (spec.kind === 'hash') return { embedder: new HashEmbedder(spec.dimension, spec.vectors), loadMs: 0 };
  const load = await loadEmbedder(
    { model: spec.modelDir, modelsDir: join(spec.modelDir, '..', 'models'), allowRemote: false, required: true },
    logger,
  );
  if (!load.embedder) throw new Error(`tiny model did not load: ${load.warning}`);
  return { embedder: load.embedder, loadMs: performance.now() - started };
}
