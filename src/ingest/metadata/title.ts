/**
 * Document titles as Chinese policy documents set them: "[issuers]关于…的通知", "…条例", "…实施方案（试行）",
 * "2026年浙江省政府工作报告" — often over two to four lines, and repeated by the page in its <title> or first
 * scraped line with the site's name ("【…（发改能源规〔2020〕816号）】-国家发展和改革委员会", "…_委局文件_政务公开").
 */
import { findDocNumbers } from './doc-number.js';

/** Kinds of official documents (公文种类 and the names of rules, plans and reports), longest first. */
const KINDS = [
  '政府工作报告',
  '工作报告',
  '实施细则',
  '实施方案',
  '实施意见',
  '指导意见',
  '若干意见',
  '若干措施',
  '若干规定',
  '管理办法',
  '暂行办法',
  '应急预案',
  '行动方案',
  '行动计划',
  '工作方案',
  '工作要点',
  '政策措施',
  '答记者问',
  '通知',
  '通报',
  '意见',
  '办法',
  '规定',
  '条例',
  '规则',
  '细则',
  '方案',
  '规划',
  '纲要',
  '计划',
  '要点',
  '决定',
  '决议',
  '命令',
  '批复',
  '复函',
  '报告',
  '请示',
  '答复',
  '公告',
  '通告',
  '公报',
  '指引',
  '指南',
  '导则',
  '标准',
  '规范',
  '措施',
  '预案',
  '章程',
  '制度',
  '守则',
  '准则',
  '清单',
  '名录',
  '白皮书',
  '解读',
  '函',
];

/** What may follow the kind word: （试行）, （暂行）, （2023年版）, （2025—2027年）, （征求意见稿）. */
const KIND_SUFFIX =
  '(?:[（(](?:试行|暂行|修订|修订稿|征求意见稿|送审稿|草案|[\\d—–\\-年版修订\\s]{4,16})[）)])?';
const KIND_AT_END = new RegExp(`(${KINDS.join('|')})》?${KIND_SUFFIX}$`, 'u');

/** The kind a title ends with ("…的通知" → 通知, "2026年浙江省政府工作报告" → 工作报告), or null. */
export function documentKind(title: string): string | null {
  const m = KIND_AT_END.exec(title.replace(/[\s\u3000]+/gu, ''));
  if (!m?.[1]) return null;
  return m[1] === '政府工作报告' ? '工作报告' : m[1];
}

/** True when `text` reads as a complete document title (ends with a document kind). */
export function looksLikeTitle(text: string): boolean {
  const compact = text.replace(/[\s\u3000]+/gu, '');
  if (compact.length < 4 || compact.length > 160) return false;
  if (/[。；！？]$/u.test(compact)) return false;
  return documentKind(compact) !== null;
}

/**
 * The title inside a page title or a scraper's first line: the brackets, the site's name after a separator
 * and a trailing 文号 in parentheses are dropped ("【关于…的通知(发改价格〔2024〕196号)】-国家发展和改革委员会"
 * → "关于…的通知"; "…的通知_委局文件_政务公开" → "…的通知"; "广东省发展和改革委员会 - 广东省能源局…的通知" →
 * the part that reads as a title).
 */
export function titleFromPageTitle(pageTitle: string): string | null {
  const text = pageTitle.replace(/^[【[]|[】\]]\s*(?=[-_|—–])/gu, '').trim();
  const parts = text
    .split(/\s*(?:[】\]]?\s*[-_|—–]{1,2}\s*|\s[-|]\s)/u)
    .map((p) => p.replace(/^[【[]|[】\]]$/gu, '').trim())
    .filter(Boolean);
  for (const part of parts) {
    const withoutNumber = stripTrailingDocNumber(part);
    if (looksLikeTitle(withoutNumber)) return withoutNumber;
  }
  return null;
}

/** "关于…的通知（发改价格〔2024〕196号）" → "关于…的通知". */
export function stripTrailingDocNumber(title: string): string {
  const found = findDocNumbers(title);
  const last = found[found.length - 1];
  if (!last) return title;
  const before = title.slice(0, last.index).replace(/[（(［[]\s*$/u, '');
  const after = title.slice(last.index + last.length).replace(/^\s*[）)］\]]/u, '');
  return after.trim() === '' ? before.trim() : title;
}
