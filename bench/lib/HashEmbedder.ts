import type { Embedder } from '../../src/embeddings/Embedder.js';
import { fnv1a, gaussian, mulberry32 } from './prng.js';

/**
 * How synthetic vectors are made:
 * - `text`: a sparse random projection of the text's character bigrams plus seeded Gaussian noise
 *   (noise weight 0.5 against the text part). Texts sharing bigrams point the same way, as with a real
 *   embedding model, so the hnsw graph sees realistic neighbourhoods.
 * - `iid`: an independent Gaussian direction per text — no structure at all, the hardest case for hnsw.
 */
export type SyntheticVectorKind = 'text' | 'iid';

const HASHES_PER_FEATURE = 4;
const NOISE_WEIGHT = 0.5;
const HAN = /\p{Script=Han}/u;

/**
 * A stand-in `Embedder` for scale benchmarks: deterministic random unit vectors of a realistic dimension
 * (384 = bge-small, 512 = bge-small-zh / e5-small), costing microseconds instead of a model's
 * milliseconds. Its vectors mean nothing; it measures index size, load time, memory and search speed.
 */
export class HashEmbedder implements Embedder {
  readonly modelId: string;
  readonly isTestModel = true;

  constructor(
    readonly dimension: number,
    readonly kind: SyntheticVectorKind = 'text',
  ) {
    this.modelId = `bench-hash-${kind}-${dimension}d`;
  }

  async embedQueries(texts: string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.embed(t));
  }

  async embedPassages(
    texts: string[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<Float32Array[]> {
    const out = texts.map((t) => this.embed(t));
    onProgress?.(texts.length, texts.length);
    return out;
  }

  async dispose(): Promise<void> {}

  /** One unit vector for `text`, identical on every run. */
  embed(text: string): Float32Array {
    const dim = this.dimension;
    const noise = new Float32Array(dim);
    const random = mulberry32(fnv1a(text, 0x9e3779b9));
    for (let d = 0; d < dim; d++) noise[d] = gaussian(random);
    normalize(noise);
    if (this.kind === 'iid') return noise;

    const v = new Float32Array(dim);
    for (const feature of features(text)) {
      let h = fnv1a(feature);
      for (let k = 0; k < HASHES_PER_FEATURE; k++) {
        h = Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0;
        const position = h % dim;
        v[position] = (v[position] as number) + ((h >>> 31) & 1 ? 1 : -1);
      }
    }
    normalize(v);
    for (let d = 0; d < dim; d++) v[d] = (v[d] as number) + NOISE_WEIGHT * (noise[d] as number);
    normalize(v);
    return v;
  }
}

/** Han character bigrams (single characters for one-character runs) and lower-cased Latin/digit words. */
function features(text: string): string[] {
  const out: string[] = [];
  let previous = '';
  for (const ch of text) {
    if (HAN.test(ch)) {
      if (previous) out.push(previous + ch);
      previous = ch;
    } else {
      previous = '';
    }
  }
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) out.push(word);
  if (out.length === 0 && text.length > 0) out.push(text);
  return out;
}

function normalize(v: Float32Array): void {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += (v[i] as number) ** 2;
  if (sum === 0) return;
  const inv = 1 / Math.sqrt(sum);
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * inv;
}
