/** Fixed user-facing lines of the answer layer, in both languages. */
import type { Language } from '../types.js';

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
