import type { FigureKind } from '../types.js';

/**
 * Units that make a number a key figure, by kind. A number followed by none of these (a list label "1.", a
 * model name "5G", a magnitude "7.3级") is not a figure. Longer units first so "千瓦时" wins over "千瓦".
 */
const UNITS: Record<Exclude<FigureKind, 'date'>, readonly string[]> = {
  percent: ['%', '％', '‰', '个百分点', '百分点', '倍'],
  amount: [
    '元',
    '美元',
    '欧元',
    '港元',
    '斤',
    '公斤',
    '千克',
    '克',
    '吨标准煤',
    '吨标煤',
    '吨',
    '千瓦时',
    '千瓦',
    '兆瓦',
    '吉瓦',
    '瓦',
    '平方公里',
    '平方千米',
    '平方米',
    '公里',
    '千米',
    '米',
    '亩',
    '公顷',
    '立方米',
    '标准箱',
    '标箱',
  ],
  count: [
    '个工作日',
    '个月',
    '个',
    '家',
    '户',
    '人次',
    '人',
    '名',
    '位',
    '项',
    '所',
    '套',
    '班次',
    '场次',
    '次',
    '列',
    '条',
    '座',
    '处',
    '批',
    '件',
    '台',
    '辆',
    '张',
    '种',
    '只',
    '头',
    '部',
    '款',
    '场',
    '篇',
    '份',
    '间',
    '栋',
    '艘',
    '架',
    '例',
    '宗',
    '支',
    '枚',
    '床',
    '大',
    '工作日',
    '小时',
    '分钟',
    '天',
    '日',
    '周',
    '年',
  ],
};

const KIND_OF = new Map<string, Exclude<FigureKind, 'date'>>();
for (const [kind, list] of Object.entries(UNITS) as [Exclude<FigureKind, 'date'>, readonly string[]][]) {
  for (const unit of list) KIND_OF.set(unit, kind);
}

/** Every unit, longest first, escaped for a regular expression alternation. */
export const UNIT_PATTERN = [...KIND_OF.keys()]
  .sort((a, b) => b.length - a.length)
  .map((u) => u.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  .join('|');

export function kindOfUnit(unit: string): Exclude<FigureKind, 'date'> | null {
  return KIND_OF.get(unit) ?? null;
}

/** Units that count time: "连续9年" is a count of years, "2019年" a calendar year (see extract-figures.ts). */
export const DURATION_UNITS = new Set(['年', '天', '日', '周', '小时', '分钟', '个月', '工作日', '个工作日']);

const MAGNITUDE: Record<string, number> = { 十: 10, 百: 100, 千: 1e3, 万: 1e4, 亿: 1e8 };

/** "万亿" → 1e12, "百亿亿" → 1e18, "" → 1. */
export function magnitudeOf(text: string): number {
  let m = 1;
  for (const ch of text) m *= MAGNITUDE[ch] ?? 1;
  return m;
}

/** Parses "1,234.5" or full-width "１２" into a number; NaN when it is not one. */
export function parseNumber(text: string): number {
  const ascii = text
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 48))
    .replace(/[．]/g, '.')
    .replace(/,/g, '');
  return Number(ascii);
}
