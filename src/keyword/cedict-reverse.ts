import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * English gloss → simplified Chinese headwords, and the reverse (headword → its English senses), built offline
 * from the CC-CEDICT data that ships with the `cc-cedict` package. Building takes ~1 s (parse 11 MB + rank by
 * jieba word frequency), so the compact result is cached as JSON (default under the OS temp dir) and loaded in
 * ~100 ms afterwards. Place names are keyed by their English name ("Sichuan Province, capital …" → sichuan →
 * 四川), so an English question's region is translated like any other word.
 */

/** Bump when the build rules change so stale caches are ignored. */
const FORMAT_VERSION = 5;
/** English senses kept per headword (from its first meanings), for shared-sense expansion. */
const MAX_SENSES = 4;
/** Candidates kept per English key, best first: the primary ones, then the rarer senses. */
const MAX_PER_KEY = 8;
/**
 * The candidates that translate and expand a key; the rest are senses a library may still use when it holds
 * none of these ("fine" → 优良, 精细, 精美, 良好; a law's 罚款 is the fifth: library-senses.ts).
 */
export const PRIMARY_PER_KEY = 4;
const MAX_GLOSS_WORDS = 4;
const MAX_HEADWORD_CHARS = 6;

/** Normalised English gloss (singular, lower-case, space-joined) → headwords, best first. */
export type ReverseDictionary = ReadonlyMap<string, readonly string[]>;

/** Simplified headword → its normalised English senses, primary sense first. */
export type SenseDictionary = ReadonlyMap<string, readonly string[]>;

type RawEntry = [string, string, string, string | string[], number[], number[]];

interface Dictionaries {
  reverse: Map<string, string[]>;
  senses: Map<string, string[]>;
}

let cacheDir: string | null = join(tmpdir(), 'policybot-cache');
let loaded: Dictionaries | undefined;

/** Where the compact reverse dictionary is cached; null disables the on-disk cache. Resets the in-memory copy. */
export function setReverseDictionaryCacheDir(dir: string | null): void {
  cacheDir = dir;
  loaded = undefined;
}

/** The reverse dictionary (lazy; cached in memory and, when enabled, on disk). */
export function getReverseDictionary(): ReverseDictionary {
  return getDictionaries().reverse;
}

/** Headword → English senses (lazy, built and cached with the reverse dictionary). */
export function getSenseDictionary(): SenseDictionary {
  return getDictionaries().senses;
}

function getDictionaries(): Dictionaries {
  if (loaded) return loaded;
  const dataFile = fileURLToPath(new URL('../data/all.js', import.meta.resolve('cc-cedict')));
  // Keyed by the data file's size and mtime: cc-cedict may refresh its data on install.
  const dataStat = statSync(dataFile);
  const cacheFile = cacheDir
    ? join(cacheDir, `cedict-en-zh-v${FORMAT_VERSION}-${dataStat.size}-${Math.floor(dataStat.mtimeMs)}.json`)
    : null;
  if (cacheFile) {
    try {
      const parsed = JSON.parse(readFileSync(cacheFile, 'utf8')) as {
        reverse: Record<string, string[]>;
        senses: Record<string, string[]>;
      };
      loaded = {
        reverse: new Map(Object.entries(parsed.reverse)),
        senses: new Map(Object.entries(parsed.senses)),
      };
      return loaded;
    } catch {
      // Missing or unreadable cache: rebuild below.
    }
  }
  loaded = buildDictionaries(readFileSync(dataFile, 'utf8'));
  if (cacheFile) {
    try {
      mkdirSync(dirname(cacheFile), { recursive: true });
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(
        tmp,
        JSON.stringify({
          reverse: Object.fromEntries(loaded.reverse),
          senses: Object.fromEntries(loaded.senses),
        }),
      );
      renameSync(tmp, cacheFile);
      // Caches of earlier rules or data are never read again.
      for (const name of readdirSync(dirname(cacheFile))) {
        if (name.startsWith('cedict-en-zh-') && name.endsWith('.json') && name !== basename(cacheFile))
          rmSync(join(dirname(cacheFile), name), { force: true });
      }
    } catch {
      // A read-only or full disk only costs a rebuild next start; translation still works.
    }
  }
  return loaded;
}

/** English plural → singular, conservatively ("businesses" → "business", "companies" → "company"). */
export function singular(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses') || /(?:x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !/(?:ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/**
 * Lower-cased, parentheses/brackets and sb/sth placeholders removed, possessive 's dropped ("New Year's Day" →
 * "new year day", as a question's words are read), leading "to"/articles removed, singular.
 */
export function normalizeGloss(gloss: string): string {
  const words = gloss
    .toLowerCase()
    .replace(/\([^)]*\)|\[[^\]]*\]/g, ' ')
    .replace(/\b(?:sb|sth|one)['’]s\b|\b(?:sb|sth|oneself)\b/g, ' ')
    .replace(/['’]s\b/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  while (words.length > 0 && ['to', 'a', 'an', 'the'].includes(words[0] ?? '')) words.shift();
  return words.map(singular).join(' ');
}

const SKIP_MEANING =
  /^(?:surname|(?:old |archaic |euphemistic |erhua )?variant of|see |used in|also written|also pr|abbr\. for|cl:|classifier|pr\.|\(tw\)|\(taiwan|\(cantonese|\(dialect|\(old\)|\(archaic|\(literary|\(classical|\(slang|\(internet slang|\(vulgar|\(onom)/i;
const HAN_ONLY = /^\p{Script=Han}+$/u;

/** jieba's dictionary: word → corpus frequency. */
export function loadJiebaFrequencies(): Map<string, number> {
  const file = fileURLToPath(new URL('dict.txt', import.meta.resolve('@node-rs/jieba')));
  const freq = new Map<string, number>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    freq.set(line.slice(0, space), Number.parseInt(line.slice(space + 1), 10) || 0);
  }
  return freq;
}

/**
 * "Sichuan Province, capital …", "Beijing municipality, …", "Taizhou, prefecture-level city in …",
 * "Guangxi Zhuang Autonomous Region, …": the English name of an administrative division.
 */
const PLACE_GLOSS =
  /^((?:[A-Z][a-z]+)(?: [A-Z][a-z]+)?)(?: Zhuang| Hui| Uyghur| Uighur)?(?: (?:Province|province|municipality|Autonomous Region|Special Administrative Region)\b|, (?:prefecture-level|county-level|sub-provincial) city\b)/;
/** An administrative suffix a place's everyday name drops (四川省 → 四川, 台州市 → 台州). */
const PLACE_SUFFIX = /(?:(?:壮族|回族|维吾尔)?自治区|特别行政区|省|市)$/u;
/** A place's own name outranks any other word glossed with it ("Sichuan" → 四川, not 巴蜀). */
const PLACE_SCORE = 100;

/** Builds the English → headwords map from the raw `cc-cedict/data/all.js` text. Exported for tests. */
export function buildReverseDictionary(raw: string): Map<string, string[]> {
  return buildDictionaries(raw).reverse;
}

function buildDictionaries(raw: string): Dictionaries {
  const data = JSON.parse(raw.slice(raw.indexOf('{')).replace(/;?\s*$/, '')) as { all: RawEntry[] };
  const freq = loadJiebaFrequencies();
  const scored = new Map<string, Map<string, number>>();
  const senses = new Map<string, string[]>();
  const addScore = (key: string, headword: string, score: number) => {
    let byHeadword = scored.get(key);
    if (!byHeadword) {
      byHeadword = new Map();
      scored.set(key, byHeadword);
    }
    const previous = byHeadword.get(headword);
    if (previous === undefined || score > previous) byHeadword.set(headword, score);
  };
  for (const entry of data.all) {
    const headword = entry[1];
    if (headword.length > MAX_HEADWORD_CHARS + 2 || !HAN_ONLY.test(headword)) continue;
    const meanings = Array.isArray(entry[3]) ? entry[3] : [entry[3]];
    const place = PLACE_GLOSS.exec(meanings[0]?.trim() ?? '');
    if (place?.[1]) {
      const short = headword.replace(PLACE_SUFFIX, '');
      addScore(normalizeGloss(place[1]), short.length >= 2 ? short : headword, PLACE_SCORE);
    }
    if (headword.length > MAX_HEADWORD_CHARS) continue;
    const f = freq.get(headword) ?? 0;
    // Common words first: dictionary entries unknown to jieba are mostly rare, literary or regional.
    const base = Math.log10(f + 1) - (headword.length === 1 ? 1.5 : 0) - (f === 0 ? 1 : 0);
    const own = senses.get(headword) ?? [];
    meanings.forEach((meaning, meaningIndex) => {
      if (SKIP_MEANING.test(meaning.trim())) return;
      for (const gloss of meaning.split(';')) {
        const key = normalizeGloss(gloss);
        if (key.length === 0 || key.split(' ').length > MAX_GLOSS_WORDS) continue;
        // A gloss that is the entry's first meaning is its primary sense.
        addScore(key, headword, base + (meaningIndex === 0 ? 0.5 : 0) - meaningIndex * 0.1);
        if (f > 0 && own.length < MAX_SENSES && !own.includes(key)) own.push(key);
      }
    });
    if (own.length > 0) senses.set(headword, own);
  }
  const out = new Map<string, string[]>();
  for (const [key, byHeadword] of scored) {
    out.set(
      key,
      [...byHeadword.entries()]
        .sort((a, b) => b[1] - a[1] || a[0].length - b[0].length)
        .slice(0, MAX_PER_KEY)
        .map(([headword]) => headword),
    );
  }
  return { reverse: out, senses };
}
