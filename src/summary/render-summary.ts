import type { Citation, Department, Language, Summary } from '../types.js';
import type { CitedDepartmentSummary } from './types.js';

/** Plain-text rendering with [n] markers, in the summary's language. */
export function renderDepartment(part: CitedDepartmentSummary, language: Language, offset = 0): string {
  const d = part.department;
  const lines = [
    language === 'zh'
      ? `${d.short}（${d.full}）：《${part.articleTitle}》`
      : `${d.short} (${d.full}): “${part.articleTitle}”`,
  ];
  for (const section of part.sections) {
    lines.push(language === 'zh' ? `${section.heading}：` : `${section.heading}:`);
    for (const b of section.bullets) {
      const marks = b.citations.map((n) => `[${n + offset}]`).join('');
      lines.push(`- ${b.text}${language === 'zh' ? '' : ' '}${marks}`);
    }
  }
  return lines.join('\n');
}

/**
 * Combines department summaries into one `Summary`; citations are renumbered consecutively across
 * departments (department i's [n] becomes [n + citations before it]).
 */
export function buildSummary(
  department: Department | null,
  parts: readonly CitedDepartmentSummary[],
  language: Language,
): Summary {
  const citations: Citation[] = [];
  const texts: string[] = [];
  const departments = parts.map((part) => {
    const offset = citations.length;
    for (const c of part.citations) citations.push({ ...c, n: c.n + offset });
    texts.push(renderDepartment(part, language, offset));
    return {
      department: part.department,
      articleTitle: part.articleTitle,
      sections: part.sections.map((s) => ({
        heading: s.heading,
        bullets: s.bullets.map((b) => ({ text: b.text, citations: b.citations.map((n) => n + offset) })),
      })),
    };
  });
  const mode = parts.length > 0 && parts.every((p) => p.mode === 'llm') ? 'llm' : 'extractive';
  return { department, language, mode, departments, citations, text: texts.join('\n\n') };
}
