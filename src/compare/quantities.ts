/**
 * Numbers as policy documents write them, with their units: 2930家, 3000家左右, 500家以上, 35亿元, 约1万亿元,
 * 4万多家, 5%—5.5%, 超60万个. Values are scaled to the base unit (万 = 10⁴, 亿 = 10⁸), so "1万亿元" and
 * "10000亿元" compare equal, and two quantities only compare when their base units agree.
 */

/** One quantity found in a text, with its offsets there. */
export interface Quantity {
  /** As written ("3000家左右"). */
  text: string;
  /** Scaled value (the lower bound of a range). */
  value: number;
  /** The upper bound of a range ("5%—5.5%"), else equal to `value`. */
  high: number;
  /** Base unit: 家, 个, 元, %, 个百分点 … */
  unit: string;
  /** 约/左右 → about, 以上/超/多 → at-least, 以下/不超过 → at-most. */
  qualifier: 'exact' | 'about' | 'at-least' | 'at-most';
  start: number;
  end: number;
}

/** Units a count, amount or share is given in (longest first where one is a prefix of another). */
const UNITS = [
  '个百分点',
  '平方公里',
  '平方米',
  '千瓦时',
  '万千瓦',
  '千瓦',
  '公里',
  '千米',
  '公顷',
  '立方米',
  '标准箱',
  '%',
  '％',
  '‰',
  '元',
  '美元',
  '家',
  '个',
  '项',
  '件',
  '户',
  '人',
  '名',
  '次',
  '所',
  '座',
  '台',
  '套',
  '条',
  '吨',
  '亩',
  '倍',
  '辆',
  '艘',
  '架',
  '部',
  '批',
  '类',
  '款',
  '篇',
  '册',
  '种',
  '处',
  '栋',
  '张',
  '份',
  '场',
  '期',
  '届',
  '轮',
  '起',
  '天',
  '小时',
  '岁',
  '米',
  '瓦',
];
const MAGNITUDE: Record<string, number> = {
  万亿: 1e12,
  千亿: 1e11,
  百亿: 1e10,
  亿: 1e8,
  千万: 1e7,
  百万: 1e6,
  万: 1e4,
  千: 1e3,
  百: 1e2,
};

const NUMBER = String.raw`\d+(?:[.．]\d+)?`;
const SCALE = '(万亿|千亿|百亿|千万|百万|亿|万|千|百)?';
const UNIT_ALT = UNITS.map((u) => u.replace(/[%]/u, '%')).join('|');
const QUANTITY = new RegExp(
  String.raw`(约|大约|近|超过|超|逾|不少于|不低于|不超过|达到|达)?(${NUMBER})\s*${SCALE}\s*(?:(?:${UNIT_ALT})?\s*[—–\-~～至到]\s*(${NUMBER})\s*${SCALE})?\s*(多|余)?\s*(${UNIT_ALT})(左右|以上|以下|以内|上下)?`,
  'gu',
);

function qualifierOf(before: string | undefined, more: string | undefined, after: string | undefined) {
  if (before === '约' || before === '大约' || before === '近' || after === '左右' || after === '上下')
    return 'about' as const;
  if (before === '不超过' || after === '以下' || after === '以内') return 'at-most' as const;
  if (
    before === '超过' ||
    before === '超' ||
    before === '逾' ||
    before === '不少于' ||
    before === '不低于' ||
    more ||
    after === '以上'
  )
    return 'at-least' as const;
  return 'exact' as const;
}

/** Every quantity with a unit in `text` (offsets relative to `text` plus `base`). Years and dates are not quantities. */
export function findQuantities(text: string, base = 0): Quantity[] {
  const out: Quantity[] = [];
  QUANTITY.lastIndex = 0;
  for (const m of text.matchAll(QUANTITY)) {
    const [whole, before, lowText = '', lowScale, highText, highScale, more, unitRaw = '', after] = m;
    const index = m.index ?? 0;
    // "2021年" never matches (年 is no unit); a digit run glued to a preceding digit or letter is an id, not a count.
    const prev = text[index - 1] ?? '';
    if (!before && /[\dA-Za-z.．]/u.test(prev)) continue;
    const scaleLow = MAGNITUDE[lowScale ?? ''] ?? (highScale ? (MAGNITUDE[highScale] ?? 1) : 1);
    const value = Number(lowText.replace('．', '.')) * scaleLow;
    const high = highText
      ? Number(highText.replace('．', '.')) * (MAGNITUDE[highScale ?? ''] ?? scaleLow)
      : value;
    if (!Number.isFinite(value)) continue;
    const unit = unitRaw === '％' ? '%' : unitRaw;
    out.push({
      text: whole,
      value,
      high,
      unit,
      qualifier: qualifierOf(before, more, after),
      start: base + index,
      end: base + index + whole.length,
    });
  }
  return out;
}

/** How a quantity moved from one side to the other. */
export interface QuantityChange {
  unit: string;
  before: Quantity;
  after: Quantity;
  direction: 'up' | 'down' | 'same';
}

/**
 * Pairs the quantities of two aligned items by unit (in order of appearance within each unit) and says how
 * each moved. Quantities whose unit the other side lacks are left out: they are not comparable.
 */
export function compareQuantities(before: readonly Quantity[], after: readonly Quantity[]): QuantityChange[] {
  const changes: QuantityChange[] = [];
  const units = [...new Set(before.map((q) => q.unit))].filter((u) => after.some((q) => q.unit === u));
  for (const unit of units) {
    const a = before.filter((q) => q.unit === unit);
    const b = after.filter((q) => q.unit === unit);
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const x = a[i] as Quantity;
      const y = b[i] as Quantity;
      const mid = (q: Quantity) => (q.value + q.high) / 2;
      const direction = mid(y) > mid(x) ? 'up' : mid(y) < mid(x) ? 'down' : 'same';
      changes.push({ unit, before: x, after: y, direction });
    }
  }
  return changes;
}
