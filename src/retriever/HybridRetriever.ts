import { questionShape } from '../answer/question-shape.js';
import type { Embedder } from '../embeddings/Embedder.js';
import type { LoadedIndex } from '../index/load-index.js';
import { groupBy } from '../internal/group-by.js';
import { withoutSharedRuns } from '../internal/text-measures.js';
import { idf } from '../keyword/bm25.js';
import { withCharacterCompounds } from '../keyword/char-compounds.js';
import { type ExpansionKind, expandQuery } from '../keyword/expand.js';
import { SENSE_PASSAGES, withHeldSenses, withPassageSenses } from '../keyword/library-senses.js';
import { analyzeQuery } from '../keyword/translate.js';
import type { KeywordHit, KeywordSearchOptions, QueryAnalysis } from '../keyword/types.js';
import type { Logger } from '../logging/logger.js';
import type {
  Chunk,
  Issuer,
  RetrievalQuery,
  RetrievalResult,
  ScoredPassage,
  StructuredDocument,
} from '../types.js';
import { conceptCoverage, questionConcepts } from './concepts.js';
import { feedbackTerms } from './feedback.js';
import { convexCombination, reciprocalRankFusion } from './fusion.js';
import { inDocumentWeights, MIN_DOCUMENT_CHUNKS, reorderWithin, withPhraseMatches } from './in-document.js';
import { libraryIssuers, resolveIssuer } from './issuers.js';
import { modelHandlesLanguage } from './model-languages.js';
import {
  documentsNamed,
  documentsOfYear,
  type LibraryScope,
  libraryScope,
  missingYears,
  queryScope,
  scopePlan,
} from './query-scope.js';
import { missingEdition, missingVariant } from './variant-check.js';

export const DEFAULT_KEYWORD_WEIGHT = 0.5;
/** Fused-score bonus of the passages of a document the question names by title, issuer or year. */
const DOC_BOOST = 0.35;
/** Weight left to a query term that only repeats what picked the documents (their title, the region). */
const MUTED_WEIGHT = 0.25;

/**
 * Terms that are part of what chose the documents ("专利代理条例" in "专利代理条例从哪天起施行？", "浙江") say
 * nothing about which passage of those documents answers: they keep a quarter of their weight.
 */
function muteTerms(analysis: QueryAnalysis, muted: readonly string[]): QueryAnalysis {
  const words = muted.filter((m) => m.length >= 2);
  if (words.length === 0) return analysis;
  return {
    ...analysis,
    terms: analysis.terms.map((t) =>
      t.term.length >= 2 && words.some((w) => w.includes(t.term))
        ? { ...t, weight: t.weight * MUTED_WEIGHT }
        : t,
    ),
  };
}

/**
 * The text a question's scope is read from: the question, and for an English question also the Chinese its
 * words translate to ("Zhejiang" → 浙江), since the library's metadata is Chinese.
 */
function scopeText(text: string, analysis: QueryAnalysis): string {
  if (analysis.language !== 'en') return text;
  const translated = analysis.terms.filter((t) => t.source === 'translation').map((t) => t.term);
  return `${text} ${translated.join(' ')}`;
}

/** Passages whose documents must mention a year the question names (else: "the documents cover …, not …"). */
const YEAR_CHECK_PASSAGES = 3;
/** …whose score is at least this share of the top passage's. */
const ANSWERING_SHARE = 0.5;
/** The documents of the first pass's leading passages that compete to answer (see `ANSWERING_SHARE`). */
function answeringDocuments(
  ranked: readonly (readonly [number, number])[],
  docOf: (ordinal: number) => string | undefined,
): string[] {
  const floor = (ranked[0]?.[1] ?? 0) * ANSWERING_SHARE;
  const docs = ranked
    .slice(0, YEAR_CHECK_PASSAGES)
    .filter(([, score]) => score >= floor)
    .map(([ordinal]) => docOf(ordinal));
  return [...new Set(docs.filter((d): d is string => d !== undefined))];
}

/** Filter masks kept (one byte per chunk each: 100 KB at 100k chunks). */
const MAX_FILTER_MASKS = 64;
/** Filters letting through at least this share of chunks are applied after an unfiltered dense search. */
const POST_FILTER_MIN_SHARE = 0.15;
/** …which asks for this many times the neighbours the share implies, so that enough survive the filter. */
const POST_FILTER_OVERSAMPLE = 1.5;

/** Which chunks a filtered search may return (mask[ordinal] === 1), and what share of all chunks that is. */
interface LabelFilter {
  mask: Uint8Array;
  allows: (label: number) => boolean;
  /** How many labels the mask allows, and their share of the index. */
  allowed: number;
  share: number;
}

/** Whether two analyses search the same terms with the same weights (and report the same sources). */
function sameTerms(a: QueryAnalysis, b: QueryAnalysis): boolean {
  return (
    a.language === b.language &&
    a.terms.length === b.terms.length &&
    a.terms.every((t, i) => {
      const u = b.terms[i];
      return (
        u !== undefined &&
        t.term === u.term &&
        t.weight === u.weight &&
        t.source === u.source &&
        t.of === u.of
      );
    })
  );
}

/**
 * The documents searched: the caller's set narrowed to those the question names; when the question names
 * none of the caller's documents, the caller's set (a channel's documents are what it may search).
 */
function narrow(
  asked: readonly string[] | undefined,
  named: readonly string[] | undefined,
): readonly string[] | undefined {
  if (!asked) return named;
  if (!named) return asked;
  const both = asked.filter((id) => named.includes(id));
  return both.length > 0 ? both : asked;
}

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
  /** Query expansions used by the keyword search (keyword/expand.ts, feedback.ts); default none. */
  expansion?: ReadonlySet<ExpansionKind>;
}

/**
 * Dense (hnsw cosine) + keyword (BM25 over jieba tokens) retrieval, fused as described in fusion.ts.
 * Each passage keeps both component scores so the answer layer can judge whether the documents cover
 * the question at all.
 */
export class HybridRetriever {
  private readonly issuers: Issuer[];
  private readonly library: LibraryScope;
  private readonly candidates: number;
  /** Label masks for dense-search filters, by field and value (see `filterFor`). */
  private readonly masks = new Map<string, { mask: Uint8Array; allowed: number }>();
  /** Each document's chunks, built on first use. */
  private byDocument: Map<string, Chunk[]> | null = null;
  /** Each document's position in the library, built on first use. */
  private documentIndex: Map<string, number> | null = null;
  /** `documentSetKey` of the document-id arrays seen. */
  private readonly setKeys = new WeakMap<readonly string[], string>();

  constructor(private readonly options: HybridRetrieverOptions) {
    this.issuers = libraryIssuers(options.index.documents);
    this.library = libraryScope(options.index.documents);
    this.candidates = options.candidates ?? 50;
  }

  get mode(): 'hybrid' | 'keyword-only' {
    return this.options.embedder && this.options.index.vectors ? 'hybrid' : 'keyword-only';
  }

  resolveIssuer(name: string): Issuer | null {
    return resolveIssuer(name, this.issuers);
  }

  listIssuers(): Issuer[] {
    return this.issuers;
  }

  /** The library's documents as scoping reads them (titles, 文号, issuers, years). */
  get scope(): LibraryScope {
    return this.library;
  }

  /** The documents a name means (id, 文号, title or fragment of one); see `documentsNamed`. */
  resolveDocuments(name: string): string[] {
    return documentsNamed(name, this.library);
  }

  /**
   * The documents the caller's filters allow (`docIds`/`docId`, `doc`, `year`, all of them together), or
   * undefined when the caller set none.
   */
  private askedDocuments(query: RetrievalQuery): readonly string[] | undefined {
    let asked: readonly string[] | undefined = query.docIds ?? (query.docId ? [query.docId] : undefined);
    const keep = (ids: readonly string[]) => {
      asked = asked ? asked.filter((id) => ids.includes(id)) : ids;
    };
    if (query.doc !== undefined) keep(this.resolveDocuments(query.doc));
    if (query.year !== undefined) keep(documentsOfYear(query.year, this.library));
    return asked;
  }

  /**
   * The best `k` passages for a question. What the question names (a 文号, region, title, issuer, year; see
   * query-scope.ts) narrows or orders the documents searched, within any filter the caller set.
   */
  async retrieve(query: RetrievalQuery): Promise<RetrievalResult> {
    const started = performance.now();
    const k = query.k ?? 5;
    const { chunks } = this.options.index;
    const issuer = query.issuer ? (this.resolveIssuer(query.issuer) ?? undefined) : undefined;
    const asked = this.askedDocuments(query);
    const { keyword } = this.options.index;
    const holds = (term: string) => keyword.holds(term);
    const translated = withHeldSenses(
      withCharacterCompounds(analyzeQuery(query.text, query.language), holds),
      holds,
    );
    const { analysis: plain, probe } = this.inLibrarySenses(translated, query.text, issuer, asked);
    const scope = queryScope(scopeText(query.text, plain), this.library);
    const plan = scopePlan(scope, this.library);
    const docIds = narrow(asked, plan.docIds);
    const filter = this.filterFor(issuer, docIds);
    const analysis = muteTerms(plain, plan.muted);
    const expansion = this.options.expansion ?? new Set<ExpansionKind>();
    let searched = expandQuery(analysis, expansion);

    const { embedder } = this.options;
    const vectors = this.options.index.vectors;
    // A Chinese-only model (bge-zh) embeds an English question as noise; fusing that noise in would only
    // push the keyword ranking (which translates English terms) around.
    const denseUseful = embedder !== null && modelHandlesLanguage(embedder.modelId, analysis.language);
    // Start embedding the question before the (synchronous) keyword search: the model runs on its own
    // threads, so the two overlap instead of adding up.
    const pendingVector = embedder && vectors && denseUseful ? embedder.embedQueries([query.text]) : null;
    // Awaited below; until then a rejection must not count as unhandled.
    pendingVector?.catch(() => {});

    const keywordStarted = performance.now();
    const searchOptions = filter ? { allowed: filter.mask } : {};
    // The sense probe searched the same terms within the same documents when the question's words kept their
    // senses and nothing narrowed the search since: its hits are this search's (exact top k, ties by ordinal).
    const probed = probe && docIds === asked && sameTerms(probe.analysis, searched) ? probe.hits : null;
    let keywordHits = probed ?? keyword.search(searched, this.candidates, searchOptions);
    if (expansion.has('feedback') && keywordHits.length > 1) {
      const texts = keywordHits.slice(0, 3).map((h) => chunks[h.ordinal]?.text ?? '');
      searched = feedbackTerms(searched, texts, keyword);
      keywordHits = keyword.search(searched, this.candidates, searchOptions);
    }
    const keywordMs = performance.now() - keywordStarted;

    const denseStarted = performance.now();
    let denseHits: { label: number; score: number }[] = [];
    let queryVector: Float32Array | undefined;
    if (pendingVector && vectors) {
      const [vector] = await pendingVector;
      queryVector = vector;
      if (vector) denseHits = this.denseSearch(vectors, vector, filter);
    }
    const denseMs = performance.now() - denseStarted;

    // Cosines of keyword candidates the graph did not return: read in one batch per pass (a large store's vectors
    // are on disk) and kept for the in-document passes, which ask again for many of the same passages.
    const cosines = new Map<number, number>();
    const cosineOf = (keywordList: typeof keywordHits, denseList: typeof denseHits) => {
      if (!queryVector || !vectors) return null;
      const returned = new Set(denseList.map((h) => h.label));
      const missing = keywordList.map((h) => h.ordinal).filter((o) => !returned.has(o) && !cosines.has(o));
      for (const [ordinal, cosine] of vectors.similarities(queryVector, missing))
        cosines.set(ordinal, cosine);
      return (ordinal: number) => cosines.get(ordinal) ?? 0;
    };
    const fuse = (keywordList: typeof keywordHits, denseList: typeof denseHits) =>
      this.options.fusion === 'rrf'
        ? reciprocalRankFusion([
            { ordinals: keywordList.map((h) => h.ordinal), weight: 1 },
            { ordinals: denseList.map((h) => h.label), weight: 1 },
          ])
        : convexCombination(
            keywordList,
            denseList.map((h) => ({ ordinal: h.label, score: h.score })),
            cosineOf(keywordList, denseList),
            this.options.keywordWeight ?? DEFAULT_KEYWORD_WEIGHT,
          );
    const fused = fuse(keywordHits, denseHits);
    if (plan.boostDocIds && plan.boostDocIds.length > 0) {
      const boosted = new Set(plan.boostDocIds);
      for (const [ordinal, score] of fused) {
        if (boosted.has(chunks[ordinal]?.docId ?? '')) fused.set(ordinal, score * (1 + DOC_BOOST));
      }
    }
    const firstPass = [...fused.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const keywordByOrdinal = new Map(keywordHits.map((h, i) => [h.ordinal, { hit: h, rank: i + 1 }]));
    const denseByOrdinal = new Map(denseHits.map((h, i) => [h.label, { hit: h, rank: i + 1 }]));

    // The documents that answer get their passages ranked again by what tells them apart (in-document.ts).
    // Not for a question asking for a set of things: there the heading that repeats the question's words is
    // what leads to the items under it.
    let ranked = firstPass.map(([ordinal]) => ordinal);
    const docOf = (ordinal: number) => chunks[ordinal]?.docId;
    const reorder = !questionShape(query.text).wantsItems;
    for (const docId of reorder ? answeringDocuments(firstPass, docOf) : []) {
      // Within the caller's filter: an issuer's part of a joint document, not the whole document.
      const own = filter
        ? this.chunksOf(docId).filter((c) => filter.allows(c.ordinal))
        : this.chunksOf(docId);
      if (own.length < MIN_DOCUMENT_CHUNKS) continue;
      const weighted = inDocumentWeights(searched, own, (term) => {
        // A term that is no single index token (a phrase the index splits) keeps its weight.
        const { df, rows } = keyword.frequency(term);
        return df === 0 ? 0 : idf(rows, df);
      });
      const hits = keyword.search(weighted, this.candidates, this.withinDocument(docId, own, filter));
      const inDoc = withPhraseMatches(
        fuse(
          hits,
          denseHits.filter((h) => docOf(h.label) === docId),
        ),
        withoutSharedRuns(query.text, own[0]?.docTitle ?? ''),
        (ordinal) => chunks[ordinal]?.text ?? '',
      );
      const order = [...inDoc.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([o]) => o);
      ranked = reorderWithin(ranked, docOf, docId, order);
      // A passage only the second pass found still reports its keyword match (first-pass entries stay).
      hits.forEach((h, i) => {
        if (!keywordByOrdinal.has(h.ordinal)) keywordByOrdinal.set(h.ordinal, { hit: h, rank: i + 1 });
      });
    }

    const passages: ScoredPassage[] = ranked.slice(0, k).flatMap((ordinal, i) => {
      const chunk: Chunk | undefined = chunks[ordinal];
      if (!chunk) return [];
      const kw = keywordByOrdinal.get(ordinal);
      const dn = denseByOrdinal.get(ordinal);
      return [
        {
          chunk,
          // The slot's score: documents keep their first-pass order against each other.
          score: firstPass[i]?.[1] ?? 0,
          dense: dn?.hit.score ?? null,
          keyword: kw?.hit.score ?? null,
          denseRank: dn?.rank ?? null,
          keywordRank: kw?.rank ?? null,
          matchedTerms: kw?.hit.matchedTerms ?? [],
        },
      ];
    });

    const top = passages[0];
    // Coverage asks whether the library speaks to the question at all: the first pass's best passage, the one
    // densest in the question's words, tells that (the in-document order puts the distinctive one first).
    const firstTop = firstPass[0] ? keywordByOrdinal.get(firstPass[0][0]) : undefined;
    const matched = new Set([...(firstTop?.hit.matchedTerms ?? []), ...(top?.matchedTerms ?? [])]);
    const concepts = questionConcepts(
      analysis.terms,
      searched.terms.filter((t) => t.source === 'expansion'),
    );
    // The documents that compete to answer: near the top passage's score, not a distant third.
    const floor = (top?.score ?? 0) * ANSWERING_SHARE;
    const answering = [
      ...new Set(
        passages
          .slice(0, YEAR_CHECK_PASSAGES)
          .filter((p) => p.score >= floor)
          .map((p) => p.chunk.docId),
      ),
    ];
    // The answering documents, looked up once for the variant and edition checks (only when they run).
    let found: StructuredDocument[] | null = null;
    const answeringDocs = () => {
      found ??= this.documentsOf(answering);
      return found;
    };
    const yearFiltered =
      query.year !== undefined && docIds?.length === 0
        ? {
            kind: 'year' as const,
            named: [query.year],
            covered: [...new Set(this.library.documents.flatMap((d) => d.years))].sort((a, b) => a - b),
          }
        : null;
    const missing =
      yearFiltered ??
      plan.missing ??
      (docIds?.length === 0
        ? null
        : (missingYears(scope, this.library, answering) ??
          missingVariant(
            query.text,
            answeringDocs().map((d) => d.cleanedText),
          ) ??
          missingEdition(
            query.text,
            answeringDocs().map((d) => d.meta.title),
          )));
    this.options.logger.debug(
      { scope: scope.documents.slice(0, 5), docIds: docIds?.length, boost: plan.boostDocIds, missing },
      'query scope',
    );

    return {
      query: query.text,
      language: analysis.language,
      terms: analysis.terms.map((t) => t.term),
      concepts,
      passages,
      coverage: conceptCoverage(concepts, (term) => matched.has(term)),
      mode: this.mode,
      timings: { totalMs: performance.now() - started, denseMs, keywordMs },
      missing,
    };
  }

  /**
   * Dense candidates, filtered when asked. A broad filter (an issuer: a quarter of the chunks) is applied
   * after an unfiltered search for proportionally more neighbours: hnswlib would otherwise call the filter for
   * every node it visits and, when the walk still comes back short, the store redoes the search exactly over
   * every allowed vector (tens of ms at 100k). Narrow filters go straight to the store, which searches them
   * exactly.
   */
  private denseSearch(
    vectors: NonNullable<LoadedIndex['vectors']>,
    vector: Float32Array,
    filter: LabelFilter | null,
  ): { label: number; score: number }[] {
    const ef = this.options.ef;
    if (!filter) return vectors.search(vector, this.candidates, { ef });
    if (filter.share >= POST_FILTER_MIN_SHARE) {
      const wide = Math.ceil((this.candidates / filter.share) * POST_FILTER_OVERSAMPLE);
      const hits = vectors.search(vector, wide, { ef }).filter((h) => filter.allows(h.label));
      if (hits.length >= this.candidates) return hits.slice(0, this.candidates);
    }
    return vectors.search(vector, this.candidates, {
      ef,
      filter: filter.allows,
      allowedCount: filter.allowed,
      mask: filter.mask,
    });
  }

  /**
   * The filter shared by the keyword and the dense search: one mask over ordinals, built once per issuer /
   * document set and cached. hnswlib calls `allows` for every node it visits and the store for every label when
   * it decides between graph and exact search (100k calls), so it is one typed-array lookup, not a chunk lookup
   * and string comparisons; the keyword index takes the mask itself.
   */
  private filterFor(issuer: Issuer | undefined, docIds: readonly string[] | undefined): LabelFilter | null {
    if (!issuer && !docIds) return null;
    const key = `${issuer?.full ?? ''}\0${docIds ? this.documentSetKey(docIds) : '*'}`;
    const issuerAllows = (c: Chunk) => !issuer || (c.issuerFull ?? '').split('、').includes(issuer.full);
    // A document set's mask is set from its documents' chunks: a scan of every chunk of a million-chunk index
    // (tens of ms) for each new set of named documents would cost more than the searches.
    const { mask, allowed } = docIds
      ? this.maskOfDocuments(key, docIds, issuerAllows)
      : this.maskFor(key, issuerAllows);
    const total = Math.max(1, this.options.index.chunks.length);
    return { mask, allows: (label) => mask[label] === 1, allowed, share: allowed / total };
  }

  /**
   * An English question's words in the senses the library's best passages for it use (library-senses.ts): a
   * probe search within the caller's filter, before what the question names is read. Other questions as given.
   */
  private inLibrarySenses(
    analysis: QueryAnalysis,
    question: string,
    issuer: Issuer | undefined,
    asked: readonly string[] | undefined,
  ): { analysis: QueryAnalysis; probe: { analysis: QueryAnalysis; hits: KeywordHit[] } | null } {
    if (analysis.language !== 'en') return { analysis, probe: null };
    const filter = this.filterFor(issuer, asked);
    // As many hits as the answer's search takes, so that they can stand for it when nothing changes between the
    // two (retrieve); the senses are read from the best SENSE_PASSAGES of them.
    const hits = this.options.index.keyword.search(
      analysis,
      Math.max(SENSE_PASSAGES, this.candidates),
      filter ? { allowed: filter.mask } : {},
    );
    const { chunks } = this.options.index;
    const sensed = withPassageSenses(
      analysis,
      question,
      hits.slice(0, SENSE_PASSAGES).map((h) => chunks[h.ordinal]?.text ?? ''),
    );
    return { analysis: sensed, probe: { analysis, hits } };
  }

  /**
   * Keyword-search options that restrict a search to `own` (the chunks of `docId` a filter lets through). A
   * document's chunks have consecutive ordinals: the search is given that range (and the filter's mask), so it
   * reads only the document's stretch of each posting list; a mask of the document's own is built only when its
   * ordinals are not consecutive.
   */
  private withinDocument(
    docId: string,
    own: readonly Chunk[],
    filter: LabelFilter | null,
  ): KeywordSearchOptions {
    const all = this.chunksOf(docId);
    const from = all[0]?.ordinal ?? 0;
    const to = (all.at(-1)?.ordinal ?? -1) + 1;
    if (to - from === all.length)
      return filter ? { range: { from, to }, allowed: filter.mask } : { range: { from, to } };
    return { allowed: this.documentMask(docId, own, filter === null) };
  }

  /**
   * The keyword mask of `own` (one document's chunks, or those of them a filter lets through), set from those
   * chunks (not by testing every chunk of the index: at a million chunks that scan costs more than the search);
   * a whole document's is cached with the other filter masks.
   */
  private documentMask(docId: string, own: readonly Chunk[], cache: boolean): Uint8Array {
    const key = `doc\0${docId}`;
    const cached = cache ? this.masks.get(key) : undefined;
    if (cached) return cached.mask;
    const mask = new Uint8Array(this.options.index.chunks.length);
    for (const chunk of own) mask[chunk.ordinal] = 1;
    if (cache) {
      if (this.masks.size >= MAX_FILTER_MASKS) this.masks.clear();
      this.masks.set(key, { mask, allowed: own.length });
    }
    return mask;
  }

  /** The documents of these ids, in library order (looked up, not found by a pass over every document). */
  private documentsOf(ids: readonly string[]): StructuredDocument[] {
    const { documents } = this.options.index;
    const index = this.positions();
    return ids
      .map((id) => index.get(id))
      .filter((i): i is number => i !== undefined)
      .sort((a, b) => a - b)
      .map((i) => documents[i] as StructuredDocument);
  }

  /**
   * A key that is the same for the same set of documents in any order: their library positions, sorted, as a
   * string of bytes (ids the library lacks, sorted, after them). Remembered per array, since the scope hands
   * back the same array for the same narrowing (the national documents: 21,000 ids at a million chunks, whose
   * sorted and joined ids took ~15 ms a question to key).
   */
  private documentSetKey(docIds: readonly string[]): string {
    const known = this.setKeys.get(docIds);
    if (known !== undefined) return known;
    const index = this.positions();
    const positions = new Uint32Array(docIds.length);
    const unknown: string[] = [];
    let n = 0;
    for (const id of docIds) {
      const i = index.get(id);
      if (i === undefined) unknown.push(id);
      else positions[n++] = i;
    }
    const sorted = positions.subarray(0, n).sort();
    let unique = 0;
    for (let j = 0; j < sorted.length; j++)
      if (j === 0 || sorted[j] !== sorted[j - 1]) sorted[unique++] = sorted[j] as number;
    const bytes = Buffer.from(sorted.buffer, sorted.byteOffset, unique * 4).toString('latin1');
    const key = `${bytes}\0${[...new Set(unknown)].sort().join('\0')}`;
    this.setKeys.set(docIds, key);
    return key;
  }

  private positions(): Map<string, number> {
    this.documentIndex ??= new Map(this.options.index.documents.map((d, i) => [d.id, i]));
    return this.documentIndex;
  }

  private chunksOf(docId: string): readonly Chunk[] {
    this.byDocument ??= groupBy(this.options.index.chunks, (c) => c.docId);
    return this.byDocument.get(docId) ?? [];
  }

  /** The mask of the chunks of `docIds` that `allows` lets through, cached under `key`. */
  private maskOfDocuments(
    key: string,
    docIds: readonly string[],
    allows: (chunk: Chunk) => boolean,
  ): { mask: Uint8Array; allowed: number } {
    let entry = this.masks.get(key);
    if (!entry) {
      const mask = new Uint8Array(this.options.index.chunks.length);
      let allowed = 0;
      for (const docId of new Set(docIds)) {
        for (const chunk of this.chunksOf(docId)) {
          if (allows(chunk)) {
            mask[chunk.ordinal] = 1;
            allowed++;
          }
        }
      }
      entry = { mask, allowed };
      if (this.masks.size >= MAX_FILTER_MASKS) this.masks.clear();
      this.masks.set(key, entry);
    }
    return entry;
  }

  /** The mask of the chunks `allows` lets through, cached under `key`. */
  private maskFor(key: string, allows: (chunk: Chunk) => boolean): { mask: Uint8Array; allowed: number } {
    let entry = this.masks.get(key);
    if (!entry) {
      const { chunks } = this.options.index;
      const mask = new Uint8Array(chunks.length);
      let allowed = 0;
      for (let i = 0; i < chunks.length; i++) {
        const chunk = chunks[i];
        if (chunk && allows(chunk)) {
          mask[i] = 1;
          allowed++;
        }
      }
      entry = { mask, allowed };
      // Document sets are open-ended: keep the cache from growing without bound.
      if (this.masks.size >= MAX_FILTER_MASKS) this.masks.clear();
      this.masks.set(key, entry);
    }
    return entry;
  }
}
