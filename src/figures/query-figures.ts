import type { Figure, FigureQuery, Issuer, StructuredDocument } from '../types.js';

export interface FigureLookup {
  /** Fuzzy issuer resolution (the retriever's), null for no match. */
  resolveIssuer: (name: string) => Issuer | null;
  documents: readonly Pick<StructuredDocument, 'id' | 'meta'>[];
}

const terms = (text: string) => text.split(/[\s,，、]+/u).filter(Boolean);

/** Documents a name means: the id, the 文号, or a title holding every word of it. */
export function matchDocuments(name: string, documents: FigureLookup['documents']): string[] {
  const exact = documents.filter((d) => d.id === name || d.meta.docNumber === name);
  if (exact.length > 0) return exact.map((d) => d.id);
  const words = terms(name);
  if (words.length === 0) return [];
  return documents
    .filter((d) => words.every((w) => d.meta.title.includes(w) || d.id.includes(w)))
    .map((d) => d.id);
}

function haystack(f: Figure): string {
  return [f.subject, f.quote, f.docTitle, f.partTitle, f.issuer ?? '', ...f.sectionPath].join(' ');
}

/**
 * The figures a query selects, in corpus order. `target` is read as an issuer, else a document, else topic words.
 * An issuer or document that matches nothing yields no figures (the caller says so).
 */
export function queryFigures(figures: readonly Figure[], query: FigureQuery, lookup: FigureLookup): Figure[] {
  let issuer: string | null = null;
  let docIds: string[] | null = null;
  const words: string[] = query.text ? terms(query.text) : [];
  if (query.issuer) issuer = lookup.resolveIssuer(query.issuer)?.short ?? query.issuer;
  if (query.doc) docIds = matchDocuments(query.doc, lookup.documents);
  if (query.target) {
    const named = lookup.resolveIssuer(query.target);
    const docs = named ? [] : matchDocuments(query.target, lookup.documents);
    if (named) issuer = named.short;
    else if (docs.length > 0) docIds = docs;
    else words.push(...terms(query.target));
  }
  const inScope = query.scope ? new Set(query.scope.docIds) : null;
  const out = figures.filter(
    (f) =>
      (inScope === null || inScope.has(f.docId)) &&
      (issuer === null || (f.issuer ?? '').split('、').includes(issuer)) &&
      (docIds === null || docIds.includes(f.docId)) &&
      (query.year === undefined || f.year === query.year) &&
      (query.kind === undefined || f.kind === query.kind) &&
      (query.status === undefined || f.status === query.status) &&
      words.every((w) => haystack(f).toLowerCase().includes(w.toLowerCase())),
  );
  return query.limit === undefined ? out : out.slice(0, query.limit);
}

/** Figures whose quote lies within [start, end) of a document: the figures of a passage or citation. */
export function figuresInSpan(
  figures: readonly Figure[],
  docId: string,
  start: number,
  end: number,
): Figure[] {
  return figures.filter((f) => f.docId === docId && f.valueStart >= start && f.valueEnd <= end);
}

const KINDS = new Set(['amount', 'percent', 'count', 'date']);
const STATUSES = new Set(['target', 'result', 'unknown']);

/**
 * A `FigureQuery` from string parameters (CLI options, URL query): doc, issuer, year, kind, status, query/text,
 * target, limit. Returns the reason instead of throwing so each front end raises its own error (usage / 400).
 */
export function parseFigureQuery(
  params: Partial<Record<string, string | undefined>>,
): { query: FigureQuery } | { error: string } {
  const query: FigureQuery = {};
  const str = (name: string) => {
    const v = params[name]?.trim();
    return v ? v : undefined;
  };
  const doc = str('doc');
  const issuer = str('issuer');
  const text = str('query') ?? str('text');
  const target = str('target');
  if (doc) query.doc = doc;
  if (issuer) query.issuer = issuer;
  if (text) query.text = text;
  if (target) query.target = target;
  const year = str('year');
  if (year !== undefined) {
    if (!/^\d{4}$/.test(year)) return { error: `year must be four digits, got "${year}"` };
    query.year = Number(year);
  }
  const kind = str('kind');
  if (kind !== undefined) {
    if (!KINDS.has(kind)) return { error: `kind must be one of ${[...KINDS].join(', ')}, got "${kind}"` };
    query.kind = kind as FigureQuery['kind'] & string;
  }
  const status = str('status');
  if (status !== undefined) {
    if (!STATUSES.has(status))
      return { error: `status must be one of ${[...STATUSES].join(', ')}, got "${status}"` };
    query.status = status as FigureQuery['status'] & string;
  }
  const limit = str('limit');
  if (limit !== undefined) {
    if (!/^\d+$/.test(limit) || Number(limit) < 1)
      return { error: `limit must be a positive integer, got "${limit}"` };
    query.limit = Number(limit);
  }
  return { query };
}
