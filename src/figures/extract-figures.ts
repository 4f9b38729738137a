/**
 * Key figures: every quantitative statement of a document — an amount (元, 斤, 千瓦…), a percentage or
 * multiple, a count (个, 家, 人次…, durations such as 连续9年), a deadline or start date (2019年4月底前, 2020年起) —
 * with what it measures, whether it is a target or a result, the year it refers to and its verbatim clause.
 *
 * General rules of Chinese policy writing, no document-specific ones:
 * - a number is a figure only with a unit (a list label "1.", a model name "5G", a magnitude "7.3级", a
 *   calendar year "2025年", an ordinal "第23届", anything inside 《…》 are not);
 * - the year is the nearest one the text gives: in the sentence before the figure ("2021年中小企业…"), the
 *   paragraph's opening ("2022年，科技司将…"), the section heading ("三、2026年重点工作安排", a five-year plan
 *   "“十五五”时期" → its last year 2030), carried on to the following paragraphs of the same part;
 * - target or result: the clause's own words first (力争, 预期目标, 确保 / 同比, 比上年, 已经), then the year
 *   against the document's own year (its date, else the latest year its paragraphs open with: what comes
 *   before it is reported, what comes from it on is planned), then the heading (…回顾 / …目标任务, …安排), then
 *   the kind of document (a 通知 or 意见 sets tasks).
 */
import { sectionPath } from '../ingest/structure-document.js';
import { openingYear, YEAR } from '../internal/dates.js';
import type { Figure, FigureKind, FigureStatus, Paragraph, StructuredDocument } from '../types.js';
import { DURATION_UNITS, kindOfUnit, magnitudeOf, parseNumber, UNIT_PATTERN } from './units.js';

const FIGURE_PARAGRAPHS = new Set<Paragraph['kind']>(['body', 'table', 'editors-note', 'note', 'attachment']);

const NUM = String.raw`[0-9０-９]+(?:,[0-9]{3})*(?:[.．][0-9０-９]+)?`;
const RANGE_SEP = String.raw`\s*[—–―\-~～至到]\s*`;
const PRE_QUALIFIER = '(?:不低于|不少于|不超过|不高于|不足|超过|突破|达到|高于|低于|约|近|逾|超|达)';
const POST_QUALIFIER = '(?:以上|以下|左右|以内|之内)';

/** A number with its unit: "6.66万亿元", "5%—5.5%", "4万多家", "超60万个", "10.36百亿亿次/秒". */
const FIGURE_RE = new RegExp(
  String.raw`(?<pre>${PRE_QUALIFIER})?(?<num>${NUM})(?:（不?含）)?(?:(?<pct1>[%％])?${RANGE_SEP}(?<num2>${NUM}))?(?<mag>(?:(?!千[瓦米克])[十百千万亿])*)(?<more>多|余)?(?<unit>${UNIT_PATTERN})?(?<per>/[\p{Script=Han}a-zA-Z]{1,3})?(?<post>${POST_QUALIFIER})?`,
  'gu',
);

/** A deadline or start: "2019年4月底前", "2030年前", "3月底前", "2020年起", "截至2027年12月31日". */
const DATE_RE =
  /(?<y>(?:19|20)\d{2})年(?:(?<m>\d{1,2})月(?:(?<d>\d{1,2})日)?)?(?<pos>底|末|初|中旬|上旬|下旬|上半年|下半年)?(?<suf>之前|以前|前|起|开始|为止)|(?<!\d)(?<m2>\d{1,2})月(?:(?<d2>\d{1,2})日)?(?<pos2>底|末|初|中旬|上旬|下旬)?(?<suf2>之前|以前|前|起)|(?<pre3>截至|截止到|截止|有效期至)(?<y3>(?:19|20)\d{2})年(?:(?<m3>\d{1,2})月(?:(?<d3>\d{1,2})日)?)?(?<pos3>底|末)?/gu;

const TARGET_CLAUSE = /力争|争取|预期|确保|力求|拟|目标是|目标为|(?<![即必])将(?!其|近|[军领])/u;
const TARGET_SENTENCE = /预期目标|主要目标|目标是|目标为|力争|到(?:19|20)\d{2}年/u;
const RESULT_CLAUSE =
  /同比|比上年|较上年|上年同期|已经|已达|已有|完成了|实现了|达到了|增长了|下降了|累计完成/u;
const RESULT_HEADING = /回顾|成就|成效|进展|完成情况|总结|过去/u;
const TARGET_HEADING = /目标|任务|安排|计划|要点|举措|措施|重点工作/u;
/** Kinds of document that set tasks rather than report them. */
const NORMATIVE_KIND = /通知|意见|方案|规划|计划|办法|规定|条例|细则|决定|指导|要点|纲要/u;

const UP = /(?:增长|增加|提高|提升|上涨|增幅|涨幅|扩大|增速|增至|增)$/u;
const DOWN = /(?:下降|降低|减少|压降|缩小|降幅|降至|降)$/u;

const LEADING_NOISE =
  /^(?:[一二三四五六七八九十]+是|（[一二三四五六七八九十\d]+）|\d+[.、．]|——|、|和|及|与|并|其中|全年|同时|此外|另外|共|累计)+/u;
const TRAILING_VERBS =
  /(?:分别|年均|平均|同比|比上年|较上年|增长|增加|提高|提升|上涨|下降|降低|减少|压降|缩小|扩大|达到|保持|稳定在|控制在|提高到|增至|降至|突破|超过|不低于|不少于|不超过|不高于|高于|低于|占比|为|是|达|超|约|近|逾|在|到|至|的|了|共|等|均|分别|全年|已|再|连续)+$/u;

/** "“十四五”" → 2021–2025 (regular five-year plans since the fifth, 1976–1980). */
const PLAN_RE = /“?十([一二三四五六七八九])五”?(?:时期|期间|末|规划|以来)?/u;
/** A five-year plan named as a period inside a sentence ("“十五五”时期", "“十四五”末"), not a plan's title. */
const PLAN_PERIOD_RE = /“?十[一二三四五六七八九]五”?(?:时期|期间|末)/u;
const CN_DIGIT = '一二三四五六七八九';

/** The last year of a plan period a sentence names ("“十五五”时期" → 2030), not of a plan's title. */
function periodYear(text: string): number | null {
  const m = PLAN_PERIOD_RE.exec(text);
  return m ? (planYears(m[0])?.end ?? null) : null;
}

function planYears(text: string): { start: number; end: number } | null {
  const m = PLAN_RE.exec(text);
  if (!m?.[1]) return null;
  const n = 10 + CN_DIGIT.indexOf(m[1]) + 1;
  const start = 1976 + 5 * (n - 5);
  return { start, end: start + 4 };
}

/** Ranges [start, end) of text inside 《…》 (titles of other documents: their numbers are not figures). */
function titleSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  let open = -1;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '《') {
      if (depth === 0) open = i;
      depth++;
    } else if (text[i] === '》' && depth > 0) {
      depth--;
      if (depth === 0) spans.push([open, i + 1]);
    }
  }
  return spans;
}

/** `text` with the characters inside 《…》 blanked out. */
function outsideTitles(text: string, inTitle: (i: number) => boolean): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += inTitle(i) ? ' ' : text[i];
  return out;
}

const inSpans = (spans: [number, number][], at: number) => spans.some(([s, e]) => at >= s && at < e);

/** The year a heading or title names: "三、2026年重点工作安排" → 2026, "二、“十五五”时期主要目标任务" → 2030. */
function headingYear(heading: string): number | null {
  // A span ("（2025—2027年）") counts from its first year.
  const span = /((?:19|20)\d{2})\s*[—–～~\-至到]\s*(?:19|20)\d{2}\s*年/u.exec(heading);
  if (span) return Number(span[1]);
  const years = [...heading.matchAll(YEAR)].map((m) => Number(m[0]));
  if (years.length > 0) return years[years.length - 1] ?? null;
  return planYears(heading)?.end ?? null;
}

/**
 * The year a paragraph sets for what follows: its opening ("2021年，…"), or the one year of a short first
 * sentence ("刚刚过去的2025年很不平凡。"), or "今年" (the document's year).
 */
function leadYear(text: string, refYear: number | null): number | null {
  const opening = openingYear(text);
  if (opening !== null) return opening;
  const first = /^[^。！？]*/u.exec(text)?.[0] ?? '';
  if (first.length <= 40) {
    const years = [...first.matchAll(YEAR)].filter((m) =>
      /^年(?!以来|\d|度)/u.test(first.slice(m.index + 4)),
    );
    if (years.length === 1 && years[0]) return Number(years[0][0]);
  }
  if (/^今年/u.test(text) && refYear !== null) return refYear;
  return null;
}

/** The last year the sentence gives before `at` ("2021年中小企业…", "到2025年"), not a base ("比2020年"). */
function sentenceYear(sentence: string, at: number, titles: (i: number) => boolean): number | null {
  let year: number | null = null;
  for (const m of sentence.slice(0, at).matchAll(YEAR)) {
    if (titles(m.index)) continue;
    const after = sentence.slice(m.index + 4, m.index + 7);
    const before = sentence.slice(Math.max(0, m.index - 1), m.index);
    // A span ("2024～2025年") counts from its first year.
    const startsSpan = /^[～~—–\-至到](?:19|20)\d{2}年/u.test(sentence.slice(m.index + 4, m.index + 10));
    const endsSpan = /(?:19|20)\d{2}[～~—–\-至到]$/u.test(sentence.slice(Math.max(0, m.index - 5), m.index));
    if (endsSpan || (!after.startsWith('年') && !startsSpan)) continue;
    if (/^年以来/u.test(after) || /[比较同与]/u.test(before)) continue;
    year = Number(m[0]);
  }
  return year;
}

interface Clause {
  start: number;
  end: number;
}

/** Clauses of a sentence: split at ，；：, (offsets relative to the sentence). */
function clausesOf(sentence: string): Clause[] {
  const out: Clause[] = [];
  let start = 0;
  for (let i = 0; i <= sentence.length; i++) {
    if (i === sentence.length || /[，；：,;:]/u.test(sentence[i] ?? '')) {
      if (i > start) out.push({ start, end: i });
      start = i + 1;
    }
  }
  return out;
}

function trimSpan(text: string, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  while (s < e && /[\s，；：、。！？——]/u.test(text[s] ?? '')) s++;
  while (e > s && /[\s，；：、。！？]/u.test(text[e - 1] ?? '')) e--;
  return [s, e];
}

function cleanSubject(text: string): string {
  let s = text.replace(/^[\s，；：、。！？]+|[\s，；：、。！？]+$/gu, '');
  for (let i = 0; i < 3; i++) {
    const before = s;
    s = s.replace(LEADING_NOISE, '').replace(TRAILING_VERBS, '').trim();
    if (s === before) break;
  }
  s = s.replace(/“”|‘’|（）/gu, '');
  return s.length > 24 ? s.slice(s.length - 24).replace(/^[0-9]+年?/u, '') : s;
}

interface Found {
  kind: FigureKind;
  /** Offsets in the sentence: the whole match, and the figure without a leading qualifier. */
  start: number;
  end: number;
  valueStart: number;
  value: number | null;
  valueMax: number | null;
  unit: string;
  qualifier: string | null;
  date: string | null;
  dateYear: number | null;
}

function findDates(sentence: string, titles: (i: number) => boolean): Found[] {
  const out: Found[] = [];
  for (const m of sentence.matchAll(DATE_RE)) {
    if (titles(m.index)) continue;
    const g = m.groups ?? {};
    const yearText = g.y ?? g.y3;
    const y = yearText ? Number(yearText) : null;
    const month = g.m ?? g.m2 ?? g.m3;
    const day = g.d ?? g.d2 ?? g.d3;
    const pre = g.pre3 ?? '';
    const pad = (v: string) => v.padStart(2, '0');
    const date =
      y === null
        ? null
        : [String(y), month && pad(month), month && day && pad(day)].filter(Boolean).join('-');
    out.push({
      kind: 'date',
      start: m.index,
      end: m.index + m[0].length,
      valueStart: m.index + pre.length,
      value: null,
      valueMax: null,
      unit: 'date',
      qualifier: `${pre}${g.pos ?? g.pos2 ?? g.pos3 ?? ''}${g.suf ?? g.suf2 ?? ''}` || null,
      date,
      dateYear: y,
    });
  }
  return out;
}

function findNumbers(sentence: string, taken: Found[], titles: (i: number) => boolean): Found[] {
  const out: Found[] = [];
  for (const m of sentence.matchAll(FIGURE_RE)) {
    const g = m.groups ?? {};
    const pre = g.pre ?? '';
    const valueStart = m.index + pre.length;
    const end = m.index + m[0].length;
    if (taken.some((t) => valueStart < t.end && end > t.start) || titles(valueStart)) continue;
    const before = sentence[valueStart - 1] ?? '';
    const after = sentence[end] ?? '';
    if (/[A-Za-z0-9.．#№/×+第〔]/u.test(before) || /[A-Za-z0-9级〕]/u.test(after)) continue;
    const num = parseNumber(g.num ?? '');
    const num2 = g.num2 ? parseNumber(g.num2) : null;
    const mag = g.mag ?? '';
    let unit = g.unit ?? '';
    if (!unit && !/[万亿]/u.test(mag)) continue;
    if (unit === '年' && !mag && (num >= 1000 || (num2 ?? 0) >= 1000)) continue; // a calendar year or span
    if (g.pct1 && !/[%％]/u.test(unit)) continue;
    // "15日" after a month is a day of the month ("1月7日至11日" too), not a number of days.
    if (unit === '日' && /月$|月\d{1,2}日?[至到—～-]$/u.test(sentence.slice(0, valueStart))) continue;
    if (Number.isNaN(num)) continue;
    const unitKind = unit ? kindOfUnit(unit) : 'count';
    if (!unitKind) continue;
    // A rate (次/秒, 元/吨) measures an amount whatever its numerator counts.
    const kind = g.per ? 'amount' : unitKind;
    if (g.per) unit += g.per;
    const factor = DURATION_UNITS.has(unit) || kind === 'percent' ? 1 : magnitudeOf(mag);
    const qualifier = [pre, g.more ?? '', g.post ?? ''].filter(Boolean).join('…') || null;
    out.push({
      kind,
      start: m.index,
      end,
      valueStart,
      value: num * factor,
      valueMax: num2 === null ? null : num2 * factor,
      unit: unit || mag,
      qualifier,
      date: null,
      dateYear: null,
    });
  }
  return out;
}

interface Context {
  refYear: number | null;
  normative: boolean;
}

function statusOf(
  found: Found,
  clauseText: string,
  sentenceBefore: string,
  year: number | null,
  headings: readonly string[],
  ctx: Context,
): FigureStatus {
  if (found.kind === 'date') {
    const y = found.dateYear ?? year;
    if (y !== null && ctx.refYear !== null && y < ctx.refYear) return 'result';
    return 'target';
  }
  if (RESULT_CLAUSE.test(clauseText)) return 'result';
  if (TARGET_CLAUSE.test(clauseText) || TARGET_SENTENCE.test(sentenceBefore)) return 'target';
  if (year !== null && ctx.refYear !== null) return year < ctx.refYear ? 'result' : 'target';
  for (const heading of [...headings].reverse()) {
    if (RESULT_HEADING.test(heading)) return 'result';
    if (TARGET_HEADING.test(heading)) return 'target';
  }
  return ctx.normative ? 'target' : 'unknown';
}

/** The document's own year: its date, else the latest year one of its paragraphs opens with. */
export function referenceYear(doc: StructuredDocument): number | null {
  const dated = doc.meta.date ? Number(doc.meta.date.slice(0, 4)) : Number.NaN;
  if (Number.isFinite(dated)) return dated;
  let latest: number | null = null;
  for (const p of doc.paragraphs) {
    if (p.kind !== 'body') continue;
    const y = openingYear(doc.cleanedText.slice(p.start, p.end));
    if (y !== null && (latest === null || y > latest)) latest = y;
  }
  return latest;
}

/** Every key figure of a structured document, in text order. */
export function extractFigures(doc: StructuredDocument): Figure[] {
  const text = doc.cleanedText;
  const ctx: Context = { refYear: referenceYear(doc), normative: NORMATIVE_KIND.test(doc.meta.kind ?? '') };
  const docIssuer = doc.meta.issuers.length > 0 ? doc.meta.issuers.map((i) => i.short).join('、') : null;
  const figures: Figure[] = [];
  let part = -1;
  let section: number | null | undefined;
  let runningYear: number | null = null;
  let path: readonly string[] = [];
  for (const p of doc.paragraphs) {
    if (p.part !== part) {
      part = p.part;
      // An article's or attachment's title may give the year ("…政策措施（2025—2027年）").
      runningYear = headingYear(doc.parts[p.part]?.title ?? '');
      section = undefined;
    }
    if (p.section !== section) {
      section = p.section;
      path = Object.freeze(sectionPath(doc, section));
      const fromHeading = [...path]
        .reverse()
        .map(headingYear)
        .find((y) => y !== null);
      if (fromHeading !== undefined && fromHeading !== null) runningYear = fromHeading;
    }
    const paragraph = text.slice(p.start, p.end);
    // Only running text sets the year: a 文号 (〔2023〕) or a date line does not.
    const lead = p.kind === 'body' ? leadYear(paragraph, ctx.refYear) : null;
    if (lead !== null) runningYear = lead;
    if (!FIGURE_PARAGRAPHS.has(p.kind)) continue;
    const partInfo = doc.parts[p.part];
    const base = {
      docId: doc.id,
      docTitle: doc.meta.title,
      partTitle: partInfo && partInfo.index > 0 ? partInfo.title : doc.meta.title,
      issuer: partInfo?.issuer?.short ?? docIssuer,
      region: doc.meta.region?.name ?? null,
      sectionPath: path,
    };
    const titles = titleSpans(paragraph);
    for (const s of paragraph.matchAll(/[^。！？]+[。！？]?/gu)) {
      const sentence = s[0];
      const sentenceStart = s.index;
      const inTitle = (i: number) => inSpans(titles, sentenceStart + i);
      const dates = findDates(sentence, inTitle);
      const found = [...dates, ...findNumbers(sentence, dates, inTitle)].sort((a, b) => a.start - b.start);
      if (found.length === 0) continue;
      const clauses = clausesOf(sentence);
      let previousSubject = '';
      let previousEnd = 0;
      let previousClause = -1;
      let previousQuoteStart = 0;
      let previousChange: 'up' | 'down' | null = null;
      for (const f of found) {
        const ci = clauses.findIndex((c) => f.valueStart >= c.start && f.valueStart < c.end);
        const clause = clauses[ci] ?? { start: 0, end: sentence.length };
        const from = ci === previousClause ? Math.max(clause.start, previousEnd) : clause.start;
        const after = sentence.slice(f.end, nextBoundary(sentence, f.end, found, clause.end));
        let subject = cleanSubject(sentence.slice(from, f.start));
        let quoteStart = clause.start;
        let quoteEnd = clause.end;
        if (f.kind === 'date') {
          const rest = cleanSubject(sentence.slice(f.end, clause.end));
          subject = [subject.replace(/[于在]$/u, ''), rest].filter(Boolean).join('');
          if (subject.length < 2) {
            const next = clauses[ci + 1];
            if (next) {
              subject = cleanSubject(sentence.slice(next.start, next.end));
              quoteEnd = next.end;
            }
          }
        } else if (f.kind === 'count' && cleanSubject(after).length >= 2 && !DURATION_UNITS.has(f.unit)) {
          const noun = cleanSubject(after.replace(/^的/u, ''));
          subject = `${subject.slice(-10)}${noun}`;
        }
        if (subject.length < 2 && previousSubject) {
          subject = previousSubject;
          quoteStart = Math.min(quoteStart, previousQuoteStart);
        }
        if (subject.length < 2) {
          const prev = clauses[ci - 1];
          if (prev) {
            subject = cleanSubject(sentence.slice(prev.start, prev.end));
            quoteStart = prev.start;
          }
        }
        if (subject.length < 2) subject = path[path.length - 1] ?? base.partTitle;
        const before = sentence.slice(0, f.start);
        // "分别增长4.4%、5.6%": a figure listed after another shares its direction.
        const listed: 'up' | 'down' | null =
          /、$/u.test(before) && ci === previousClause ? previousChange : null;
        const change: 'up' | 'down' | null = UP.test(before) ? 'up' : DOWN.test(before) ? 'down' : listed;
        const year =
          f.dateYear ??
          sentenceYear(sentence, f.start, inTitle) ??
          periodYear(outsideTitles(sentence.slice(0, f.start), inTitle)) ??
          runningYear;
        const clauseText = sentence.slice(clause.start, clause.end);
        const status = statusOf(f, clauseText, before, year, path, ctx);
        const [qs, qe] = trimSpan(sentence, quoteStart, quoteEnd);
        const absolute = p.start + sentenceStart;
        const valueEnd = f.end;
        figures.push({
          id: `${doc.id}@${absolute + f.valueStart}`,
          ...base,
          kind: f.kind,
          valueText: sentence.slice(f.valueStart, valueEnd),
          value: f.value,
          valueMax: f.valueMax,
          unit: f.unit,
          qualifier: f.qualifier,
          change: f.kind === 'date' ? null : change,
          subject,
          status,
          year,
          date: f.date,
          quote: sentence.slice(qs, qe),
          start: absolute + qs,
          end: absolute + qe,
          valueStart: absolute + f.valueStart,
          valueEnd: absolute + valueEnd,
        });
        previousSubject = subject;
        previousEnd = f.end;
        previousClause = ci;
        previousQuoteStart = quoteStart;
        previousChange = change;
      }
    }
  }
  return figures;
}

/** Where the words after a figure stop: the next figure, "、" or the clause end. */
function nextBoundary(sentence: string, from: number, found: Found[], clauseEnd: number): number {
  let end = clauseEnd;
  for (const f of found) if (f.start >= from && f.start < end) end = f.start;
  const pause = sentence.indexOf('、', from);
  if (pause >= 0 && pause < end) end = pause;
  return end;
}
