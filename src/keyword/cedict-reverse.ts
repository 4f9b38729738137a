import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * English gloss → simplified Chinese headwords, built offline from the CC-CEDICT data that ships with the
 * `cc-cedict` package. Building takes ~1 s (parse 11 MB + rank by jieba word frequency), so the compact
 * result is cached as JSON (default under the OS temp dir) and loaded in ~50 ms afterwards.
 */

/** Bump when the build rules change so stale caches are ignored. */
const FORMAT_VERSION = 2;
/** Candidates kept per English key, best first. */
const MAX_PER_KEY = 4;
const MAX_GLOSS_WORDS = 4;
const MAX_HEADWORD_CHARS = 6;

/** Normalised English gloss (singular, lower-case, space-joined) → headwords, best first. */
export type ReverseDictionary = ReadonlyMap<string, readonly string[]>;

type RawEntry = [string, string, string, string | string[], number[], number[]];

let cacheDir: string | null = join(tmpdir(), 'policybot-cache');
let loaded: ReverseDictionary | undefined;

/** Where the compact reverse dictionary is cached; null disables the on-disk cache. Resets the in-memory copy. */
export function setReverseDictionaryCacheDir(dir: string | null): void {
  cacheDir = dir;
  loaded = undefined;
}

/** The reverse dictionary (lazy; cached in memory and, when enabled, on disk). */
export function getReverseDictionary(): ReverseDictionary {
  if (loaded) return loaded;
  const dataFile = fileURLToPath(new URL('../data/all.js', import.meta.resolve('cc-cedict')));
  // Keyed by the data file's size and mtime: cc-cedict may refresh its data on install.
  const dataStat = statSync(dataFile);
  const cacheFile = cacheDir
    ? join(cacheDir, `cedict-en-zh-v${FORMAT_VERSION}-${dataStat.size}-${Math.floor(dataStat.mtimeMs)}.json`)
    : null;
  if (cacheFile) {
    try {
      const parsed = JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, string[]>;
      loaded = new Map(Object.entries(parsed));
      return loaded;
    } catch {
      // Missing or unreadable cache: rebuild below.
    }
  }
  loaded = buildReverseDictionary(readFileSync(dataFile, 'utf8'));
  if (cacheFile) {
    try {
      mkdirSync(dirname(cacheFile), { recursive: true });
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(Object.fromEntries(loaded)));
      renameSync(tmp, cacheFile);
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

/** Lower-cased, parentheses/brackets and sb/sth placeholders removed, leading "to"/articles removed, singular. */
export function normalizeGloss(gloss: string): string {
  const words = gloss
    .toLowerCase()
    .replace(/\([^)]*\)|\[[^\]]*\]/g, ' ')
    .replace(/\b(?:sb|sth|one)'s\b|\b(?:sb|sth|oneself)\b/g, ' ')
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

function loadJiebaFrequencies(): Map<string, number> {
  const file = fileURLToPath(new URL('dict.txt', import.meta.resolve('@node-rs/jieba')));
  const freq = new Map<string, number>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    freq.set(line.slice(0, space), Number.parseInt(line.slice(space + 1), 10) || 0);
  }
  return freq;
}

/** Builds the map from the raw `cc-cedict/data/all.js` text. Exported for tests. */
export function buildReverseDictionary(raw: string): Map<string, string[]> {
  const data = JSON.parse(raw.slice(raw.indexOf('{')).replace(/;?\s*$/, '')) as { all: RawEntry[] };
  const freq = loadJiebaFrequencies();
  const scored = new Map<string, Map<string, number>>();
  for (const entry of data.all) {
    const headword = entry[1];
    if (headword.length > MAX_HEADWORD_CHARS || !HAN_ONLY.test(headword)) continue;
    const meanings = Array.isArray(entry[3]) ? entry[3] : [entry[3]];
    const f = freq.get(headword) ?? 0;
    // Common words first: dictionary entries unknown to jieba are mostly rare, literary or regional.
    const base = Math.log10(f + 1) - (headword.length === 1 ? 1.5 : 0) - (f === 0 ? 1 : 0);
    meanings.forEach((meaning, meaningIndex) => {
      if (SKIP_MEANING.test(meaning.trim())) return;
      for (const gloss of meaning.split(';')) {
        const key = normalizeGloss(gloss);
        if (key.length === 0 || key.split(' ').length > MAX_GLOSS_WORDS) continue;
        // A gloss that is the entry's first meaning is its primary sense.
        const score = base + (meaningIndex === 0 ? 0.5 : 0) - meaningIndex * 0.1;
        let byHeadword = scored.get(key);
        if (!byHeadword) {
          byHeadword = new Map();
          scored.set(key, byHeadword);
        }
        const previous = byHeadword.get(headword);
        if (previous === undefined || score > previous) byHeadword.set(headword, score);
      }
    });
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
  return out;
}
