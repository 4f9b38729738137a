import type { Logger } from '../logging/logger.js';
import { splitSentences } from '../node-parser/sentence-splitter.js';
import type { Article, Paragraph, ParagraphKind, Section, StructuredDocument } from '../types.js';
import { type CleanParagraph, cleanText } from './clean-text.js';
import {
  isEditorsNote,
  isEnumeratedHeading,
  isHeadingLike,
  isYearIntro,
  MAX_HEADING_CHARS,
  parseByline,
  startsInSectionEnum,
} from './text-rules.js';
import type { SourceDocument } from './types.js';

/** Most commas a headline-style lead sentence has ("提升…层次，迈出…新步伐。" has one). */
const MAX_LEAD_COMMAS = 2;
const MIN_LEAD_CHARS = 6;

/**
 * The first sentence of a body paragraph is a section lead when it reads like a headline: short
 * (≤ MAX_HEADING_CHARS), ends with 。 or ！, has one or two comma-separated parts and no ；：, and does not
 * open with a year ("2022年，…" intros frame the whole article) or an in-section enumerator ("一是…", "首先…").
 * It either heads the rest of its paragraph or stands alone and heads the paragraphs that follow.
 */
export function leadSentence(
  paragraphText: string,
  baseOffset: number,
): { lead: string; start: number; end: number } | null {
  if (isYearIntro(paragraphText) || startsInSectionEnum(paragraphText) || isEditorsNote(paragraphText))
    return null;
  // Only the head of the paragraph can hold the lead; a first sentence cut by this slice has no 。 and fails below.
  const first = splitSentences(paragraphText.slice(0, MAX_HEADING_CHARS * 2), baseOffset)[0];
  if (!first) return null;
  const s = first.text;
  const len = s.replace(/\s+/g, '').length;
  if (len < MIN_LEAD_CHARS || len > MAX_HEADING_CHARS) return null;
  if (!/[。！!]$/u.test(s) || /[；;：:]/u.test(s)) return null;
  const commas = (s.match(/[，,]/gu) ?? []).length;
  if (commas < 1 || commas > MAX_LEAD_COMMAS) return null;
  return { lead: s, start: first.start, end: first.end };
}

interface Draft {
  clean: CleanParagraph;
  text: string;
  kind: ParagraphKind;
}

/**
 * Cleans a source document and detects its structure with layout rules only (nothing specific to one file):
 * - column title: the first paragraph when it is heading-like (or a level-1 markdown heading) and is not an
 *   article title;
 * - editor's note: a paragraph opening with 开栏的话/编者按/编者的话…;
 * - article: a heading-like paragraph (or markdown heading) immediately followed by a department byline;
 * - sections: headings inside the text (markdown, or short unpunctuated lines such as "一、加快…"), or else
 *   headline-style first sentences of body paragraphs (see `leadSentence`); once an article uses headings,
 *   sentences under them are not leads. Year intros before the first section have `section: null`.
 * @param options.logger receives a debug line with the number of repaired breaks and dropped stray tokens.
 */
export function structureDocument(
  source: SourceDocument,
  options: { logger?: Logger } = {},
): StructuredDocument {
  const cleaned = cleanText(source);
  options.logger?.debug(
    {
      docId: source.id,
      joins: cleaned.joins,
      removed: cleaned.removed,
      paragraphs: cleaned.paragraphs.length,
    },
    'cleaned document layout',
  );
  const text = cleaned.text;
  const drafts: Draft[] = cleaned.paragraphs.map((p) => ({
    clean: p,
    text: text.slice(p.start, p.end),
    kind: 'body' as ParagraphKind,
  }));

  const isTitleCandidate = (d: Draft): boolean =>
    d.clean.headingLevel > 0 || isHeadingLike(d.text) || isEnumeratedHeading(d.text);

  // Articles: title + byline pairs.
  for (let i = 0; i + 1 < drafts.length; i++) {
    const d = drafts[i] as Draft;
    const next = drafts[i + 1] as Draft;
    if (d.kind === 'body' && isTitleCandidate(d) && next.clean.headingLevel === 0 && parseByline(next.text)) {
      d.kind = 'article-title';
      next.kind = 'byline';
    }
  }
  const firstDraft = drafts[0];
  if (firstDraft && firstDraft.kind === 'body' && isTitleCandidate(firstDraft))
    firstDraft.kind = 'column-title';
  const firstArticle = drafts.findIndex((d) => d.kind === 'article-title');
  for (const [i, d] of drafts.entries()) {
    if (d.kind === 'body' && isEditorsNote(d.text) && (firstArticle < 0 || i < firstArticle))
      d.kind = 'editors-note';
  }

  const docTitle =
    drafts.find((d) => d.kind === 'column-title')?.text ??
    drafts.find((d) => d.clean.headingLevel > 0)?.text ??
    drafts.find((d) => d.kind === 'article-title')?.text ??
    source.id;

  const paragraphs: Paragraph[] = [];
  const articles: Article[] = [];
  let article: Article | null = null;
  let section: string | null = null;
  // Once a text uses headings for its sections, short sentences under them (list items) are content, not leads.
  let headingSections = false;
  // Sections of a document without bylines still get leads, they just belong to no article.
  for (const [index, d] of drafts.entries()) {
    const { start, end } = d.clean;
    if (d.kind === 'article-title') {
      if (article) article.end = paragraphs[paragraphs.length - 1]?.end ?? article.end;
      article = { index: articles.length, title: d.text, department: null, start, end, sections: [] };
      articles.push(article);
      section = null;
      headingSections = false;
    } else if (d.kind === 'byline' && article) {
      article.department = parseByline(d.text);
    } else if (d.kind === 'body') {
      let found: Section | null = null;
      if (isTitleCandidate(d) && !isYearIntro(d.text)) {
        // A heading inside the text ("## 一、…", "一、加快…") opens a section by itself.
        found = { lead: d.text, start, end };
        headingSections = true;
      } else if (!headingSections) {
        const lead = leadSentence(d.text, start);
        if (lead) found = lead;
      }
      if (found) {
        section = found.lead;
        article?.sections.push(found);
      }
    }
    const inSection = d.kind === 'body' ? section : null;
    paragraphs.push({
      index,
      kind: d.kind,
      start,
      end,
      articleIndex: d.kind === 'column-title' || d.kind === 'editors-note' ? null : (article?.index ?? null),
      section: inSection,
    });
  }
  if (article) article.end = paragraphs[paragraphs.length - 1]?.end ?? article.end;

  return {
    id: source.id,
    sourcePath: source.path,
    title: docTitle,
    editorsNote: drafts.find((d) => d.kind === 'editors-note')?.text ?? null,
    cleanedText: text,
    contentHash: source.contentHash,
    paragraphs,
    articles,
  };
}
