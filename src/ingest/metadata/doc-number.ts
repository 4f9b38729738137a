/**
 * 文号 (document numbers): issuer code + year in brackets + serial + 号 — 国发〔2019〕3号, 国办发明电〔2018〕15号,
 * 发改运行〔2020〕1784号, 内能源电力字〔2024〕831号 — and decree numbers, 国令第706号 /
 * 中华人民共和国国务院令 第706号. Pages, scans and people write the year brackets as 〔〕 [] 【】 （） () ［］
 * 〈〉 (OCR confuses them too); the canonical form uses 〔〕 so every spelling finds the same document.
 */

const OPEN = '〔\\[【（(［〈｛{';
const CLOSE = '〕\\]】）)］〉｝}';
/**
 * Issuer code: 1–14 Han characters (or a few Latin letters, as in some company codes) directly before the
 * year bracket; the serial may be written with Chinese numerals in old documents.
 */
const NUMBERED = new RegExp(
  `([\\p{Script=Han}A-Za-z]{1,14}?)\\s*[${OPEN}]\\s*((?:19|20)\\d{2})\\s*[${CLOSE}]\\s*(第?\\s*\\d{1,5})\\s*号`,
  'gu',
);
/** 国令第706号, 国务院令第712号, 中华人民共和国国务院令 第706号, 国家发展和改革委员会令2023年第7号. */
const DECREE = /([\p{Script=Han}]{1,24}?令)\s*(?:(?:19|20)\d{2}\s*年\s*)?第\s*(\d{1,5})\s*号/gu;

/** Words that end a sentence fragment before a 文号 and are not part of the code ("根据国办发…" → 国办发). */
const LEADING_NOISE =
  /^(?:.*?(?:根据|按照|依据|依照|参照|对照|见|详见|印发|转发|关于|和|及|与|或|的|是|为|以|（|\(|《|》|、|，|。))/u;

export interface FoundDocNumber {
  /** Canonical: 〔〕 brackets, no spaces, decree numbers as "…令第N号". */
  value: string;
  index: number;
  length: number;
  /** The issuer code before the bracket ("国办发"), or the decree issuer ("国务院令"). */
  code: string;
  year: number | null;
}

/** A decree issued under "中华人民共和国国务院令" is cited as 国令第N号. */
function decreeCode(code: string): string {
  return code === '国务院令' || code === '中华人民共和国国务院令' ? '国令' : code;
}

/** Every 文号 in `text`, in order. `code` drops leading sentence words ("根据国办发" → "国办发"). */
export function findDocNumbers(text: string): FoundDocNumber[] {
  const out: FoundDocNumber[] = [];
  for (const m of text.matchAll(NUMBERED)) {
    let code = m[1] ?? '';
    const trimmed = code.replace(LEADING_NOISE, '');
    const skipped = code.length - (trimmed.length || code.length);
    if (trimmed.length > 0) code = trimmed;
    const serial = (m[3] ?? '').replace(/[第\s]/gu, '');
    out.push({
      value: `${code}〔${m[2]}〕${serial}号`,
      index: (m.index ?? 0) + skipped,
      length: m[0].length - skipped,
      code,
      year: Number(m[2]),
    });
  }
  for (const m of text.matchAll(DECREE)) {
    const index = m.index ?? 0;
    if (out.some((d) => index < d.index + d.length && d.index < index + m[0].length)) continue;
    // "中华人民共和国国务院令": the country's name is no sentence word (its 和 would cut it as one).
    const named = (m[1] ?? '').replace(/^.*?中华人民共和国/u, '');
    let code = named.replace(LEADING_NOISE, '') || named;
    code = decreeCode(code);
    const year = /((?:19|20)\d{2})\s*年/u.exec(m[0]);
    out.push({
      value: year ? `${code}${year[1]}年第${m[2]}号` : `${code}第${m[2]}号`,
      index,
      length: m[0].length,
      code,
      year: year ? Number(year[1]) : null,
    });
  }
  return out.sort((a, b) => a.index - b.index);
}

/** The canonical form of a 文号 someone typed ("国办发[2019]3号" → "国办发〔2019〕3号"), or null. */
export function normalizeDocNumber(text: string): string | null {
  const found = findDocNumbers(text.replace(/\s+/gu, ''));
  return found.length === 1 ? (found[0]?.value ?? null) : null;
}

/** The line is (almost) only a 文号: "国办发〔2019〕3号", "（国令第706号）", "第706号" after a decree heading. */
export function docNumberLine(line: string): string | null {
  const compact = line.replace(/[\s\u3000]/gu, '');
  const found = findDocNumbers(compact);
  if (found.length !== 1) return null;
  const d = found[0] as FoundDocNumber;
  const rest = compact.slice(0, d.index) + compact.slice(d.index + d.length);
  return rest.replace(/[（）()【】[\]〔〕:：]/gu, '').length <= 2 ? d.value : null;
}

/**
 * Issuers named by the code of a central-government 文号: the State Council, its General Office, the Party
 * Central Committee. Only codes whose issuer is fixed by national rules; ministries' codes vary by year and
 * issuer, so they are not guessed.
 */
const CODE_ISSUERS: [RegExp, string][] = [
  [/^国办(?:发|函|发明电|秘函)/u, '国务院办公厅'],
  [/^国(?:发|函|令|发明电)$/u, '国务院'],
  [/^中办(?:发|字)/u, '中共中央办公厅'],
  [/^中发$/u, '中共中央'],
];

/** The issuer a 文号's code names (国办发 → 国务院办公厅), or null when the code does not say. */
export function issuerOfDocNumberCode(code: string): string | null {
  for (const [pattern, issuer] of CODE_ISSUERS) if (pattern.test(code)) return issuer;
  return null;
}
