import { existsSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { ErrorCode, IndexError } from '../errors/index.js';
import { segment } from './segmenter.js';
import type { KeywordFilter, KeywordHit, KeywordRow, KeywordSearchOptions, QueryAnalysis } from './types.js';

/**
 * Persistent BM25 keyword index over pre-segmented chunks (SQLite FTS5 through better-sqlite3).
 *
 * Layout: `rows` holds each chunk's space-joined tokens from `segment()` (body, title), a `tags` string with the
 * department and document as hex tokens, and token counts; `chunks` is an external-content FTS5 index over
 * `rows` (rowid = ordinal) whose unicode61 tokenizer only splits on the spaces we put there; `df` holds each
 * token's document frequency; `meta` holds the format version, row count and average lengths.
 *
 * Search = candidate generation + re-ranking. Candidates come from the *selective* query terms — rarest first,
 * each in at most ~5% of rows, within a postings budget; when every term is common, the rows holding all of the
 * rarest three. They are ranked by an approximate BM25 accumulated over posting lists that FTS5 returns
 * unranked and that are cached per token (FTS5's own bm25() reads a size record per matching row: ~8 µs a row,
 * 150+ ms for a query over 20,000 rows). The top candidates are then re-scored in JS with weighted BM25 over
 * *all* query terms, which also yields `matchedTerms`.
 */

/** Bump when the schema or the segmentation rules change: old indexes then fail with IndexMismatch. */
const FORMAT = 'policybot-keyword-v2';
/** Title matches count less than body matches: many chunks share one article title. */
const TITLE_WEIGHT = 0.3;
const K1 = 1.2;
const B = 0.75;
/** Terms in more than this share of rows are not used to generate candidates (see the class comment). */
const PRUNE_DF_RATIO = 0.05;
/** …but pruning only starts above this many rows per term: small corpora are fast anyway. */
const PRUNE_MIN_DF = 500;
/** Total postings scored per query, as a multiple of the per-term limit. */
const BUDGET_FACTOR = 1;
/** When every term is common, candidates must contain this many of the rarest terms. */
const ALL_COMMON_AND_TERMS = 3;
/**
 * Candidates re-ranked per query, at least: the candidate ranking counts each term once per row, so rows where a
 * term repeats can sit lower than their final score; 200 keeps top-5 with pruning ≥ 90% equal to top-5 without.
 */
const MIN_DEPTH = 200;
/**
 * Candidates re-ranked per query, as a multiple of k. The candidate scores already approximate the final BM25
 * (they miss only repeated terms and the title weighting), so 4×k is deep enough; each re-ranked row is a
 * row read (~5–10 µs), which at 10×k made re-ranking the larger part of a query.
 */
const DEPTH_FACTOR = 4;

interface QueryToken {
  /** The analysis term as given (reported in matchedTerms). */
  term: string;
  /** Index tokens the term stands for; usually one, several when the caller passed unsegmented text. */
  tokens: string[];
  weight: number;
  df: number;
  idf: number;
}

interface CandidateRow {
  body: string;
  title: string;
  nbody: number;
  ntitle: number;
}

/** Filter values become single ASCII tokens (hex), whatever characters the names contain. */
function departmentTag(department: string): string {
  return `d${Buffer.from(department, 'utf8').toString('hex')}`;
}

function docTag(docId: string): string {
  return `k${Buffer.from(docId, 'utf8').toString('hex')}`;
}

const SINGLE_TOKEN = /^[\p{L}\p{N}]+$/u;

/** FTS5 string literal: the only special character inside double quotes is the double quote itself. */
function ftsString(token: string): string {
  return `"${token.replaceAll('"', '""')}"`;
}

function countIn(tokens: readonly string[], wanted: ReadonlySet<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const token of tokens) {
    if (wanted.has(token)) counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  return counts;
}

/** Postings kept in memory across queries (4 bytes each): 8M ≈ 32 MB. */
const POSTINGS_CACHE_MAX = 8_000_000;

/** Intersection of ascending ordinal lists. */
function intersectSorted(...lists: Int32Array[]): Int32Array {
  if (lists.length === 0) return new Int32Array(0);
  let out = lists[0] as Int32Array;
  for (const other of lists.slice(1)) {
    const next = new Int32Array(Math.min(out.length, other.length));
    let n = 0;
    let i = 0;
    let j = 0;
    while (i < out.length && j < other.length) {
      const a = out[i] as number;
      const b = other[j] as number;
      if (a === b) {
        next[n++] = a;
        i++;
        j++;
      } else if (a < b) i++;
      else j++;
    }
    out = next.subarray(0, n);
  }
  return out;
}

/** The `n` rows with the highest score (ties: lower ordinal first), best first. */
function topByScore(rows: readonly number[], score: Float64Array, n: number): number[] {
  const better = (a: number, b: number) => {
    const sa = score[a] as number;
    const sb = score[b] as number;
    return sa > sb || (sa === sb && a < b);
  };
  if (rows.length <= n) return [...rows].sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
  // Min-heap of the n best seen so far: its root is the worst of them.
  const heap: number[] = [];
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && better(heap[m] as number, heap[l] as number)) m = l;
      if (r < heap.length && better(heap[m] as number, heap[r] as number)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m] as number, heap[i] as number];
      i = m;
    }
  };
  for (const row of rows) {
    if (heap.length < n) {
      heap.push(row);
      let i = heap.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!better(heap[p] as number, heap[i] as number)) break;
        [heap[i], heap[p]] = [heap[p] as number, heap[i] as number];
        i = p;
      }
    } else if (better(row, heap[0] as number)) {
      heap[0] = row;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
}

export class KeywordIndex {
  private readonly rowCount: number;
  private readonly avgBody: number;
  private readonly avgTitle: number;
  private readonly dfStatement: Database.Statement<[string], { n: number }>;
  private readonly rowStatement: Database.Statement<[number], CandidateRow>;
  private readonly postingsStatement: Database.Statement<[string], number>;
  private readonly lengthsStatement: Database.Statement<[], [number, number]>;
  private readonly postingsCache = new Map<string, Int32Array>();
  private cachedPostings = 0;
  private lengths: Uint16Array | null = null;
  /** Per-ordinal score scratch for `candidates`; zero between queries. */
  private readonly accumulator: Float64Array;

  private constructor(private readonly db: Database.Database) {
    const meta = new Map(
      db
        .prepare<[], { key: string; value: string }>('SELECT key, value FROM meta')
        .all()
        .map((r) => [r.key, r.value]),
    );
    if (meta.get('format') !== FORMAT) {
      throw new IndexError(
        ErrorCode.IndexMismatch,
        `Keyword index format is ${meta.get('format') ?? 'unknown'}, expected ${FORMAT}; rebuild the index.`,
      );
    }
    this.rowCount = Number(meta.get('rows') ?? 0);
    this.avgBody = Number(meta.get('avgBody') ?? 1) || 1;
    this.avgTitle = Number(meta.get('avgTitle') ?? 1) || 1;
    this.dfStatement = db.prepare('SELECT n FROM df WHERE term = ?');
    // FTS5 ranks (bm25 with tf and length) only the rows of the selective terms; JS re-scores the top.
    this.postingsStatement = db
      .prepare<[string], number>('SELECT rowid FROM chunks WHERE chunks MATCH ?')
      .pluck();
    this.lengthsStatement = db.prepare<[], [number, number]>('SELECT ordinal, nbody FROM rows').raw();
    const maxOrdinal =
      db.prepare<[], { m: number | null }>('SELECT max(ordinal) AS m FROM rows').get()?.m ?? -1;
    this.accumulator = new Float64Array(maxOrdinal + 1);
    this.rowStatement = db.prepare('SELECT body, title, nbody, ntitle FROM rows WHERE ordinal = ?');
  }

  /**
   * Builds a new index at `file` (an existing file there is replaced) and returns it open read-write.
   * Not atomic by itself: build into a temporary path and rename it into place.
   */
  static build(file: string, rows: readonly KeywordRow[]): KeywordIndex {
    const seen = new Set<number>();
    for (const row of rows) {
      if (!Number.isInteger(row.ordinal) || row.ordinal < 0 || seen.has(row.ordinal)) {
        throw new IndexError(
          ErrorCode.IndexCorrupt,
          `Keyword rows: invalid or duplicate ordinal ${row.ordinal}`,
        );
      }
      seen.add(row.ordinal);
    }
    for (const suffix of ['', '-journal', '-wal', '-shm']) {
      if (existsSync(file + suffix)) rmSync(file + suffix);
    }
    const db = new Database(file);
    try {
      // A fresh file that the caller renames into place: no need to journal or sync each page.
      db.pragma('journal_mode = OFF');
      db.pragma('synchronous = OFF');
      db.exec(`
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE rows (ordinal INTEGER PRIMARY KEY, body TEXT NOT NULL, title TEXT NOT NULL,
                           tags TEXT NOT NULL, department TEXT, doc_id TEXT NOT NULL,
                           nbody INTEGER NOT NULL, ntitle INTEGER NOT NULL);
        CREATE TABLE df (term TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
        CREATE VIRTUAL TABLE chunks USING fts5(body, title, tags, content = 'rows', content_rowid = 'ordinal',
          tokenize = 'unicode61 remove_diacritics 0', detail = full);
      `);
      const insertChunk = db.prepare('INSERT INTO chunks (rowid, body, title, tags) VALUES (?, ?, ?, ?)');
      const insertRow = db.prepare('INSERT INTO rows VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      const insertDf = db.prepare('INSERT INTO df VALUES (?, ?)');
      const insertMeta = db.prepare('INSERT INTO meta VALUES (?, ?)');
      const df = new Map<string, number>();
      // Article titles repeat across chunks: segment each distinct title once.
      const titleTokens = new Map<string, string[]>();
      let totalBody = 0;
      let totalTitle = 0;
      db.transaction(() => {
        for (const row of rows) {
          const body = segment(row.text);
          let title = titleTokens.get(row.title);
          if (!title) {
            title = segment(row.title);
            titleTokens.set(row.title, title);
          }
          totalBody += body.length;
          totalTitle += title.length;
          for (const token of new Set([...body, ...title])) df.set(token, (df.get(token) ?? 0) + 1);
          const tags = [docTag(row.docId)];
          if (row.department !== null) tags.push(departmentTag(row.department));
          const bodyText = body.join(' ');
          const titleText = title.join(' ');
          const tagText = tags.join(' ');
          // External content: FTS5 keeps only the inverted index; the text lives once, in `rows`.
          insertRow.run(
            row.ordinal,
            bodyText,
            titleText,
            tagText,
            row.department,
            row.docId,
            body.length,
            title.length,
          );
          insertChunk.run(row.ordinal, bodyText, titleText, tagText);
        }
        for (const [term, n] of df) insertDf.run(term, n);
        const n = Math.max(rows.length, 1);
        insertMeta.run('format', FORMAT);
        insertMeta.run('rows', String(rows.length));
        insertMeta.run('avgBody', String(totalBody / n));
        insertMeta.run('avgTitle', String(totalTitle / n));
        db.exec(`
          INSERT INTO chunks (chunks, rank) VALUES ('rank', 'bm25(1.0, ${TITLE_WEIGHT}, 0.0)');
        `);
      })();
      // One b-tree per column instead of many incremental segments: fewer pages to read per query.
      db.exec(`INSERT INTO chunks (chunks) VALUES ('optimize'); VACUUM;`);
      return new KeywordIndex(db);
    } catch (error) {
      db.close();
      if (error instanceof IndexError) throw error;
      throw new IndexError(ErrorCode.IndexCorrupt, `Could not build keyword index at ${file}`, {
        cause: error,
      });
    }
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
      // Re-ranking reads a few hundred random rows per query: map the file instead of copying each page
      // through read(), and keep hot pages in a larger page cache than SQLite's 2 MB default.
      db.pragma('mmap_size = 1073741824');
      db.pragma('cache_size = -65536');
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
   * Top `k` rows for the analysed query, best first; [] when no term matches. Never throws on odd terms:
   * every term is reduced to index tokens and quoted before it reaches FTS5.
   */
  search(
    analysis: QueryAnalysis,
    k: number,
    filter: KeywordFilter = {},
    options: KeywordSearchOptions = {},
  ): KeywordHit[] {
    if (k <= 0 || this.rowCount === 0) return [];
    const terms = this.resolveTerms(analysis);
    const present = terms.filter((t) => t.df > 0);
    if (present.length === 0) return [];

    // Filters are tokens in the `tags` column, so FTS5 intersects posting lists instead of checking each match.
    const filters: string[] = [];
    if (filter.department !== undefined) filters.push(`tags : ${departmentTag(filter.department)}`);
    if (filter.docId !== undefined) filters.push(`tags : ${docTag(filter.docId)}`);
    // Re-ranking can promote rows the candidate ranking put lower, so look deeper than k.
    const depth = Math.max(k * DEPTH_FACTOR, MIN_DEPTH);
    let candidates: number[];
    if (options.prune === false) {
      candidates = this.candidates(present, 'OR', filters, depth);
    } else {
      const byRarity = [...present].sort((a, b) => a.df - b.df || b.weight - a.weight);
      const selective = this.selectiveTerms(byRarity);
      if (selective.length > 0) {
        candidates = this.candidates(selective, 'OR', filters, depth);
      } else {
        // Only common terms: rows with all of the rarest few are both fewer (cheaper to rank) and better.
        candidates = this.candidates(byRarity.slice(0, ALL_COMMON_AND_TERMS), 'AND', filters, depth);
        if (candidates.length < k) candidates = this.candidates(byRarity.slice(0, 1), 'OR', filters, depth);
      }
    }

    const wanted = new Set(terms.flatMap((t) => t.tokens));
    const hits: KeywordHit[] = [];
    for (const ordinal of candidates) {
      const row = this.rowStatement.get(ordinal);
      if (!row) continue;
      const body = countIn(row.body.split(' '), wanted);
      const title = countIn(row.title.split(' '), wanted);
      let score = 0;
      const matchedTerms: string[] = [];
      for (const t of present) {
        // A multi-token term occurs as often as its rarest token (an upper bound without positions).
        const tfBody = Math.min(...t.tokens.map((token) => body.get(token) ?? 0));
        const tfTitle = Math.min(...t.tokens.map((token) => title.get(token) ?? 0));
        if (tfBody === 0 && tfTitle === 0) continue;
        matchedTerms.push(t.term);
        const bodyPart = (tfBody * (K1 + 1)) / (tfBody + K1 * (1 - B + (B * row.nbody) / this.avgBody));
        const titlePart = (tfTitle * (K1 + 1)) / (tfTitle + K1 * (1 - B + (B * row.ntitle) / this.avgTitle));
        score += t.weight * t.idf * (bodyPart + TITLE_WEIGHT * titlePart);
      }
      if (matchedTerms.length > 0) hits.push({ ordinal, score, matchedTerms });
    }
    hits.sort((a, b) => b.score - a.score || a.ordinal - b.ordinal);
    return hits.slice(0, k);
  }

  /** Row count and number of distinct index tokens. */
  stats(): { rows: number; terms: number } {
    const terms = this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM df').get()?.n ?? 0;
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
      const normalized = term.normalize('NFKC').toLowerCase();
      const tokens = SINGLE_TOKEN.test(normalized) ? [normalized] : [...new Set(segment(term))];
      if (tokens.length === 0) continue;
      const key = tokens.join(' ');
      const existing = byKey.get(key);
      if (existing) {
        existing.weight = Math.max(existing.weight, weight);
        continue;
      }
      const df = Math.min(...tokens.map((token) => this.dfStatement.get(token)?.n ?? 0));
      const idf = Math.log(1 + (this.rowCount - df + 0.5) / (df + 0.5));
      byKey.set(key, { term, tokens, weight, df, idf });
    }
    return [...byKey.values()];
  }

  /**
   * Ordinals of the `depth` best rows for `terms` (rows with any of them, or with all of them for AND),
   * restricted by `filters`, ranked by an approximate BM25
   * (each term counted once per row, body length normalisation) accumulated over cached posting lists.
   *
   * Why not FTS5's `ORDER BY rank`: bm25() costs ~8 µs per matching row (it reads each row's size record), so a
   * query whose terms occur in 20,000 rows spends 150+ ms ranking them. Posting lists come from FTS5 unranked
   * (~0.1 µs per row), are cached per token, and accumulating them costs a few nanoseconds per posting; the exact
   * weighted BM25 is still computed for the candidates by the caller.
   */
  private candidates(
    terms: readonly QueryToken[],
    operator: 'OR' | 'AND',
    filters: readonly string[],
    depth: number,
  ): number[] {
    const lengths = this.bodyLengths();
    const acc = this.accumulator;
    // Rows outside the filters (and, for AND, rows missing a term) are skipped while accumulating.
    const restrict = (mask: Uint8Array | null, rows: Int32Array): Uint8Array => {
      const next = new Uint8Array(acc.length);
      for (const r of rows) if (!mask || mask[r] === 1) next[r] = 1;
      return next;
    };
    let allowed: Uint8Array | null = null;
    if (filters.length > 0)
      allowed = restrict(null, intersectSorted(...filters.map((f) => this.postings(f))));
    const termRows = terms.map((t) => {
      const lists = t.tokens.map((token) => this.postings(`{body title} : ${ftsString(token)}`));
      return lists.length === 1 ? (lists[0] as Int32Array) : intersectSorted(...lists);
    });
    if (operator === 'AND') allowed = restrict(allowed, intersectSorted(...termRows));
    const touched: number[] = [];
    const norm = K1 * (1 - B);
    const perLength = (K1 * B) / this.avgBody;
    for (const [ti, t] of terms.entries()) {
      const rows = termRows[ti] as Int32Array;
      const w = t.weight * t.idf * (K1 + 1);
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i] as number;
        if (allowed && allowed[r] === 0) continue;
        const current = acc[r] as number;
        if (current === 0) touched.push(r);
        acc[r] = current + w / (1 + norm + perLength * (lengths[r] as number));
      }
    }
    const best = topByScore(touched, acc, depth);
    for (const r of touched) acc[r] = 0;
    return best;
  }

  /** Ordinals matching an FTS5 expression, ascending; cached (the cache is dropped when it holds too many). */
  private postings(expression: string): Int32Array {
    let rows = this.postingsCache.get(expression);
    if (!rows) {
      rows = Int32Array.from(this.postingsStatement.all(expression));
      if (this.cachedPostings + rows.length > POSTINGS_CACHE_MAX) {
        this.postingsCache.clear();
        this.cachedPostings = 0;
      }
      this.postingsCache.set(expression, rows);
      this.cachedPostings += rows.length;
    }
    return rows;
  }

  /** Body token counts by ordinal, read once (100k rows: ~50 ms, 200 KB). */
  private bodyLengths(): Uint16Array {
    if (!this.lengths) {
      const lengths = new Uint16Array(this.accumulator.length);
      for (const [ordinal, nbody] of this.lengthsStatement.iterate()) {
        lengths[ordinal] = Math.min(nbody, 0xffff);
      }
      this.lengths = lengths;
    }
    return this.lengths;
  }

  /**
   * The rarest terms, as long as each is in at most ~5% of rows and their postings stay within a budget
   * (FTS5 scores every row a selected term occurs in); [] when every term is common.
   */
  private selectiveTerms(byRarity: readonly QueryToken[]): QueryToken[] {
    const limit = Math.max(Math.ceil(this.rowCount * PRUNE_DF_RATIO), PRUNE_MIN_DF);
    const budget = limit * BUDGET_FACTOR;
    const selected: QueryToken[] = [];
    let postings = 0;
    for (const term of byRarity) {
      if (term.df > limit || (selected.length > 0 && postings + term.df > budget)) break;
      selected.push(term);
      postings += term.df;
    }
    return selected;
  }
}
