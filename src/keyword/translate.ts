import type { Language } from '../types.js';
import { getReverseDictionary, getSenseDictionary, PRIMARY_PER_KEY, singular } from './cedict-reverse.js';
import { characterCompounds } from './char-compounds.js';
import { forEachToken } from './segmenter.js';
import { EN_STOPWORDS, EN_WEAK_WORDS, ZH_QUESTION_WORDS, ZH_WEAK_WORDS } from './stopwords.js';
import type { QueryAnalysis, QueryTerm, QueryTermSource } from './types.js';

/**
 * Question → weighted keyword terms. Chinese questions are segmented like the index; English questions are
 * translated offline through the reversed CC-CEDICT dictionary (phrases first, then single content words), while
 * Latin tokens such as "5G"/"IPv6" and any Chinese inside the question are kept as they are.
 */

const HAN_CHAR = /\p{Script=Han}/gu;
const LATIN_LETTER = /[A-Za-z]/g;
const HAN_RUN = /\p{Script=Han}+/gu;

/** 'zh' when Han characters carry at least as much of the text as Latin letters (one Han ≈ two letters). */
export function detectLanguage(text: string): Language {
  const han = text.match(HAN_CHAR)?.length ?? 0;
  const latin = text.match(LATIN_LETTER)?.length ?? 0;
  if (han === 0) return 'en';
  return han * 2 >= latin ? 'zh' : 'en';
}

/** Weights: a segmenter word counts fully, a bigram of a longer word half, single Han characters little. */
const WEIGHT = {
  word: 1,
  bigram: 0.5,
  singleHan: 0.3,
  weak: 0.3,
  number: 0.5,
  latinCode: 1.5,
  phrase: 1,
  quoted: 2,
  /** Per rank of a dictionary candidate: the best translation counts most. */
  candidate: [0.8, 0.6, 0.45] as const,
} as const;

/** Max translations used per English word or phrase. */
const MAX_CANDIDATES = WEIGHT.candidate.length;
const MAX_PHRASE_WORDS = 4;
/** Quoted Chinese terms (“…”, 「…」, "…"); 《》 name documents and are handled by the query scope. */
const QUOTED = /[“「"]([^”」"]{2,})[”」"]/gu;
/** A longer quotation is a phrase to find, not one term to stress. */
const MAX_QUOTED_CHARS = 12;

/**
 * Tiny general-English thesaurus: the dictionary glosses say "enterprise" where questions say "business".
 * Generic vocabulary only, nothing corpus- or question-specific.
 */
const EN_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  business: ['enterprise'],
  company: ['enterprise'],
  firm: ['enterprise'],
  sme: ['small and medium enterprise'],
  smes: ['small and medium enterprise'],
  car: ['vehicle'],
  tech: ['technology'],
  telecom: ['telecommunication'],
};

/**
 * Synonyms tried inside phrases only: "the New Year holiday" is glossed "New Year's Day" (元旦), "the Labor Day
 * holiday" "Labor Day"; alone, "holiday" is 假期, not 日.
 */
const EN_PHRASE_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  holiday: ['day'],
};

class TermCollector {
  private readonly terms = new Map<string, QueryTerm>();

  /** `of`: for a translation, the English word or phrase it translates (its concept). */
  add(term: string, weight: number, source: QueryTermSource, of?: string): void {
    if (weight <= 0 || term.length === 0) return;
    const previous = this.terms.get(term);
    if (!previous) {
      this.terms.set(term, of === undefined ? { term, weight, source } : { term, weight, source, of });
    } else if (weight > previous.weight) {
      // The question's own wording wins ties of provenance: it is what the user typed.
      previous.weight = weight;
      if (previous.source !== 'query') previous.source = source;
    }
  }

  /** Segments Chinese (or mixed) text and adds its tokens, scaled by `scale`. */
  addText(text: string, scale: number, source: QueryTermSource, of?: string): void {
    // Bigrams follow their word; those of a question word ("什么样" → "么样") are as empty as the word.
    let inQuestionWord = false;
    forEachToken(text, (token, kind) => {
      if (kind === 'word') inQuestionWord = isQuestionWord(token);
      else if (inQuestionWord) return;
      // A bigram of a translation is not the translation: it does not stand for the English word's concept.
      this.add(token, scale * tokenWeight(token, kind), source, kind === 'word' ? of : undefined);
    });
  }

  result(): QueryTerm[] {
    return [...this.terms.values()].sort((a, b) => b.weight - a.weight);
  }
}

/** Interrogatives and words built on them ("哪类", "由谁来", "什么样"). */
const QUESTION_MORPHEME = /谁|什么|哪|怎|如何|多少|为何|何种|吗|呢/;

/** 几 with a classifier asks a number (第几次, 几个, 几天); 几乎 and 几何 do not, nor 几年 (今后几年: a few years). */
const HOW_MANY = /^第?几[个次月日天号批项条种类家名人届期岁倍成点十百千万亿]?$/u;

function isQuestionWord(token: string): boolean {
  return ZH_QUESTION_WORDS.has(token) || QUESTION_MORPHEME.test(token) || HOW_MANY.test(token);
}

function tokenWeight(token: string, kind: 'word' | 'bigram'): number {
  if (kind === 'word' && isQuestionWord(token)) return 0;
  if (ZH_WEAK_WORDS.has(token)) return WEIGHT.weak;
  if (/^\d+$/.test(token)) return WEIGHT.number;
  if (/^[a-z0-9]+$/.test(token)) return /\d/.test(token) ? WEIGHT.latinCode : WEIGHT.word;
  if (kind === 'bigram') return WEIGHT.bigram;
  return token.length === 1 ? WEIGHT.singleHan : WEIGHT.word;
}

/** Dictionary keys to try for one English word: as typed, singular, then simple -ed/-ing stems. */
function wordVariants(word: string): string[] {
  const variants = [word, singular(word)];
  const stem = word.replace(/(?:ed|ing)$/, '');
  if (stem !== word && stem.length >= 3) {
    variants.push(stem, `${stem}e`);
    if (/([b-df-hj-np-tv-z])\1$/.test(stem)) variants.push(stem.slice(0, -1));
  }
  return [...new Set(variants)];
}

/** A key's primary candidates, or (`all`) every sense kept for it. */
function lookup(key: string, all = false): readonly string[] {
  const found = getReverseDictionary().get(key) ?? [];
  return all ? found : found.slice(0, PRIMARY_PER_KEY);
}

/** Headwords for an English phrase (2+ words), trying synonyms of its words; [] when none. */
function lookupPhrase(words: readonly string[], all = false): readonly string[] {
  const keys = [words.map(singular).join(' ')];
  words.forEach((word, i) => {
    const singularWord = singular(word);
    for (const synonym of [
      ...(EN_SYNONYMS[singularWord] ?? []),
      ...(EN_PHRASE_SYNONYMS[singularWord] ?? []),
    ]) {
      keys.push([...words.slice(0, i).map(singular), synonym, ...words.slice(i + 1).map(singular)].join(' '));
    }
  });
  const found: string[] = [];
  for (const key of keys)
    for (const headword of lookup(key, all)) if (!found.includes(headword)) found.push(headword);
  return found;
}

function lookupWord(word: string, all = false): readonly string[] {
  for (const variant of wordVariants(word)) {
    const direct = lookup(variant, all);
    const viaSynonyms = (EN_SYNONYMS[variant] ?? []).flatMap((key) => lookup(key, all));
    // Synonyms first: they exist because the literal gloss maps to the wrong sense (business → 事情).
    const found = [...new Set([...viaSynonyms, ...direct])];
    if (found.length > 0) return found;
  }
  return [];
}

/** The words of an English question as typed (possessives dropped: "Sichuan's" → "Sichuan"). */
export function englishWords(text: string): string[] {
  return (text.normalize('NFKC').match(/[A-Za-z0-9]+(?:['’][A-Za-z]+)?/g) ?? []).map((w) =>
    w.replace(/['’].*$/, ''),
  );
}

function analyzeEnglish(text: string, collector: TermCollector): void {
  // Chinese written inside an English question ("connected vehicles (车联网)") is the best evidence there is.
  for (const run of text.match(HAN_RUN) ?? []) collector.addText(run, 1.2, 'query');

  const words = englishWords(text);
  const lower = words.map((w) => w.toLowerCase());
  const covered = new Array<boolean>(lower.length).fill(false);

  lower.forEach((word, i) => {
    // Model numbers and acronyms with digits ("5G", "IPv6", "R17") are written the same way in Chinese text.
    if (/\d/.test(word) && /[a-z]/.test(word)) {
      collector.add(word, WEIGHT.latinCode, 'query');
      covered[i] = true;
    } else if (/^\d+$/.test(word)) {
      collector.add(word, WEIGHT.number, 'query');
      covered[i] = true;
    } else if (/^[A-Z]{2,6}$/.test(words[i] ?? '') && !EN_STOPWORDS.has(word)) {
      // Acronyms (AI, GDP, SME) often appear verbatim in Chinese policy text too.
      collector.add(word, WEIGHT.word, 'query');
    }
  });

  // Longest phrases first; a phrase may contain inner function words ("small and medium enterprises").
  for (let n = Math.min(MAX_PHRASE_WORDS, lower.length); n >= 2; n--) {
    for (let i = 0; i + n <= lower.length; i++) {
      const slice = lower.slice(i, i + n);
      if (covered.slice(i, i + n).some(Boolean)) continue;
      if (EN_STOPWORDS.has(slice[0] ?? '') || EN_STOPWORDS.has(slice[n - 1] ?? '')) continue;
      const headwords = lookupPhrase(slice).slice(0, MAX_CANDIDATES);
      if (headwords.length === 0) continue;
      const phrase = slice.join(' ');
      for (const headword of headwords) collector.addText(headword, WEIGHT.phrase, 'translation', phrase);
      for (let j = i; j < i + n; j++) covered[j] = true;
    }
  }

  lower.forEach((word, i) => {
    if (covered[i] || EN_STOPWORDS.has(word) || word.length < 2) return;
    const scale = EN_WEAK_WORDS.has(word) ? WEIGHT.weak : 1;
    lookupWord(word)
      .slice(0, MAX_CANDIDATES)
      .forEach((headword, rank) => {
        collector.addText(headword, scale * (WEIGHT.candidate[rank] ?? 0), 'translation', word);
      });
  });
}

/**
 * Every dictionary sense of an English word or phrase of the question (a translation term's `of`), primary ones
 * first, then the rarer ones the analysis leaves out (library-senses.ts).
 */
export function senseCandidates(of: string): readonly string[] {
  const words = of.split(' ');
  if (words.length > 1) return lookupPhrase(words, true);
  // Every variant's senses: "working" is 加工/运作 as typed, 工作 as "work".
  const found: string[] = [];
  for (const variant of wordVariants(of))
    for (const w of lookupWord(variant, true)) if (!found.includes(w)) found.push(w);
  return found;
}

/**
 * Turns a question into weighted index terms. `language` defaults to `detectLanguage(text)`.
 * Never throws; an empty or punctuation-only question yields no terms.
 */
export function analyzeQuery(text: string, language?: Language): QueryAnalysis {
  const lang = language ?? detectLanguage(text);
  const collector = new TermCollector();
  if (lang === 'zh') collector.addText(text, 1, 'query');
  else analyzeEnglish(text, collector);
  // A term the asker put in quotation marks (“医护比”) is the one they look for; it outweighs the question's
  // other words, which passages dense in the topic's vocabulary would otherwise win on.
  for (const [, quoted] of text.matchAll(QUOTED)) {
    if (quoted && quoted.length <= MAX_QUOTED_CHARS) collector.addText(quoted, WEIGHT.quoted, 'query');
  }
  return { language: lang, terms: collector.result() };
}

/**
 * Loads the segmenter, the translation dictionary, the sense dictionary of query expansion and the
 * one-character compounds (char-compounds.ts) now, so the
 * first question is not slow (a slow first question can spend its whole LLM budget before the model call).
 */
export function warmUpQueryAnalysis(): void {
  analyzeQuery('warm up 预热');
  getSenseDictionary();
  characterCompounds('预');
}
