/**
 * What a question says about *which* documents it is about: a region ("浙江今年…", "湖北"), a year
 * ("2019年…"), a 文号 ("国办发〔2019〕3号", or only its code: "国办发那个文件"), an issuer ("农业农村部"), or a
 * title ("专利代理条例讲了什么？", "《…》"). Matched against the library's own metadata, so it knows what the
 * library holds and what it does not ("the library has no document of 湖北省").
 */
import { findDocNumbers } from '../ingest/metadata/doc-number.js';
import { findRegions, type Region, regionByCode, regionWithin } from '../ingest/metadata/regions.js';
import { yearOf, yearsIn } from '../internal/dates.js';
import { longestCommonRun } from '../internal/text-measures.js';
import type { Issuer, MissingScope, StructuredDocument } from '../types.js';

/** What scoping needs to know of one document. */
export interface ScopeDocument {
  id: string;
  title: string;
  /** The title without its issuers, 关于/印发/转发 and kind: "专利代理条例", "开展城镇小区配套幼儿园治理工作". */
  titleCore: string;
  docNumber: string | null;
  /** The 文号's issuer code ("国办发"), for questions that name only the code. */
  docNumberCode: string | null;
  issuers: Issuer[];
  region: Region | null;
  /** Years the document is about: its date's, its 文号's and those its title names. */
  years: number[];
  /** Every year its text mentions (a 2022 plan reviewing 2021 mentions both). */
  mentionedYears: number[];
}

export interface LibraryScope {
  documents: ScopeDocument[];
  /** Every year some document is about or mentions, ascending. */
  years: number[];
}

export type ScopeReason = 'doc-number' | 'quoted-title' | 'title' | 'region' | 'issuer' | 'year';

export interface QueryScope {
  /** Documents the question names or narrows to (by 文号, title, region, issuer or year), strongest reason first. */
  documents: { id: string; reason: ScopeReason; reasons: ScopeReason[] }[];
  /** Regions named (provinces, cities; not 全国). */
  regions: Region[];
  /** Named regions of which the library has no document. */
  missingRegions: Region[];
  /** Years named. */
  years: number[];
  /** Named years no document is about. */
  missingYears: number[];
  /** 文号 named that no document has. */
  missingDocNumbers: string[];
}

const TITLE_NOISE = /^(?:.*?关于)?(?:印发|转发|公布|发布)?/u;
const KIND_TAIL =
  /的?(?:通知|意见|实施意见|指导意见|若干意见|办法|规定|条例|规则|细则|实施细则|方案|实施方案|规划|纲要|计划|要点|决定|批复|复函|函|报告|工作报告|公告|通告|指引|指南|措施)(?:[（(][^）)]{1,16}[）)])?$/u;

/** "国务院办公厅关于印发国家粮食应急预案的函" → "国家粮食应急预案"; "专利代理条例" stays. */
export function titleCore(title: string): string {
  const compact = title.replace(/[\s\u3000]+/gu, '');
  const inner = /《([^》]{4,})》/u.exec(compact)?.[1];
  const core = (inner ?? compact).replace(TITLE_NOISE, '').replace(KIND_TAIL, '');
  // A title that is only a kind with a subject ("专利代理条例") keeps its kind word: it is part of the name.
  return core.length >= 4 ? core : compact;
}

export function scopeDocument(doc: Pick<StructuredDocument, 'id' | 'meta' | 'cleanedText'>): ScopeDocument {
  const { meta } = doc;
  const number = meta.docNumber ? findDocNumbers(meta.docNumber)[0] : undefined;
  const years = [
    ...new Set(
      [yearOf(meta.date), number?.year ?? null, ...yearsIn(meta.title)].filter(
        (y): y is number => y !== null,
      ),
    ),
  ];
  return {
    id: doc.id,
    title: meta.title,
    titleCore: titleCore(meta.title),
    docNumber: meta.docNumber,
    docNumberCode: number?.code ?? null,
    issuers: meta.issuers,
    region: meta.region ? regionByCode(meta.region.code) : null,
    years,
    mentionedYears: [...new Set([...years, ...yearsIn(doc.cleanedText)])],
  };
}

export function libraryScope(
  documents: readonly Pick<StructuredDocument, 'id' | 'meta' | 'cleanedText'>[],
): LibraryScope {
  const docs = documents.map(scopeDocument);
  const years = [...new Set(docs.flatMap((d) => d.mentionedYears))].sort((a, b) => a - b);
  return { documents: docs, years };
}

/**
 * The library's documents grouped by what scoping matches (title core, 文号, its code, region, issuer name), each
 * group the ascending positions of its documents. A question is matched against each distinct value once: a
 * library of copies or of many documents sharing a few titles, issuers and regions (a million chunks of
 * replicated text: 20,000 documents, 36 titles) costs the distinct values, not the documents.
 */
interface ScopeGroups {
  byTitleCore: Map<string, number[]>;
  byDocNumber: Map<string, number[]>;
  byDocNumberCode: Map<string, number[]>;
  byRegion: Map<string, { region: Region; docs: number[] }>;
  /** Every distinct issuer name (full or short, ≥ 3 characters) and the full name it stands for. */
  issuerNames: { name: string; full: string }[];
  byIssuerFull: Map<string, number[]>;
}

const groupsOf = new WeakMap<readonly ScopeDocument[], ScopeGroups>();

function scopeGroups(documents: readonly ScopeDocument[]): ScopeGroups {
  let groups = groupsOf.get(documents);
  if (groups) return groups;
  const add = (map: Map<string, number[]>, key: string, i: number) => {
    const list = map.get(key);
    if (list) list.push(i);
    else map.set(key, [i]);
  };
  groups = {
    byTitleCore: new Map(),
    byDocNumber: new Map(),
    byDocNumberCode: new Map(),
    byRegion: new Map(),
    issuerNames: [],
    byIssuerFull: new Map(),
  };
  const names = new Set<string>();
  documents.forEach((d, i) => {
    const g = groups as ScopeGroups;
    add(g.byTitleCore, d.titleCore, i);
    if (d.docNumber) add(g.byDocNumber, d.docNumber, i);
    if (d.docNumberCode && d.docNumberCode.length >= 2) add(g.byDocNumberCode, d.docNumberCode, i);
    if (d.region) {
      const entry = g.byRegion.get(d.region.code);
      if (entry) entry.docs.push(i);
      else g.byRegion.set(d.region.code, { region: d.region, docs: [i] });
    }
    const fulls = new Set<string>();
    for (const issuer of d.issuers) {
      fulls.add(issuer.full);
      for (const n of [issuer.full, issuer.short]) {
        const key = `${n}\0${issuer.full}`;
        if (n.length >= 3 && !names.has(key)) {
          names.add(key);
          g.issuerNames.push({ name: n, full: issuer.full });
        }
      }
    }
    for (const full of fulls) add(g.byIssuerFull, full, i);
  });
  groupsOf.set(documents, groups);
  return groups;
}

/** The documents at the positions of the matched groups, in library order. */
function inLibraryOrder(
  documents: readonly ScopeDocument[],
  matched: readonly (readonly number[])[],
): ScopeDocument[] {
  const positions =
    matched.length === 1
      ? (matched[0] as readonly number[])
      : [...new Set(matched.flat())].sort((a, b) => a - b);
  return positions.map((i) => documents[i] as ScopeDocument);
}

/** Scope reasons from the strongest: a 文号 names one document, a year many. */
const REASON_RANK: Record<ScopeReason, number> = {
  'doc-number': 0,
  'quoted-title': 1,
  title: 2,
  region: 3,
  issuer: 4,
  year: 5,
};

/** Characters of a title's core a question must repeat verbatim to name the document. */
const MIN_TITLE_RUN = 6;
/** Share of a quoted title and of a document title their common run must cover for the quote to name it. */
const QUOTED_TITLE_SHARE = 0.8;

/** Reads a question's document scope against the library (see the module comment). */
export function queryScope(question: string, library: LibraryScope): QueryScope {
  const text = question.replace(/[\s\u3000]+/gu, '');
  const named = new Map<string, ScopeReason[]>();
  const name = (id: string, reason: ScopeReason) => {
    const reasons = named.get(id) ?? [];
    if (!reasons.includes(reason)) reasons.push(reason);
    named.set(id, reasons);
  };

  const all = library.documents;
  const groups = scopeGroups(all);

  // 文号: whole ("国办发〔2019〕3号", any brackets) or only the code ("国办发那个文件").
  const missingDocNumbers: string[] = [];
  for (const found of findDocNumbers(text)) {
    const docs = groups.byDocNumber.get(found.value) ?? [];
    if (docs.length === 0) missingDocNumbers.push(found.value);
    for (const i of docs) name((all[i] as ScopeDocument).id, 'doc-number');
  }
  if (missingDocNumbers.length === 0 && named.size === 0) {
    const matched = [...groups.byDocNumberCode]
      .filter(([code]) => text.includes(code))
      .map(([, docs]) => docs);
    for (const d of inLibraryOrder(all, matched)) name(d.id, 'doc-number');
  }

  // Titles: the whole core of a title, or a verbatim run of at least half of it — a run shared with many
  // titles of a themed library ("电力市场交易") names none of them.
  const titled: number[][] = [];
  for (const [core, docs] of groups.byTitleCore) {
    const run = longestCommonRun(text, core).length;
    if (run >= 4 && (run === core.length || (run >= MIN_TITLE_RUN && run >= core.length / 2)))
      titled.push(docs);
  }
  for (const d of inLibraryOrder(all, titled)) name(d.id, 'title');

  // A title quoted in 《》 that is (nearly all of) a document's title names that document outright.
  for (const [quote] of text.matchAll(/《[^《》]{4,}》/gu)) {
    const quoted = titleCore(quote);
    const matched: number[][] = [];
    for (const [core, docs] of groups.byTitleCore) {
      const run = longestCommonRun(quoted, core).length;
      if (run >= QUOTED_TITLE_SHARE * quoted.length && run >= QUOTED_TITLE_SHARE * core.length)
        matched.push(docs);
    }
    for (const d of inLibraryOrder(all, matched)) name(d.id, 'quoted-title');
  }

  // Regions: named provinces and cities, and what the library has of them.
  const regions: Region[] = [];
  for (const m of findRegions(text)) {
    if (m.region.level === 'national') continue;
    if (!regions.some((r) => r.code === m.region.code)) regions.push(m.region);
  }
  const missingRegions: Region[] = [];
  for (const region of regions) {
    const matched = [...groups.byRegion.values()]
      .filter((g) => regionWithin(g.region, region))
      .map((g) => g.docs);
    if (matched.length === 0) missingRegions.push(region);
    for (const d of inLibraryOrder(all, matched)) name(d.id, 'region');
  }

  // Issuers by their full or short name (at least three characters, so "国务院" counts and "部" does not);
  // a name inside a longer one named ("国家能源局" in "国家能源局华北监管局") does not count on its own.
  const spans: { start: number; end: number; full: string }[] = [];
  for (const { name: n, full } of groups.issuerNames) {
    const at = text.indexOf(n);
    if (at >= 0) spans.push({ start: at, end: at + n.length, full });
  }
  const outermost = spans.filter(
    (a) => !spans.some((b) => b.end - b.start > a.end - a.start && b.start <= a.start && b.end >= a.end),
  );
  const namedIssuers = [...new Set(outermost.map((s) => s.full))];
  const issued = namedIssuers.map((full) => groups.byIssuerFull.get(full) ?? []);
  for (const d of inLibraryOrder(all, issued)) name(d.id, 'issuer');

  // Years: documents of a named year ("2004年的国务院工作规则"), unless every document is of that year.
  const years = yearsIn(text);
  const missingYears = years.filter((y) => !library.years.includes(y));
  const ofYear = years.length === 0 ? [] : all.filter((d) => d.years.some((y) => years.includes(y)));
  if (ofYear.length < library.documents.length) for (const d of ofYear) name(d.id, 'year');
  // Strongest reason first; named documents run to thousands in a library of copies, so ranks, not sorts.
  const strongest = (reasons: ScopeReason[]) =>
    reasons.reduce((best, r) => (REASON_RANK[r] < REASON_RANK[best] ? r : best));
  const documents = [...named.entries()]
    .map(([id, reasons]) => ({ id, reason: strongest(reasons), reasons }))
    .sort((a, b) => REASON_RANK[a.reason] - REASON_RANK[b.reason]);
  return { documents, regions, missingRegions, years, missingYears, missingDocNumbers };
}

/** How a question's scope narrows retrieval and what the answer must say about it. */
export interface ScopePlan {
  /** Retrieve only from these documents. */
  docIds?: string[];
  /** Prefer these documents' passages. */
  boostDocIds?: string[];
  /** Words that picked the documents (a region's name): they say nothing about which of their clauses answers. */
  muted: string[];
  /** The library lacks what the question names: a refusal reason, shown with the refusal. */
  missing: ScopeMissing | null;
}

export type ScopeMissing = MissingScope;

/**
 * What retrieval does with a scope: a named 文号 or region narrows to those documents (a region the library
 * lacks narrows to national documents, which may still apply, and the answer says what is missing); a named
 * title, issuer or year makes its documents preferred.
 */
export function scopePlan(scope: QueryScope, library: LibraryScope): ScopePlan {
  const muted: string[] = [];
  const byReason = (reason: ScopeReason) =>
    scope.documents.filter((d) => d.reasons.includes(reason)).map((d) => d.id);
  const numbered = byReason('doc-number');
  const regional = byReason('region');
  const titled = byReason('title');
  const issued = byReason('issuer');
  const dated = byReason('year');
  // A region's name is in every passage of its documents; the words of a title are not muted — a question is
  // usually about its document's subject, and the answer layer discounts sentences that restate the title.
  for (const r of scope.regions) muted.push(r.name, r.short);
  if (scope.missingDocNumbers.length > 0 && numbered.length === 0) {
    return { muted, missing: { kind: 'doc-number', named: scope.missingDocNumbers } };
  }
  if (numbered.length > 0) return { docIds: numbered, muted, missing: null };
  // A document quoted by its title is the one asked about: its clauses answer, or nothing does.
  const quoted = byReason('quoted-title');
  if (quoted.length > 0) return { docIds: quoted, muted, missing: null };
  if (scope.missingRegions.length > 0 && regional.length === 0) {
    const { national, covered } = regionCoverage(library.documents);
    return {
      docIds: national,
      muted,
      missing: { kind: 'region', named: scope.missingRegions.map((r) => r.name), covered },
    };
  }
  if (regional.length > 0) {
    // A named region narrows to its documents; of those, the ones the title, issuer or year names come first.
    const inRegion = new Set(regional);
    const boost = [...new Set([...titled, ...issued, ...dated])].filter((id) => inRegion.has(id));
    return { docIds: regional, ...(boost.length > 0 ? { boostDocIds: boost } : {}), muted, missing: null };
  }
  const boost = [...new Set([...titled, ...issued, ...dated])];
  return { ...(boost.length > 0 ? { boostDocIds: boost } : {}), muted, missing: null };
}

const coverageOf = new WeakMap<readonly ScopeDocument[], { national: string[]; covered: string[] }>();

/**
 * The library's national documents and the regions it has documents of, computed once per library: a question
 * naming a region the library lacks narrows to the national documents (at a million chunks of replicated text,
 * 21,000 of 26,000 documents), and the same array each time lets the retriever's filter cache know it at once.
 */
function regionCoverage(documents: readonly ScopeDocument[]): { national: string[]; covered: string[] } {
  let coverage = coverageOf.get(documents);
  if (!coverage) {
    coverage = {
      national: documents.filter((d) => d.region?.level === 'national').map((d) => d.id),
      covered: [...new Set(documents.map((d) => d.region?.name).filter((n): n is string => !!n))],
    };
    coverageOf.set(documents, coverage);
  }
  return coverage;
}

/**
 * A named year that none of the documents the answer would come from mentions: the answer would present
 * another year's figure as this one's ("2023年要培育多少家…" over a 2022 plan).
 */
export function missingYears(
  scope: QueryScope,
  library: LibraryScope,
  answeringDocIds: readonly string[],
): ScopeMissing | null {
  if (scope.years.length === 0) return null;
  const answering = new Set(answeringDocIds);
  const docs = library.documents.filter((d) => answering.has(d.id));
  const covered = [...new Set(docs.flatMap((d) => d.mentionedYears))].sort((a, b) => a - b);
  const named = scope.years.filter((y) => !covered.includes(y));
  return named.length > 0 && named.length === scope.years.length ? { kind: 'year', named, covered } : null;
}

/**
 * The documents a name given as a target means (`--doc`, `/policy summary …`): a document id (with or without
 * its folder), a 文号 ("国办发〔2019〕3号", any brackets), or a title or fragment of one that `queryScope` reads
 * as naming it. Several documents when the name fits several; none when it fits none.
 */
export function documentsNamed(name: string, library: LibraryScope): string[] {
  const wanted = name.trim();
  if (!wanted) return [];
  const byId = library.documents.filter(
    (d) => d.id === wanted || d.id.split('/').at(-1) === wanted || d.id === wanted.replace(/\.[a-z]+$/iu, ''),
  );
  if (byId.length > 0) return byId.map((d) => d.id);
  const numbers = findDocNumbers(wanted).map((n) => n.value);
  if (numbers.length > 0) {
    return library.documents.filter((d) => d.docNumber && numbers.includes(d.docNumber)).map((d) => d.id);
  }
  const compact = wanted.replace(/[\s\u3000《》]+/gu, '');
  const exact = library.documents.filter(
    (d) => d.title.replace(/[\s\u3000]+/gu, '') === compact || d.titleCore === compact,
  );
  if (exact.length > 0) return exact.map((d) => d.id);
  return queryScope(wanted, library)
    .documents.filter((d) => d.reason === 'title' || d.reason === 'doc-number')
    .map((d) => d.id);
}

/** Documents a year filter keeps: those about that year (their date's, 文号's or title's year). */
export function documentsOfYear(year: number, library: LibraryScope): string[] {
  return library.documents.filter((d) => d.years.includes(year)).map((d) => d.id);
}
