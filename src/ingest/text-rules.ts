/**
 * Small predicates on single lines/paragraphs shared by the cleaner and structure detection.
 * All are generic (no knowledge of a particular file): they describe how Chinese government
 * newspaper pages and work plans are laid out.
 */

/** Sentence-final punctuation, optionally followed by closing quotes/brackets: the paragraph is complete. */
const FINAL = /[。！？；!?…．.:：][”’」』）)】"'》]*$/u;
/** Punctuation inside a sentence: a title or byline never contains these. */
const CLAUSE_PUNCT = /[，。；：！？,;:!?、]/u;
/** Lines that open a new enumerated item or heading; a broken fragment never continues with one. */
const ENUMERATOR =
  /^(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十\d]+[）)]|第[一二三四五六七八九十百\d]+[章节条部分篇]|\d{1,3}[、．.](?!\d))/u;
/** Editor's notes open with a fixed phrase. */
const EDITORS_NOTE = /^(?:开栏的话|编者按|编者的话|编者注|编前|编前语|编后|导读|导语)\s*[：:]?/u;
/** Year intros ("2021年，…", "2022年是…", "过去一年，…") report or frame; they are never section leads. */
const YEAR_INTRO = /^(?:(?:19|20)\d{2}年|过去一年|一年来|去年|今年|明年|新的一年|近年来)/u;
/** "一是…", "首先…" enumerate within a section; they never open one. */
const IN_SECTION_ENUM =
  /^(?:[一二三四五六七八九十]+是|第[一二三四五六七八九十]+[，,]|首先|其次|再次|最后|此外|同时|另外|其中)/u;

/** Longest line (in characters, spaces excluded) still considered a title/heading. */
export const MAX_HEADING_CHARS = 40;

/** A line naming an attachment: "附件：…", "附件2" or a file name ("…通知.pdf", "…范本.rar"). */
export const ATTACHMENT_LINE =
  /^(?:相关)?附\s*件\s*\d*\s*(?:[：:]|$)|\.(?:pdf|docx?|xlsx?|wps|ofd|zip|rar|tif|tiff|jpe?g|png|ceb)$/iu;
/** A law's adoption history under its title (题注): "（1991年3月4日国务院令第76号发布　2018年9月6日…修订通过）". */
export const ADOPTION_HISTORY = /^[（(][^）)]{0,90}(?:通过|发布|公布|修订|施行|颁布)[）)]$/u;
/** "附件：" with nothing after it: pages keep the label when the files are links elsewhere. */
export const EMPTY_ATTACHMENT_LINE = /^(?:相关)?附\s*件\s*[：:]?$/u;

/** The paragraph ends in sentence-final punctuation (possibly followed by closing quotes): it is complete. */
export const endsSentence = (text: string): boolean => FINAL.test(text);
/** Contains any punctuation used inside sentences. */
export const hasClausePunct = (text: string): boolean => CLAUSE_PUNCT.test(text);
/** Opens an enumerated heading or item: "一、", "（二）", "第三章", "1.". */
export const startsEnumerator = (text: string): boolean => ENUMERATOR.test(text);
/** Opens an editor's note: "开栏的话：", "编者按：", "编者的话："… */
export const isEditorsNote = (text: string): boolean => EDITORS_NOTE.test(text);
/** Opens a year intro ("2021年，…", "过去一年，…"). */
export const isYearIntro = (text: string): boolean => YEAR_INTRO.test(text);
/** Opens an item inside a section ("一是…", "首先…"). */
export const startsInSectionEnum = (text: string): boolean => IN_SECTION_ENUM.test(text);

const visibleLength = (text: string): number => text.replace(/\s+/g, '').length;

/** A short line with no sentence punctuation: a title, heading, byline or date — or a broken fragment. */
export function isHeadingLike(text: string): boolean {
  if (text.length > MAX_HEADING_CHARS * 2) return false;
  const len = visibleLength(text);
  return len > 0 && len <= MAX_HEADING_CHARS && !CLAUSE_PUNCT.test(text);
}

/**
 * A numbered heading such as "一、坚持稳中求进，推动高质量发展": short, enumerated, no final punctuation, not
 * cut after a comma. An article (第十条) is a paragraph, not a heading: its text is a sentence.
 */
export function isEnumeratedHeading(text: string): boolean {
  return (
    text.length <= MAX_HEADING_CHARS &&
    ENUMERATOR.test(text) &&
    !endsSentence(text) &&
    !/[，、,]$/u.test(text) &&
    !/^第[一二三四五六七八九十百千\d]+[条款]/u.test(text)
  );
}

/**
 * Organisation bylines: an optional issuing body ending in 部/委/委员会/总局/局/署/院/办公厅/厅/政府
 * ("工业和信息化部", "国家发展改革委"), then a unit ending in 司/局/厅/处/办公室/中心/委员会/研究院/所/室
 * ("科技司", "中小企业局"). Only Han characters, no punctuation.
 */
const BYLINE = new RegExp(
  '^((?:[\\p{Script=Han}]{1,20}?(?:部|委员会|委|总局|局|署|院|办公厅|厅|政府)))?' +
    '([\\p{Script=Han}]{1,16}?(?:司|局|厅|处|办公室|中心|委员会|研究院|研究所|所|室))$',
  'u',
);
/** Common words that end like a unit but are not one ("大局", "以人民为中心"). */
const NOT_A_UNIT = /(?:大局|布局|格局|全局|开局|结局|当局|变局|为中心|中心)$/u;

/** Issuer named by a byline line, or null. `full` is the whole line without spaces, `short` the unit. */
export function parseByline(text: string): { short: string; full: string } | null {
  if (text.length > 40) return null;
  const full = text.replace(/\s+/g, '');
  if (full.length < 3 || full.length > 30) return null;
  const m = BYLINE.exec(full);
  if (!m) return null;
  const prefix = m[1];
  const unit = m[2] ?? '';
  // Without an issuing body the unit alone must look unmistakably like a issuer.
  if (!prefix && (unit.length > 10 || NOT_A_UNIT.test(unit) || !/(?:司|局|厅|办公室)$/u.test(unit)))
    return null;
  if (prefix && /(?:大局|布局|格局|全局|变局)$/u.test(prefix)) return null;
  if (unit.length < 2) return null;
  return { short: unit, full };
}

/** The line is a issuer byline (see `parseByline`). */
export const isByline = (text: string): boolean => parseByline(text) !== null;
