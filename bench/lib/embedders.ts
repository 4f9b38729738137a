import type { Embedder } from '../../src/embeddings/Embedder.js';
import { loadEmbedder } from '../../src/embeddings/load-embedder.js';
import type { Logger } from '../../src/logging/logger.js';
import { HashEmbedder, type SyntheticVectorKind } from './HashEmbedder.js';

/**
 * Which embedder a benchmark step uses: synthetic vectors of a given dimension, or a real ONNX model (a local
 * directory, or a hub id already cached in `modelsDir`) — by default the generated tiny TEST model.
 */
export type EmbedderSpec =
  | { kind: 'hash'; vectors: SyntheticVectorKind; dimension: number }
  | { kind: 'model'; model: string; modelsDir: string };

export async function makeEmbedder(
  spec: EmbedderSpec,
  logger: Logger,
): Promise<{ embedder: Embedder; loadMs: number }> {
  const started = performance.now();
  if (spec.kind === 'hash') return { embedder: new HashEmbedder(spec.dimension, spec.vectors), loadMs: 0 };
  const load = await loadEmbedder(
    { model: spec.model, modelsDir: spec.modelsDir, allowRemote: false, required: true },
    logger,
  );
  if (!load.embedder) throw new Error(`embedding model ${spec.model} did not load: ${load.warning}`);
  return { embedder: load.embedder, loadMs: performance.now() - started };
}
