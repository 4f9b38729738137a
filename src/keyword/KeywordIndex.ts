import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { ErrorCode, IndexError } from '../errors/index.js';
import { fieldScore, idf, lengthNorm } from './bm25.js';
import {
  KEYWORD_FORMAT,
  type KeywordBuildOptions,
  KeywordIndexBuilder,
  readLengths,
} from './KeywordIndexBuilder.js';
import {
  exhaustiveTopK,
  type MaskSummary,
  maxScoreTopK,
  type RowNorms,
  SearchScratch,
  summarizeMask,
  type WeightedList,
} from './max-score.js';
import {
  type DecodedList,
  decodeAll,
  type PostingList,
  PostingWriter,
  parsePostings,
  withPresence,
} from './postings.js';
import { segment } from './segmenter.js';
import type { KeywordHit, KeywordRow, KeywordSearchOptions, QueryAnalysis } from './types.js';

/**
 * Persistent BM25 keyword index with exact top-k search.
 *
 * Storage is one SQLite file: `terms` maps each index token (from `segment()`) to its document frequency and its
 * posting list (postings.ts: ordinals with body and title term frequencies, in blocks that carry their maximum
 * score); `lengths` holds every row's body and title token counts; `meta` the format, row count and average
 * lengths. SQLite's FTS5 is not used: its bm25() reads a size record per matching row (~8 µs, 150+ ms for a
 * query over 20,000 rows) and it keeps no score bounds, so it can neither score postings fast nor skip them
 * safely (docs/design.md, "Keyword search").
 *
 * Search is block-max MaxScore (max-score.ts): it returns exactly the top k of exhaustive BM25 over the query's
 * weighted terms, skipping only postings that provably cannot reach the top k.
 */

/**
 * Posting lists kept in memory across queries, by bytes. Lists stay packed (1–2 bytes a posting, plus a presence
 * bitmap for common ones), so 256 MB holds all of a million-chunk index's lists.
 */
const POSTINGS_CACHE_BYTES = 256 * 1024 * 1024;

/** Document frequencies remembered (a few MB at most). */
const DF_CACHE_MAX = 100_000;

interface QueryToken {
  /** The analysis term as given (reported in matchedTerms). */
  term: string;
  /** Index tokens the term stands for; usually one, several when the caller passed unsegmented text. */
  tokens: string[];
  weight: number;
  df: number;
}

const SINGLE_TOKEN = /^[\p{L}\p{N}]+$/u;

/** The index tokens a query term stands for: itself when it is one token, else its segments. */
function queryTokens(term: string): string[] {
  const normalized = term.normalize('NFKC').toLowerCase();
  return SINGLE_TOKEN.test(normalized) ? [normalized] : [...new Set(segment(term))];
}

export class KeywordIndex {
  private readonly rowCount: number;
  /** Ordinal space: highest ordinal + 1. */
  private readonly ordinals: number;
  /** Per-row BM25 length factors (bm25.lengthNorm), by ordinal. */
  private readonly norms: RowNorms;
  private readonly dfStatement: Database.Statement<[string], { df: number }>;
  private readonly postingsStatement: Database.Statement<[string], { postings: Buffer }>;
  /** LRU by insertion order: a hit moves its entry to the end. */
  private readonly cache = new Map<string, PostingList>();
  private cachedBytes = 0;
  private readonly masks = new WeakMap<Uint8Array, MaskSummary>();
  private readonly dfCache = new Map<string, number>();
  private readonly scratch = new SearchScratch();

  private constructor(private readonly db: Database.Database) {
    const meta = new Map(
      db
        .prepare<[], { key: string; value: string }>('SELECT key, value FROM meta')
        .all()
        .map((r) => [r.key, r.value]),
    );
    if (meta.get('format') !== KEYWORD_FORMAT) {
      throw new IndexError(
        ErrorCode.IndexMismatch,
        `Keyword index format is ${meta.get('format') ?? 'unknown'}, expected ${KEYWORD_FORMAT}; rebuild the index.`,
      );
    }
    this.rowCount = Number(meta.get('rows'));
    this.ordinals = Number(meta.get('ordinals'));
    const avgBody = Number(meta.get('avgBody'));
    const avgTitle = Number(meta.get('avgTitle'));
    if (![this.rowCount, this.ordinals, avgBody, avgTitle].every(Number.isFinite)) {
      throw new IndexError(ErrorCode.IndexCorrupt, 'Keyword index: meta is incomplete');
    }
    const lengths = db.prepare<[string], { data: Buffer }>('SELECT data FROM lengths WHERE field = ?');
    const bodyLengths = readLengths(lengths.get('body')?.data, this.ordinals, 'body');
    const titleLengths = readLengths(lengths.get('title')?.data, this.ordinals, 'title');
    // The same norms the build computed its block maxima with (same function, same averages).
    const body = new Float64Array(this.ordinals);
    const title = new Float64Array(this.ordinals);
    for (let d = 0; d < this.ordinals; d++) {
      body[d] = lengthNorm(bodyLengths[d] as number, avgBody);
      title[d] = lengthNorm(titleLengths[d] as number, avgTitle);
    }
    this.norms = { body, title };
    this.dfStatement = db.prepare('SELECT df FROM terms WHERE term = ?');
    this.postingsStatement = db.prepare('SELECT postings FROM terms WHERE term = ?');
  }

  /**
   * Builds a new index at `file` (an existing file there is replaced) from rows in ascending ordinal order, with
   * bounded memory (see KeywordIndexBuilder), and opens it. Not atomic by itself: build into a temporary path and
   * rename it into place.
   */
  static async build(
    file: string,
    rows: Iterable<KeywordRow> | AsyncIterable<KeywordRow>,
    options: KeywordBuildOptions = {},
  ): Promise<KeywordIndex> {
    const builder = new KeywordIndexBuilder(file, options);
    try {
      for await (const row of rows) builder.add(row);
    } catch (error) {
      builder.abort();
      throw error;
    }
    builder.finish();
    return KeywordIndex.open(file);
  }

  /** Opens an index written by `build`, read-only. Throws IndexMissing / IndexCorrupt / IndexMismatch. */
  static open(file: string): KeywordIndex {
    if (!existsSync(file)) {
      throw new IndexError(
        ErrorCode.IndexMissing,
        `Keyword index not found at ${file}; build the index first.`,
      );
    }
    let db: Database.Database | undefined;
    try {
      db = new Database(file, { readonly: true, fileMustExist: true });
      // Posting lists are read as blobs: map the file instead of copying each page through read().
      db.pragma('mmap_size = 4294967296');
      return new KeywordIndex(db);
    } catch (error) {
      db?.close();
      if (error instanceof IndexError) throw error;
      throw new IndexError(ErrorCode.IndexCorrupt, `Keyword index at ${file} is unreadable`, {
        cause: error,
      });
    }
  }

  /**
   * The top `k` rows for the analysed query, best first (ties: lower ordinal first); [] when no term matches.
   * Exactly the top k of exhaustive weighted BM25 over the query's terms, also with `allowed`.
   */
  search(analysis: QueryAnalysis, k: number, options: KeywordSearchOptions = {}): KeywordHit[] {
    if (k <= 0 || this.rowCount === 0) return [];
    const present = this.resolveTerms(analysis).filter((t) => t.df > 0);
    if (present.length === 0) return [];
    const terms: WeightedList[] = present.map((t) => ({
      list: this.postingsOf(t.tokens),
      weight: t.weight * idf(this.rowCount, t.df),
    }));
    const mask = options.allowed ?? null;
    const range = options.range ?? null;
    const top = options.exhaustive
      ? exhaustiveTopK(terms, this.norms, this.ordinals, k, mask, range)
      : maxScoreTopK(terms, this.norms, this.ordinals, k, mask && this.summary(mask), this.scratch, range);
    return top.map(({ ordinal, score, terms: held }) => ({
      ordinal,
      score,
      matchedTerms: held.map((i) => (present[i] as QueryToken).term),
    }));
  }

  /** Whether a query term (as `search` resolves it into tokens) occurs in some row. */
  holds(term: string): boolean {
    const tokens = queryTokens(term);
    return tokens.length > 0 && tokens.every((token) => this.documentFrequency(token) > 0);
  }

  /** Rows holding `token` (0 when none) and the row count: what an idf is computed from. */
  frequency(token: string): { df: number; rows: number } {
    return { df: this.documentFrequency(token), rows: this.rowCount };
  }

  /** Every index token with its document frequency (for diagnostics, tests and benchmarks). */
  vocabulary(): { term: string; df: number }[] {
    return this.db.prepare<[], { term: string; df: number }>('SELECT term, df FROM terms').all();
  }

  /** Row count and number of distinct index tokens. */
  stats(): { rows: number; terms: number } {
    const terms = this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM terms').get()?.n ?? 0;
    return { rows: this.rowCount, terms };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Analysis terms → index tokens with document frequencies; duplicates merged (max weight). */
  private resolveTerms(analysis: QueryAnalysis): QueryToken[] {
    const byKey = new Map<string, QueryToken>();
    for (const { term, weight } of analysis.terms) {
      if (!(weight > 0)) continue;
      const tokens = queryTokens(term);
      if (tokens.length === 0) continue;
      const key = tokens.join(' ');
      const existing = byKey.get(key);
      if (existing) {
        existing.weight = Math.max(existing.weight, weight);
        continue;
      }
      const df = Math.min(...tokens.map((token) => this.documentFrequency(token)));
      byKey.set(key, { term, tokens, weight, df });
    }
    return [...byKey.values()];
  }

  /** Rows holding `token` (0 when none); remembered, since questions reuse words. */
  private documentFrequency(token: string): number {
    let df = this.dfCache.get(token);
    if (df === undefined) {
      df = this.dfStatement.get(token)?.df ?? 0;
      if (this.dfCache.size >= DF_CACHE_MAX) this.dfCache.clear();
      this.dfCache.set(token, df);
    }
    return df;
  }

  /**
   * The posting list of one token, or for a term of several tokens the rows holding all of them, with the
   * smallest of their frequencies per field (a term occurs at most as often as its rarest token). Cached.
   */
  private postingsOf(tokens: readonly string[]): PostingList {
    const key = tokens.join(' ');
    const cached = this.cache.get(key);
    if (cached) {
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    let list: PostingList;
    if (tokens.length === 1) {
      const row = this.postingsStatement.get(key);
      if (!row) throw new IndexError(ErrorCode.IndexCorrupt, `Keyword index: no postings for "${key}"`);
      list = withPresence(parsePostings(row.postings), this.ordinals);
    } else {
      list = withPresence(this.intersect(tokens.map((token) => this.postingsOf([token]))), this.ordinals);
    }
    this.cache.set(key, list);
    this.cachedBytes += list.bytes;
    for (const [oldKey, old] of this.cache) {
      if (this.cachedBytes <= POSTINGS_CACHE_BYTES || oldKey === key) break;
      this.cache.delete(oldKey);
      this.cachedBytes -= old.bytes;
    }
    return list;
  }

  private intersect(lists: readonly PostingList[]): PostingList {
    const decoded = lists.map((list) => decodeAll(list));
    const writer = new PostingWriter();
    const first = decoded[0] as DecodedList;
    const positions = decoded.map(() => 0);
    for (let i = 0; i < first.docs.length; i++) {
      const d = first.docs[i] as number;
      let tfBody = first.tfBody[i] as number;
      let tfTitle = first.tfTitle[i] as number;
      let everywhere = true;
      for (let j = 1; j < decoded.length && everywhere; j++) {
        const other = decoded[j] as DecodedList;
        let p = positions[j] as number;
        while (p < other.docs.length && (other.docs[p] as number) < d) p++;
        positions[j] = p;
        if (other.docs[p] !== d) everywhere = false;
        else {
          tfBody = Math.min(tfBody, other.tfBody[p] as number);
          tfTitle = Math.min(tfTitle, other.tfTitle[p] as number);
        }
      }
      if (!everywhere || (tfBody === 0 && tfTitle === 0)) continue;
      const bodyNorm = this.norms.body[d] as number;
      const titleNorm = this.norms.title[d] as number;
      writer.add(d, tfBody, tfTitle, fieldScore(tfBody, bodyNorm, tfTitle, titleNorm));
    }
    return parsePostings(writer.finish());
  }

  private summary(mask: Uint8Array): MaskSummary {
    let summary = this.masks.get(mask);
    if (!summary) {
      summary = summarizeMask(mask, this.ordinals);
      this.masks.set(mask, summary);
    }
    return summary;
  }
}
