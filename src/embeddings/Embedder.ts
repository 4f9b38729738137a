/**
 * Turns text into unit-length vectors for the dense index. Queries and passages are embedded
 * separately because retrieval models (e5, bge) expect different prefixes for each.
 */
export interface Embedder {
  /** The model as configured: a hub id ("Xenova/bge-small-zh-v1.5") or a local directory path. */
  readonly modelId: string;
  /** Length of every vector this embedder returns. */
  readonly dimension: number;
  /** True for the generated random-weight test model (`policybot_test_model` in its config.json). */
  readonly isTestModel: boolean;
  /** One unit-norm vector per text, in input order, with the model family's query prefix applied. */
  embedQueries(texts: string[]): Promise<Float32Array[]>;
  /** One unit-norm vector per text, in input order; `onProgress` is called after each batch. */
  embedPassages(texts: string[], onProgress?: (done: number, total: number) => void): Promise<Float32Array[]>;
  /** Releases the ONNX session; the embedder must not be used afterwards. */
  dispose(): Promise<void>;
}
