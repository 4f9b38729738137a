/**
 * Named prompt templates. Every model call goes through one of these, so prompts can be reviewed and
 * tested in one place. Passages are numbered [1]..[n] in the order given.
 */
import type { ChatMessage } from '../llm/LlmClient.js';
import type { Language, Turn } from '../types.js';

/** The exact line the model must reply with when the passages do not answer the question. */
export const REFUSAL_MARKER = 'NOT_COVERED';

export interface PromptPassage {
  n: number;
  issuer: string | null;
  section: string | null;
  text: string;
}

export interface PromptTemplate<V> {
  readonly name: string;
  render(vars: V): ChatMessage[];
}

function languageName(language: Language): string {
  return language === 'zh' ? 'Simplified Chinese' : 'English';
}

function numbered(passages: readonly PromptPassage[]): string {
  return passages
    .map((p) => {
      const meta = [p.issuer, p.section].filter(Boolean).join(' / ');
      return `[${p.n}]${meta ? ` (${meta})` : ''}\n${p.text}`;
    })
    .join('\n\n');
}

export const answerWithCitations: PromptTemplate<{
  question: string;
  language: Language;
  passages: readonly PromptPassage[];
  maxChars: number;
}> = {
  name: 'answer-with-citations',
  render: ({ question, language, passages, maxChars }) => [
    {
      role: 'system',
      content: [
        'You answer questions about Chinese government policy documents using ONLY the numbered passages provided.',
        `Rules:\n- Answer in ${languageName(language)}; quote Chinese policy wording verbatim where it helps.`,
        `- Every sentence that states a fact ends with the citation of the passage that supports it, like [1] or [2][3]. Only cite numbers 1..${passages.length}.`,
        '- Do not use outside knowledge and do not guess. Leave out anything the passages do not say.',
        `- Be concise: at most about ${maxChars} characters.`,
        `- If the passages do not answer the question, reply with exactly ${REFUSAL_MARKER} and nothing else.`,
      ].join('\n'),
    },
    { role: 'user', content: `Passages:\n\n${numbered(passages)}\n\nQuestion: ${question}` },
  ],
};

/**
 * A list question: the passages are the items of the list that answers it (found in the documents'
 * structure), in document order. The model must keep every item, one line each, with its citation.
 */
export const answerListWithCitations: PromptTemplate<{
  question: string;
  language: Language;
  /** Where the items are (《title》 › section), one per group, in the order of the passages. */
  sources: readonly string[];
  passages: readonly PromptPassage[];
}> = {
  name: 'answer-list-with-citations',
  render: ({ question, language, sources, passages }) => [
    {
      role: 'system',
      content: [
        'You answer questions about Chinese government policy documents using ONLY the numbered passages provided.',
        'Each numbered passage is one item of the list that answers the question, in the order of the document.',
        `Rules:
- Answer in ${languageName(language)}; quote Chinese policy wording verbatim where it helps.`,
        '- Open with one short lead-in line ending with a colon that names where the items come from.',
        `- Then write one line per item, each line starting with "- " and ending with the citation of its passage, like [1]. Keep EVERY item 1..${passages.length}, in the given order; do not merge, drop or add items.`,
        '- Each line restates its own passage only. Do not use outside knowledge and do not guess.',
        `- If the passages do not answer the question, reply with exactly ${REFUSAL_MARKER} and nothing else.`,
      ].join('\n'),
    },
    {
      role: 'user',
      content: `Sources: ${sources.join('; ')}\n\nPassages:\n\n${numbered(passages)}\n\nQuestion: ${question}`,
    },
  ],
};

export const rewriteFollowup: PromptTemplate<{ history: readonly Turn[]; question: string }> = {
  name: 'rewrite-followup',
  render: ({ history, question }) => [
    {
      role: 'system',
      content:
        'Rewrite the last user question of a conversation into one standalone question that can be understood without the conversation. Keep its language, keep issuer names, years and topics from earlier turns when the question refers to them. Reply with the rewritten question only.',
    },
    {
      role: 'user',
      content: `${history.map((t) => `${t.role === 'user' ? 'User' : 'Assistant'}: ${t.text}`).join('\n')}\nUser: ${question}\n\nStandalone question:`,
    },
  ],
};

/** Reply line prefixes of `rewriteSearchQueries`. */
export const SEARCH_QUERY_PREFIX = 'Q:';
export const HYPOTHETICAL_ANSWER_PREFIX = 'A:';

export const rewriteSearchQueries: PromptTemplate<{ question: string }> = {
  name: 'rewrite-search-queries',
  render: ({ question }) => [
    {
      role: 'system',
      content: `You turn a user's question about Chinese government policy documents into searches of those documents, which are written in formal Simplified Chinese. Reply with two or three lines starting with "${SEARCH_QUERY_PREFIX}", each a standalone keyword search in the documents' own formal Chinese wording (translate English questions; name the region, year and topic the question names), then one line starting with "${HYPOTHETICAL_ANSWER_PREFIX}": one sentence, in the same formal Chinese, of what the relevant clause of such a document might say. Nothing else.`,
    },
    { role: 'user', content: `Question: ${question}` },
  ],
};

export const summarizeIssuer: PromptTemplate<{
  issuer: string;
  language: Language;
  passages: readonly PromptPassage[];
}> = {
  name: 'summarize-issuer',
  render: ({ issuer, language, passages }) => [
    {
      role: 'system',
      content: [
        `Summarize ${issuer} using ONLY the numbered passages provided, in ${languageName(language)}.`,
        'Write headed lists that follow the text: one heading per main section or theme (for a plan that reviews one year and sets out the next, one heading per year, named with the year).',
        'Format: a heading line starting with "## ", then one bullet per line starting with "- ".',
        `Every bullet ends with the citation of its supporting passage, like [${passages[0]?.n ?? 1}]. Only cite the passage numbers shown. No outside knowledge.`,
      ].join('\n'),
    },
    { role: 'user', content: `Passages:\n\n${numbered(passages)}` },
  ],
};

export const summarizeReduce: PromptTemplate<{
  issuer: string;
  language: Language;
  partials: readonly string[];
}> = {
  name: 'summarize-reduce',
  render: ({ issuer, language, partials }) => [
    {
      role: 'system',
      content: [
        `Merge partial summaries of ${issuer} into one, in ${languageName(language)}.`,
        'Keep the format: "## " heading lines (merge headings that name the same section or year), one "- " bullet per line, each ending with its citation [n].',
        'Keep the citation numbers exactly as they appear in the partial summaries; drop duplicates; no new facts.',
      ].join('\n'),
    },
    {
      role: 'user',
      content: `Partial summaries:\n\n${partials.join('\n\n---\n\n')}`,
    },
  ],
};

export const compareDocuments: PromptTemplate<{
  before: string;
  after: string;
  language: Language;
  passages: readonly PromptPassage[];
  findings: readonly string[];
}> = {
  name: 'compare-documents',
  render: ({ before, after, language, passages, findings }) => [
    {
      role: 'system',
      content: [
        `Say what changed from ${before} (the earlier side, "A") to ${after} (the later side, "B") using ONLY the numbered passages provided, in ${languageName(language)}.`,
        'Write up to four headed lists: changed (numbers that moved, targets that became results), added (only in B), dropped (only in A), continued.',
        'Format: a heading line starting with "## ", then one bullet per line starting with "- ".',
        'Every bullet ends with the citations of the passages it rests on, from both sides when it compares them, like [1][2]. Only cite the passage numbers shown.',
        'Quote numbers exactly as the passages write them, with their units. No outside knowledge, no guesses.',
      ].join('\n'),
    },
    {
      role: 'user',
      content: `Passages:\n\n${numbered(passages)}\n\nAligned findings (from matching the two sides):\n${findings.join('\n')}`,
    },
  ],
};

/** All templates by name. */
export const TEMPLATES = {
  [answerWithCitations.name]: answerWithCitations,
  [answerListWithCitations.name]: answerListWithCitations,
  [rewriteFollowup.name]: rewriteFollowup,
  [rewriteSearchQueries.name]: rewriteSearchQueries,
  [summarizeIssuer.name]: summarizeIssuer,
  [summarizeReduce.name]: summarizeReduce,
  [compareDocuments.name]: compareDocuments,
} as const;
