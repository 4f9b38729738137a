import { analyzeQuery } from '../keyword/translate.js';
import type { Issuer } from '../types.js';

function normalise(name: string): string {
  return name.replace(/[\s·・,，。、]/gu, '').toLowerCase();
}

const HAN = /\p{Script=Han}/u;

/**
 * Fuzzy issuer lookup: exact short/full name, then containment either way ("中小企业" → 中小企业局, "国办" is not
 * contained but "国务院办公厅" contains "办公厅"), then — for an English name — its dictionary translation
 * ("Ministry of Agriculture and Rural Affairs" → 农业农村部), then the issuer sharing the most characters (at
 * least two).
 */
export function resolveIssuer(name: string, issuers: readonly Issuer[]): Issuer | null {
  const wanted = normalise(name);
  if (!wanted) return null;
  const exact = issuers.find((d) => normalise(d.short) === wanted || normalise(d.full) === wanted);
  if (exact) return exact;
  const contained = issuers.filter(
    (d) => normalise(d.full).includes(wanted) || wanted.includes(normalise(d.short)),
  );
  if (contained.length === 1) return contained[0] ?? null;
  if (!HAN.test(wanted)) return byTranslation(name, issuers);
  let best: Issuer | null = null;
  let bestScore = 1;
  for (const d of issuers) {
    const chars = new Set(d.short);
    const score = [...new Set(wanted)].filter((c) => chars.has(c)).length;
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

/**
 * An English name through the query dictionary: the issuer whose name holds the most weight of the
 * translated terms, when that is at least one whole term.
 */
function byTranslation(name: string, issuers: readonly Issuer[]): Issuer | null {
  const terms = analyzeQuery(name, 'en').terms.filter((t) => HAN.test(t.term) && t.term.length >= 2);
  let best: Issuer | null = null;
  let bestScore = 0.79;
  for (const d of issuers) {
    const score = terms.filter((t) => d.full.includes(t.term)).reduce((sum, t) => sum + t.weight, 0);
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

/** Every issuer of the library, documents' and parts' alike, once each, in library order. */
export function libraryIssuers(
  documents: readonly { meta: { issuers: Issuer[] }; parts: { issuer: Issuer | null }[] }[],
): Issuer[] {
  const seen = new Map<string, Issuer>();
  for (const doc of documents) {
    const own = doc.parts.map((p) => p.issuer).filter((i): i is Issuer => i !== null);
    for (const issuer of own.length > 0 ? own : doc.meta.issuers) {
      if (!seen.has(issuer.full)) seen.set(issuer.full, issuer);
    }
  }
  return [...seen.values()];
}
