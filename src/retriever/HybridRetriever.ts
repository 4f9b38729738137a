import type { Embedder } from '../embeddings/Embedder.js';
import type { LoadedIndex } from '../index/load-index.js';
import { analyzeQuery } from '../keyword/translate.js';
import type { Logger } from '../logging/logger.js';
import type { Chunk, Department, RetrievalQuery, RetrievalResult, ScoredPassage } from '../types.js';
import { resolveDepartment } from './departments.js';
import { convexCombination, dot, reciprocalRankFusion } from './fusion.js';

export const DEFAULT_KEYWORD_WEIGHT = 0.5;

import { modelHandlesLanguage } from './model-languages.js';

export interface HybridRetrieverOptions {
  index: LoadedIndex;
  /** null → keyword-only retrieval (no model, or the index has no vectors). */
  embedder: Embedder | null;
  logger: Logger;
  ef: number;
  /** Candidates taken from each retriever before fusion. */
  candidates?: number;
  /** 'convex' (default) or 'rrf'; see fusion.ts. */
  fusion?: 'convex' | 'rrf';
  /** α of the convex combination: the keyword share; the dense share is 1 − α. */
  keywordWeight?: number;
}

/**
 * Dense (hnsw cosine) + keyword (BM25 over jieba tokens) retrieval fused by reciprocal rank fusion.
 * Each passage keeps both component scores so the answer layer can judge whether the documents cover
 * the question at all.
 */
export class HybridRetriever {
  private readonly departments: Department[];
  private readonly candidates: number;

  constructor(private readonly options: HybridRetrieverOptions) {
    const seen = new Map<string, Department>();
    for (const chunk of options.index.chunks) {
      if (chunk.department && chunk.departmentFull && !seen.has(chunk.department)) {
        seen.set(chunk.department, { short: chunk.department, full: chunk.departmentFull });
      }
    }
    this.departments = [...seen.values()];
    this.candidates = options.candidates ?? 50;
  }

  get mode(): 'hybrid' | 'keyword-only' {
    return this.options.embedder && this.options.index.vectors ? 'hybrid' : 'keyword-only';
  }

  resolveDepartment(name: string): Department | null {
    return resolveDepartment(name, this.departments);
  }

  listDepartments(): Department[] {
    return this.departments;
  }

  async retrieve(query: RetrievalQuery): Promise<RetrievalResult> {
    const started = performance.now();
    const k = query.k ?? 5;
    const { chunks } = this.options.index;
    const department = query.department ? this.resolveDepartment(query.department)?.short : undefined;
    const filter = this.filterFor(department, query.docId);
    const analysis = analyzeQuery(query.text, query.language);

    const keywordStarted = performance.now();
    const keywordFilter: { department?: string; docId?: string } = {};
    if (department) keywordFilter.department = department;
    if (query.docId) keywordFilter.docId = query.docId;
    const keywordHits = this.options.index.keyword.search(analysis, this.candidates, keywordFilter);
    const keywordMs = performance.now() - keywordStarted;

    const denseStarted = performance.now();
    let denseHits: { label: number; score: number }[] = [];
    let queryVector: Float32Array | undefined;
    const { embedder } = this.options;
    const vectors = this.options.index.vectors;
    // A Chinese-only model (bge-zh) embeds an English question as noise; fusing that noise in would only
    // push the keyword ranking (which translates English terms) around.
    const denseUseful = embedder !== null && modelHandlesLanguage(embedder.modelId, analysis.language);
    if (embedder && vectors && denseUseful) {
      const [vector] = await embedder.embedQueries([query.text]);
      queryVector = vector;
      if (vector) {
        const searchOptions: { ef: number; filter?: (label: number) => boolean } = { ef: this.options.ef };
        if (filter) searchOptions.filter = filter;
        denseHits = vectors.search(vector, this.candidates, searchOptions);
      }
    }
    const denseMs = performance.now() - denseStarted;

    const fused =
      this.options.fusion === 'rrf'
        ? reciprocalRankFusion([
            { ordinals: keywordHits.map((h) => h.ordinal), weight: 1 },
            { ordinals: denseHits.map((h) => h.label), weight: 1 },
          ])
        : convexCombination(
            keywordHits,
            denseHits.map((h) => ({ ordinal: h.label, score: h.score })),
            queryVector && vectors ? (ordinal) => dot(queryVector, vectors.vector(ordinal)) : null,
            this.options.keywordWeight ?? DEFAULT_KEYWORD_WEIGHT,
          );
    const keywordByOrdinal = new Map(keywordHits.map((h, i) => [h.ordinal, { hit: h, rank: i + 1 }]));
    const denseByOrdinal = new Map(denseHits.map((h, i) => [h.label, { hit: h, rank: i + 1 }]));

    const passages: ScoredPassage[] = [...fused.entries()]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, k)
      .flatMap(([ordinal, score]) => {
        const chunk: Chunk | undefined = chunks[ordinal];
        if (!chunk) return [];
        const kw = keywordByOrdinal.get(ordinal);
        const dn = denseByOrdinal.get(ordinal);
        return [
          {
            chunk,
            score,
            dense: dn?.hit.score ?? null,
            keyword: kw?.hit.score ?? null,
            denseRank: dn?.rank ?? null,
            keywordRank: kw?.rank ?? null,
            matchedTerms: kw?.hit.matchedTerms ?? [],
          },
        ];
      });

    const totalWeight = analysis.terms.reduce((sum, t) => sum + t.weight, 0);
    const top = passages[0];
    const matched = new Set(top?.matchedTerms ?? []);
    const coveredWeight = analysis.terms.filter((t) => matched.has(t.term)).reduce((s, t) => s + t.weight, 0);

    return {
      query: query.text,
      language: analysis.language,
      terms: analysis.terms.map((t) => t.term),
      passages,
      coverage: totalWeight > 0 ? coveredWeight / totalWeight : 0,
      mode: this.mode,
      timings: { totalMs: performance.now() - started, denseMs, keywordMs },
    };
  }

  private filterFor(
    department: string | undefined,
    docId: string | undefined,
  ): ((label: number) => boolean) | null {
    if (!department && !docId) return null;
    const { chunks } = this.options.index;
    return (label) => {
      const chunk = chunks[label];
      return !!chunk && (!department || chunk.department === department) && (!docId || chunk.docId === docId);
    };
  }
}
