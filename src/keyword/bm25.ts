/**
 * The one BM25 the keyword index scores with, shared by the index build (which stores per-block maxima of
 * `fieldScore`), the pruned search and the exhaustive reference, so all three compute bit-identical numbers.
 *
 * A row's score for a query is Σ over terms, in the query's term order, of `weight · idf · fieldScore`, where
 * fieldScore = sat(tf in body, body length) + TITLE_WEIGHT · sat(tf in title, title length) and sat is BM25's
 * saturating term frequency with length normalisation (k1 = 1.2, b = 0.75).
 */

export const K1 = 1.2;
export const B = 0.75;
/** Title matches count less than body matches: many chunks share one article title. */
export const TITLE_WEIGHT = 0.3;

/** BM25's length factor `k1 · (1 − b + b · length / average)`; precomputed per row at open. */
export function lengthNorm(length: number, average: number): number {
  return K1 * (1 - B + (B * length) / average);
}

/** Saturated term frequency; 0 when the term is absent. */
export function saturation(tf: number, norm: number): number {
  return tf === 0 ? 0 : (tf * (K1 + 1)) / (tf + norm);
}

/** The idf-free part of one term's score in one row. */
export function fieldScore(tfBody: number, bodyNorm: number, tfTitle: number, titleNorm: number): number {
  return saturation(tfBody, bodyNorm) + TITLE_WEIGHT * saturation(tfTitle, titleNorm);
}

/** BM25 idf (Lucene's form, never negative) of a token in `df` of `rows` rows. */
export function idf(rows: number, df: number): number {
  return Math.log(1 + (rows - df + 0.5) / (df + 0.5));
}
