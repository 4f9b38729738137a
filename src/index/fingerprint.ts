import { createHash } from 'node:crypto';
import { PIPELINE_VERSION } from './manifest.js';

export interface FingerprintInput {
  documents: { id: string; contentHash: string }[];
  chunking: { size: number; overlap: number };
  /** `modelKey(...)`; null when building keyword-only. */
  model: string | null;
}

/** Hash of the corpus contents alone: keys caches (summaries) that do not depend on settings. */
export function corpusFingerprint(documents: FingerprintInput['documents']): string {
  const hash = createHash('sha256');
  for (const doc of [...documents].sort((a, b) => a.id.localeCompare(b.id))) {
    hash.update(`${doc.id}\0${doc.contentHash}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

/** Everything that changes the index's bytes; an unchanged fingerprint makes `policybot index` a no-op. */
export function indexFingerprint(input: FingerprintInput): string {
  return createHash('sha256')
    .update(
      JSON.stringify({
        pipeline: PIPELINE_VERSION,
        corpus: corpusFingerprint(input.documents),
        chunking: input.chunking,
        model: input.model,
      }),
    )
    .digest('hex')
    .slice(0, 16);
}

/**
 * What identifies the embedding model in the fingerprint: its id and dimension, so that replacing the
 * files of a local model directory with a model of another size forces a rebuild.
 */
export function modelKey(model: string | null, dimension: number | null): string | null {
  return model === null ? null : `${model}@${dimension ?? '?'}`;
}
