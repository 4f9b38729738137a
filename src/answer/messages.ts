/** Fixed user-facing lines of the answer layer, in both languages. */
import type { Language, MissingScope } from '../types.js';

export const NOTICE_LLM_UNAVAILABLE: Record<Language, string> = {
  zh: '语言模型暂时不可用，以下为摘录式回答。',
  en: 'The language model was unavailable; this is an extractive answer.',
};

export const NOTICE_LLM_UNVERIFIED: Record<Language, string> = {
  zh: '语言模型的回答未能通过引用核验，以下为摘录式回答。',
  en: "The language model's answer failed citation checks; this is an extractive answer.",
};

/** Refusal text; `suggestions` are nearby issuers/topics from the weak hits. */
export function refusalText(language: Language, suggestions: readonly string[]): string {
  if (language === 'zh') {
    const base = '抱歉，现有政策文件中没有涉及这个问题的内容。';
    return suggestions.length > 0 ? `${base}您可以试着问问这些相关主题：${suggestions.join('；')}。` : base;
  }
  const base = "Sorry, the policy documents don't cover this question.";
  return suggestions.length > 0
    ? `${base} Nearby topics you could ask about: ${suggestions.join('; ')}.`
    : base;
}

function yearRange(years: readonly number[], dash: string): string {
  if (years.length === 0) return '';
  const first = years[0] as number;
  const last = years[years.length - 1] as number;
  return first === last ? String(first) : `${first}${dash}${last}`;
}

/** Why a question is refused when it names a region, year or 文号 the library does not have. */
export function missingScopeText(language: Language, missing: MissingScope): string {
  const zh = language === 'zh';
  switch (missing.kind) {
    case 'region': {
      const named = missing.named.join(zh ? '、' : ', ');
      const covered = missing.covered.join(zh ? '、' : ', ');
      return zh
        ? `抱歉，文件库中没有${named}的文件${covered ? `（现有：${covered}）` : ''}，无法回答这个问题。`
        : `Sorry, the library has no documents of ${named}${covered ? ` (it covers ${covered})` : ''}, so this cannot be answered.`;
    }
    case 'doc-number':
      return zh
        ? `抱歉，文件库中没有${missing.named.join('、')}。`
        : `Sorry, the library does not hold ${missing.named.join(', ')}.`;
    case 'year': {
      const covered = yearRange(missing.covered, zh ? '—' : '–');
      const named = missing.named.join(zh ? '、' : ', ');
      return zh
        ? `抱歉，相关文件涉及的是${covered}年，没有${named}年的内容。`
        : `Sorry, the documents that cover this are about ${covered}, not ${named}.`;
    }
    case 'variant':
      if (missing.covered.length === 0) {
        return zh
          ? `抱歉，相关文件没有涉及${missing.named.join('、')}。`
          : `Sorry, the documents that cover this do not speak of ${missing.named.join(', ')}.`;
      }
      return zh
        ? `抱歉，相关文件讲的是${missing.covered.join('、')}，没有涉及${missing.named.join('、')}。`
        : `Sorry, the documents that cover this speak of ${missing.covered.join(', ')}, not ${missing.named.join(', ')}.`;
  }
}

/** Prepended when a named region has no document of its own and the answer comes from national documents. */
export function nationalInsteadNotice(language: Language, regions: readonly string[]): string {
  return language === 'zh'
    ? `文件库中没有${regions.join('、')}的文件，以下是全国性文件的规定。`
    : `The library has no documents of ${regions.join(', ')}; this answer comes from national documents.`;
}
