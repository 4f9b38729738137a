import type { Department } from '../types.js';

/**
 * English names and acronyms people use for ministry units, mapped to the Chinese words in their names.
 * Not a list of our documents' departments: any unit whose name contains the Chinese word matches.
 */
const ENGLISH_ALIASES: [RegExp, string][] = [
  [/\bsmes?\b|small (and|&) medium|small business|small enterprise/i, '中小企业'],
  [/science (and|&) technology|\bs&t\b|\btechnology\b/i, '科技'],
  [/electronic/i, '电子信息'],
  [/information (and|&) communication|telecom|\bict\b|communications/i, '信息通信'],
  [/industry (and|&) information|\bmiit\b/i, '工业和信息化'],
  [/energy/i, '能源'],
  [/finance|fiscal/i, '财政'],
  [/environment/i, '环境'],
];

function normalise(name: string): string {
  return name.replace(/[\s·・,，。]/g, '').toLowerCase();
}

/**
 * Fuzzy department lookup: exact short/full name, then containment either way ("中小企业" → 中小企业局),
 * then English aliases, then the department sharing the most characters (at least two).
 */
export function resolveDepartment(name: string, departments: Department[]): Department | null {
  const wanted = normalise(name);
  if (!wanted) return null;
  const exact = departments.find((d) => normalise(d.short) === wanted || normalise(d.full) === wanted);
  if (exact) return exact;
  const contained = departments.filter(
    (d) => normalise(d.full).includes(wanted) || wanted.includes(normalise(d.short)),
  );
  if (contained.length === 1) return contained[0] ?? null;
  for (const [pattern, chinese] of ENGLISH_ALIASES) {
    if (pattern.test(name)) {
      const match = departments.find((d) => d.short.includes(chinese));
      if (match) return match;
    }
  }
  if (!/\p{Script=Han}/u.test(wanted)) return null;
  let best: Department | null = null;
  let bestScore = 1;
  for (const d of departments) {
    const chars = new Set(d.short);
    const score = [...new Set(wanted)].filter((c) => chars.has(c)).length;
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}
