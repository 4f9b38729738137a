/**
 * Names of issuing bodies as they appear on their own line — a closing signature ("国务院办公厅",
 * "国 家 能 源 局", "广东省能源局 国家能源局南方监管局"), a byline, the head of a title ("中共中央 国务院关于…").
 * Only the shape of Chinese organisation names, no list of particular bodies.
 */

/** How organisation names end (longest first, so 人民政府 wins over 政府). */
const ORG_SUFFIX =
  '(?:人民政府|人民代表大会常务委员会|人民代表大会|政府|办公厅|办公室|委员会|党组|党委|总局|监管局|监管办公室|' +
  '管理局|委|部|局|厅|署|司|院|中心|公司|集团|银行|协会|学会|联合会|研究院|研究所|大学|学院|中共中央|国务院)';
const ORG = new RegExp(`^[\\p{Script=Han}（）()]{1,30}?${ORG_SUFFIX}$`, 'u');
/** The whole name is one of these words: they end like a body but are not one. */
const NOT_ORG =
  /(?:大局|布局|格局|全局|开局|结局|当局|变局|全部|内部|外部|局部|中部|西部|东部|北部|南部|干部|头部|底部|为中心|中心|医院|法院|学院|总部|本部|各部|有关部|委员会议)$/u;
/** Bodies whose name is a single word without a generic suffix. */
const BARE_NAMES = new Set(['国务院', '中共中央', '全国人大常委会', '中央军委', '全国政协']);

/** "国 家 能 源 局" → "国家能源局": characters spaced out one by one (a letter-spaced signature). */
export function unspace(line: string): string {
  const t = line.trim();
  return /^(?:\p{Script=Han}[\s\u3000]+)+\p{Script=Han}$/u.test(t) ? t.replace(/[\s\u3000]+/gu, '') : t;
}

/** True when `name` (no spaces) has the shape of an organisation name. */
export function isOrganizationName(name: string): boolean {
  if (BARE_NAMES.has(name)) return true;
  if (name.length < 3 || name.length > 32) return false;
  return ORG.test(name) && !NOT_ORG.test(name);
}

/**
 * The organisations a line consists of ("国家发展改革委 国家能源局", "中共中央、国务院", a letter-spaced name), or
 * null when the line is anything else. "等部门" after the last name is dropped.
 */
export function splitOrganizations(line: string): string[] | null {
  const text = unspace(line)
    .replace(/等(?:部门|单位|\d+个部门|[一二三四五六七八九十]+部门)$/u, '')
    .trim();
  if (!text || text.length > 120) return null;
  const parts = text.split(/[\s\u3000、，,]+/u).filter(Boolean);
  if (parts.length === 0) return null;
  return parts.every(isOrganizationName) ? parts : null;
}

/**
 * Short name people use for a body: the unit after its parent's name when the line names both
 * ("工业和信息化部科技司" → "科技司"), the name itself otherwise.
 */
export function shortOrganizationName(name: string): string {
  // A ministry's or commission's issuer (工业和信息化部科技司, 国家发展改革委价格司); a regional office of an
  // agency (国家能源局江苏监管办公室) is known by its whole name.
  const m = /^[\p{Script=Han}]{2,20}?(?:部|委员会|委)([\p{Script=Han}]{2,16}?(?:司|局|办公室|中心))$/u.exec(
    name,
  );
  // An office of a body (国务院办公厅) is known by its whole name.
  return m?.[1] && !NOT_ORG.test(m[1]) && !/^办公[厅室]$/u.test(m[1]) ? m[1] : name;
}
