/**
 * What each side of a comparison is and which text units it holds.
 *
 * A target names a document (its id, a 文号, a title fragment), an issuer (its part of a column, or its
 * documents), optionally with a year. A year narrows a document that is not itself of that year to the
 * paragraphs about that year: in a plan that reviews the past year before setting out the next one, a body
 * paragraph opening with "2021年，…" starts the 2021 text and "2022年，…" the 2022 text, which runs on through
 * the sections after it. The latest year of a part is its targets, the years before it its results.
 */
import { splitClauses, splitSentences, stripTrailingPunctuation } from '../answer/sentences.js';
import { BOILERPLATE } from '../answer/text-features.js';
import { InputError } from '../errors/index.js';
import { openingYear, yearsIn } from '../internal/dates.js';
import { type LibraryScope, queryScope } from '../retriever/query-scope.js';
import type { Chunk, CompareSideInfo, Issuer, Paragraph, StructuredDocument } from '../types.js';
import { findQuantities, type Quantity } from './quantities.js';

/** One comparable statement: a sentence, or a clause of a long one, verbatim with its offsets. */
export interface CompareUnit {
  docId: string;
  part: number;
  start: number;
  end: number;
  /** Verbatim, trailing punctuation removed (`cleanedText.slice(start, end) === text`). */
  text: string;
  /** Headings from the part's top down to the unit's section. */
  headings: string[];
  quantities: Quantity[];
  status: 'result' | 'target' | 'statement';
  chunk: Chunk;
}

export interface CompareSide {
  info: CompareSideInfo;
  doc: StructuredDocument;
  units: CompareUnit[];
}

/** A target as resolved: a document, the parts meant (null: all), and a year when one was named. */
export interface CompareTarget {
  label: string;
  doc: StructuredDocument;
  parts: number[] | null;
  year: number | null;
  issuer: Issuer | null;
}

export interface SideLibrary {
  documents: readonly StructuredDocument[];
  chunks: readonly Chunk[];
  scope: LibraryScope;
  resolveIssuer: (name: string) => Issuer | null;
}

const TEXT_KINDS = new Set<Paragraph['kind']>(['body', 'table', 'note']);
const MIN_UNIT_CHARS = 6;
const LONG_SENTENCE = 60;
/** Framing found in any Chinese policy text, saying nothing of what is done (beyond `BOILERPLATE`). */
const FRAMING =
  /精神|总基调|新发展理念|新发展格局为|两个维护|四个意识|四个自信|党的建设|党建|以人民为中心的发展思想|综合施策|高质量发展为主题|党的|党支部|党员|战斗堡垒|新局面/u;
/** Wording of plans and targets. */
const TARGET_CUE =
  /将|要|力争|争取|确保|预计|计划|目标|到(?:19|20)\d{2}年|继续|进一步|推动|加快|着力|研究制定/u;
/** Titles of plans: what they state is a target unless it says it is done. */
const PLAN_TITLE = /要点|计划|规划|方案|安排|思路|重点工作|目标|任务/u;
/** Wording of things done. */
const RESULT_CUE = /已|完成|实现了|累计|同比|比上年|新增|建成|取得|达到|出台|印发|发布|举办了?/u;

const compact = (s: string) => s.replace(/[\s\u3000·・,，。、]/gu, '').toLowerCase();

/** The issuer a name means, only when the name and the issuer's own names contain one another. */
function strictIssuer(name: string, library: SideLibrary): Issuer | null {
  const found = library.resolveIssuer(name);
  if (!found) return null;
  const wanted = compact(name);
  if (!/\p{Script=Han}/u.test(wanted)) return found;
  const names = [compact(found.short), compact(found.full)];
  return names.some((n) => n.includes(wanted) || wanted.includes(n)) ? found : null;
}

/** Years a document is of (date, 文号, title), from the library scope. */
function ownYears(library: SideLibrary, doc: StructuredDocument): number[] {
  return library.scope.documents.find((d) => d.id === doc.id)?.years ?? [];
}

/** Years with a span of their own in the given parts (see the module comment), ascending. */
export function spanYears(doc: StructuredDocument, parts: readonly number[] | null): number[] {
  const years = new Set<number>();
  for (const p of doc.paragraphs) {
    if (parts && !parts.includes(p.part)) continue;
    if (p.kind !== 'body') continue;
    const y = openingYear(doc.cleanedText.slice(p.start, p.start + 16));
    if (y !== null) years.add(y);
  }
  return [...years].sort((a, b) => a - b);
}

/**
 * Resolves what the user typed to a document (and parts, year). Throws `InputError` when nothing or more
 * than one document fits, naming what was tried.
 */
export function resolveTarget(raw: string, library: SideLibrary): CompareTarget {
  const label = raw.trim();
  if (!label) throw new InputError('Name what to compare: a document, 文号, title or issuer (and a year).');
  const byId = library.documents.find((d) => d.id === label);
  if (byId) return { label, doc: byId, parts: null, year: null, issuer: null };
  const years = yearsIn(label);
  const year = years.length === 1 ? (years[0] ?? null) : null;
  if (years.length > 1) throw new InputError(`“${label}” names more than one year; name one per side.`);
  const name = label
    .replace(/(?<!\d)(?:19|20)\d{2}(?!\d)\s*年?度?/gu, ' ')
    .replace(/[的\s]+/gu, ' ')
    .trim();

  const withYear = (docs: StructuredDocument[]): StructuredDocument[] => {
    if (year === null || docs.length <= 1) return docs;
    const own = docs.filter((d) => ownYears(library, d).includes(year));
    if (own.length > 0) return own;
    return docs.filter((d) => spanYears(d, null).includes(year));
  };
  const pick = (docs: StructuredDocument[], what: string): StructuredDocument => {
    const fitting = withYear(docs);
    if (fitting.length === 1) return fitting[0] as StructuredDocument;
    if (fitting.length === 0) throw new InputError(`No document of ${what} for ${year}.`);
    const titles = fitting
      .slice(0, 5)
      .map((d) => `《${d.meta.title}》`)
      .join('、');
    throw new InputError(`“${label}” fits several documents (${titles}); add a year, 文号 or title.`);
  };

  if (name === '') {
    if (year === null) throw new InputError(`“${label}” names no document.`);
    const doc = pick([...library.documents], 'the library');
    return { label, doc, parts: null, year, issuer: null };
  }

  // 文号 or title: the documents the text names by them.
  const scope = queryScope(name, library.scope);
  for (const reason of ['doc-number', 'title'] as const) {
    const ids = scope.documents.filter((d) => d.reason === reason).map((d) => d.id);
    const docs = library.documents.filter((d) => ids.includes(d.id));
    if (docs.length > 0) return { label, doc: pick(docs, `“${name}”`), parts: null, year, issuer: null };
  }

  // An issuer: its article of a column, or its documents.
  const issuer = strictIssuer(name, library);
  if (issuer) {
    const docs = library.documents.filter(
      (d) =>
        d.parts.some((p) => p.issuer?.short === issuer.short) ||
        d.meta.issuers.some((i) => i.short === issuer.short),
    );
    if (docs.length > 0) {
      const doc = pick(docs, issuer.short);
      const own = doc.parts.filter((p) => p.issuer?.short === issuer.short).map((p) => p.index);
      return { label, doc, parts: own.length > 0 ? own : null, year, issuer };
    }
  }

  // A title fragment shorter than query scoping asks for.
  const fragment = compact(name);
  const titled = library.documents.filter(
    (d) => fragment.length >= 2 && compact(d.meta.title).includes(fragment),
  );
  if (titled.length > 0) return { label, doc: pick(titled, `“${name}”`), parts: null, year, issuer: null };
  throw new InputError(
    `Nothing in the library matches “${label}” (tried document ids, 文号, titles and issuers).`,
  );
}

/** Paragraph → the year span it belongs to (null before the first year-opening paragraph of its part). */
function paragraphYears(doc: StructuredDocument): Map<number, number | null> {
  const out = new Map<number, number | null>();
  let part = -1;
  let current: number | null = null;
  for (const p of doc.paragraphs) {
    if (p.part !== part) {
      part = p.part;
      current = null;
    }
    if (p.kind === 'body') {
      const y = openingYear(doc.cleanedText.slice(p.start, p.start + 16));
      if (y !== null) current = y;
    }
    out.set(p.index, current);
  }
  return out;
}

function headingsOf(doc: StructuredDocument, section: number | null): string[] {
  const out: string[] = [];
  for (let s = section === null ? undefined : doc.sections[section]; s; ) {
    out.unshift(s.heading);
    s = s.parent === null ? undefined : doc.sections[s.parent];
  }
  return out;
}

const DONE = /已|累计|同比|比上年/u;

function cueStatus(text: string, plan: boolean): CompareUnit['status'] {
  if (DONE.test(text)) return 'result';
  if (TARGET_CUE.test(text) || plan) return 'target';
  if (RESULT_CUE.test(text)) return 'result';
  return 'statement';
}

/** The comparable units of the given parts (all when null) and year (all years when null). */
export function sideUnits(
  doc: StructuredDocument,
  chunks: readonly Chunk[],
  parts: readonly number[] | null,
  year: number | null,
  status: CompareUnit['status'] | null,
): CompareUnit[] {
  const years = paragraphYears(doc);
  const plan = PLAN_TITLE.test(doc.meta.title);
  // In a part that reviews an earlier year before its plan year, the earlier years' text is results.
  const latest = new Map<number, number>();
  for (const p of doc.paragraphs) {
    const y = years.get(p.index);
    if (y !== null && y !== undefined) latest.set(p.part, Math.max(latest.get(p.part) ?? y, y));
  }
  const spanStatus = (p: Paragraph): CompareUnit['status'] | null => {
    const y = years.get(p.index);
    if (y === null || y === undefined) return null;
    return y < (latest.get(p.part) ?? y) ? 'result' : 'target';
  };
  const docChunks = chunks.filter((c) => c.docId === doc.id);
  const headingSpans = doc.sections.map((s) => [s.headingStart, s.headingEnd] as const);
  const units: CompareUnit[] = [];
  for (const p of doc.paragraphs) {
    if (!TEXT_KINDS.has(p.kind)) continue;
    if (parts && !parts.includes(p.part)) continue;
    if (year !== null && years.get(p.index) !== year) continue;
    const text = doc.cleanedText.slice(p.start, p.end);
    for (const sentence of splitSentences(text, p.start)) {
      // A long sentence, or one giving several figures, is several items: one per clause.
      const several = [...sentence.text].length > LONG_SENTENCE || findQuantities(sentence.text).length > 1;
      const pieces = several ? splitClauses(sentence.text, sentence.start) : [sentence];
      for (const piece of pieces) {
        const core = stripTrailingPunctuation(piece.text);
        const start = piece.start;
        const end = start + core.length;
        if ([...core].length < MIN_UNIT_CHARS || BOILERPLATE.test(core) || FRAMING.test(core)) continue;
        // A year opener ("2021年，…") or the heading itself is not a statement of the side.
        if (/^\s*(?:19|20)\d{2}年[，,]?$/u.test(core)) continue;
        if (headingSpans.some(([a, b]) => start >= a && end <= b)) continue;
        const chunk = docChunks.find((c) => c.start <= start && c.end >= end);
        if (!chunk) continue;
        units.push({
          docId: doc.id,
          part: p.part,
          start,
          end,
          text: core,
          headings: headingsOf(doc, p.section),
          quantities: findQuantities(core, start),
          status: status ?? spanStatus(p) ?? cueStatus(core, plan),
          chunk,
        });
      }
    }
  }
  return units;
}

function issuerLabel(doc: StructuredDocument, parts: readonly number[] | null): string | null {
  const fromParts = (parts ?? []).map((i) => doc.parts[i]?.issuer?.short).filter((s): s is string => !!s);
  const names = fromParts.length > 0 ? fromParts : doc.meta.issuers.map((i) => i.short);
  return names.length > 0 ? [...new Set(names)].join('、') : null;
}

function partTitles(doc: StructuredDocument, parts: readonly number[] | null): string[] {
  if (!parts) return [doc.meta.title];
  return parts.map((i) => doc.parts[i]?.title ?? doc.meta.title);
}

/** A side from a resolved target and the role its year plays. */
export function buildSide(
  target: CompareTarget,
  library: SideLibrary,
  year: number | null,
  role: CompareSideInfo['role'],
): CompareSide {
  const status = role === 'results' ? 'result' : role === 'targets' ? 'target' : null;
  const units = sideUnits(target.doc, library.chunks, target.parts, year, status);
  return {
    doc: target.doc,
    units,
    info: {
      label: target.label,
      docId: target.doc.id,
      docTitle: target.doc.meta.title,
      partTitles: partTitles(target.doc, target.parts),
      issuer: issuerLabel(target.doc, target.parts),
      year,
      role,
    },
  };
}

/** The year a side stands for when ordering the two: its own year, or its document's. */
function sideYear(target: CompareTarget, library: SideLibrary): number | null {
  return target.year ?? ownYears(library, target.doc).at(-1) ?? null;
}

/** The role of `year` in the parts of `target`: the latest span year is targets, earlier ones results. */
function roleOf(target: CompareTarget, library: SideLibrary, year: number | null): CompareSideInfo['role'] {
  if (year === null) return 'document';
  // A document of the year named is compared whole (its review of the year before included).
  if (ownYears(library, target.doc).includes(year)) return 'document';
  const spans = spanYears(target.doc, target.parts);
  if (!spans.includes(year)) {
    throw new InputError(`《${target.doc.meta.title}》 (${target.label}) has no text about ${year}.`);
  }
  if (spans.length < 2) return 'year';
  return year === spans.at(-1) ? 'targets' : 'results';
}

/**
 * The two sides of a comparison, earlier first. One target: its results (the year before its plan year)
 * against its targets (the plan year). Two targets: each as named, a year narrowing a document that is not
 * itself of that year to that year's text.
 */
export function resolveSides(
  beforeRaw: string,
  afterRaw: string | null,
  library: SideLibrary,
): { before: CompareSide; after: CompareSide } {
  const a = resolveTarget(beforeRaw, library);
  if (afterRaw === null || afterRaw.trim() === '') {
    const spans = spanYears(a.doc, a.parts);
    if (spans.length < 2) {
      throw new InputError(
        `《${a.doc.meta.title}》 has no earlier year's results beside a plan year; name a second document to compare with.`,
      );
    }
    const plan = a.year !== null && spans.includes(a.year) ? a.year : (spans.at(-1) as number);
    const past = spans.filter((y) => y < plan).at(-1);
    if (past === undefined) throw new InputError(`《${a.doc.meta.title}》 has no year before ${plan}.`);
    return {
      before: buildSide({ ...a, label: `${a.label} ${past}` }, library, past, 'results'),
      after: buildSide({ ...a, label: `${a.label} ${plan}` }, library, plan, 'targets'),
    };
  }
  let b = resolveTarget(afterRaw, library);
  let first = a;
  const ya = sideYear(a, library);
  const yb = sideYear(b, library);
  if (ya !== null && yb !== null && ya > yb) {
    first = b;
    b = a;
  }
  const sameText =
    first.doc.id === b.doc.id &&
    (first.year ?? null) === (b.year ?? null) &&
    JSON.stringify(first.parts) === JSON.stringify(b.parts);
  if (sameText) throw new InputError('Both sides name the same text; name two documents or two years.');
  const yearA = first.year !== null && roleOf(first, library, first.year) !== 'document' ? first.year : null;
  const yearB = b.year !== null && roleOf(b, library, b.year) !== 'document' ? b.year : null;
  return {
    before: buildSide(first, library, yearA, roleOf(first, library, yearA)),
    after: buildSide(b, library, yearB, roleOf(b, library, yearB)),
  };
}
