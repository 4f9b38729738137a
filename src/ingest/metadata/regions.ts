/**
 * China's administrative divisions (GB/T 2260 provinces and prefecture-level cities, from the
 * `china-area-data` package) and how documents and questions name them: 浙江省 / 浙江, 广西壮族自治区 / 广西,
 * 台州市 / 台州. Counties are matched by their full name only, and only when it is unique (路桥区, not 鼓楼区):
 * their short forms are ordinary words too often (路桥, 城关).
 */
import { createRequire } from 'node:module';

export type RegionLevel = 'national' | 'province' | 'city' | 'county';

export interface Region {
  /** GB/T 2260 code; "000000" for the whole country. */
  code: string;
  /** Official name: 全国, 浙江省, 台州市, 路桥区. */
  name: string;
  /** What people write: 全国, 浙江, 台州, 路桥区. */
  short: string;
  level: RegionLevel;
  /** Code of the province (or city, for a county) it belongs to; null for the country and provinces. */
  parent: string | null;
}

export const NATIONAL: Region = {
  code: '000000',
  name: '全国',
  short: '全国',
  level: 'national',
  parent: null,
};

type AreaData = Record<string, Record<string, string>>;

/** Province short names: the name without 省/市/自治区/特别行政区 and without the nationality of an autonomous region. */
function provinceShort(name: string): string {
  return name
    .replace(/(?:壮族|回族|维吾尔)?自治区$/u, '')
    .replace(/特别行政区$/u, '')
    .replace(/[省市]$/u, '');
}

/** City short names: 台州市 → 台州, 延边朝鲜族自治州 → 延边, 阿拉善盟 → 阿拉善, 大兴安岭地区 → 大兴安岭. */
function cityShort(name: string): string {
  const short = name
    .replace(/(?:[\p{Script=Han}]{1,6}族)+自治州$/u, '')
    .replace(/自治州$/u, '')
    .replace(/(?:市|地区|盟)$/u, '');
  return short.length >= 2 ? short : name;
}

interface RegionTable {
  byCode: Map<string, Region>;
  /** Every spelling (name and short name) → the regions it may mean, longest spellings first for matching. */
  names: Map<string, Region[]>;
  pattern: RegExp;
}

let table: RegionTable | null = null;

function load(): RegionTable {
  if (table) return table;
  const data = createRequire(import.meta.url)('china-area-data/data.json') as AreaData;
  const byCode = new Map<string, Region>([[NATIONAL.code, NATIONAL]]);
  const names = new Map<string, Region[]>();
  const add = (spelling: string, region: Region) => {
    const list = names.get(spelling) ?? [];
    if (!list.includes(region)) list.push(region);
    names.set(spelling, list);
  };
  add(NATIONAL.name, NATIONAL);
  const countyCount = new Map<string, number>();
  for (const [province] of Object.entries(data['86'] ?? {})) {
    for (const [city] of Object.entries(data[province] ?? {})) {
      for (const county of Object.values(data[city] ?? {})) {
        countyCount.set(county, (countyCount.get(county) ?? 0) + 1);
      }
    }
  }
  for (const [provinceCode, provinceName] of Object.entries(data['86'] ?? {})) {
    const province: Region = {
      code: provinceCode,
      name: provinceName,
      short: provinceShort(provinceName),
      level: 'province',
      parent: null,
    };
    byCode.set(provinceCode, province);
    add(province.name, province);
    add(province.short, province);
    for (const [cityCode, cityName] of Object.entries(data[provinceCode] ?? {})) {
      // Municipalities list their districts under a placeholder "市辖区"/"县" city.
      if (cityName === '市辖区' || cityName === '县' || cityName === '省直辖县级行政区划') {
        for (const [countyCode, countyName] of Object.entries(data[cityCode] ?? {})) {
          addCounty(countyCode, countyName, provinceCode);
        }
        continue;
      }
      const city: Region = {
        code: cityCode,
        name: cityName,
        short: cityShort(cityName),
        level: 'city',
        parent: provinceCode,
      };
      byCode.set(cityCode, city);
      add(city.name, city);
      add(city.short, city);
      for (const [countyCode, countyName] of Object.entries(data[cityCode] ?? {})) {
        addCounty(countyCode, countyName, cityCode);
      }
    }
  }
  function addCounty(code: string, name: string, parent: string) {
    const county: Region = { code, name, short: name, level: 'county', parent };
    byCode.set(code, county);
    if ((countyCount.get(name) ?? 0) === 1 && name.length >= 3 && name !== '市辖区') add(name, county);
  }
  const spellings = [...names.keys()].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(spellings.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gu');
  table = { byCode, names, pattern };
  return table;
}

export interface RegionMention {
  region: Region;
  /** The spelling found ("浙江", "台州市"). */
  text: string;
  index: number;
}

/**
 * Regions named in `text`, longest spelling first at each position (浙江省 over 浙江), in text order. A
 * spelling shared by several regions (吉林: the province and its city) resolves to the higher level.
 */
export function findRegions(text: string): RegionMention[] {
  const { names, pattern } = load();
  const out: RegionMention[] = [];
  for (const m of text.matchAll(pattern)) {
    const candidates = names.get(m[0]) ?? [];
    const region = [...candidates].sort((a, b) => rank(a) - rank(b))[0];
    if (region) out.push({ region, text: m[0], index: m.index ?? 0 });
  }
  return out;
}

/** The short names of the province-level divisions (浙江, 内蒙古, 香港…), longest first. */
export function provinceShortNames(): string[] {
  const { byCode } = load();
  return [...byCode.values()]
    .filter((r) => r.level === 'province')
    .map((r) => r.short)
    .sort((a, b) => b.length - a.length);
}

const rank = (r: Region) => ({ national: 0, province: 1, city: 2, county: 3 })[r.level];

export function regionByCode(code: string): Region | null {
  return load().byCode.get(code) ?? null;
}

/** The province a region lies in (itself for a province); null for the country. */
export function provinceOf(region: Region): Region | null {
  let current: Region | null = region;
  while (current && current.level !== 'province') {
    if (current.level === 'national' || current.parent === null) return null;
    current = regionByCode(current.parent);
  }
  return current;
}

/** True when `inner` is `outer` or lies inside it (台州市 in 浙江省; everything in 全国). */
export function regionWithin(inner: Region, outer: Region): boolean {
  if (outer.level === 'national') return true;
  let current: Region | null = inner;
  while (current) {
    if (current.code === outer.code) return true;
    current = current.parent ? regionByCode(current.parent) : null;
  }
  return false;
}
