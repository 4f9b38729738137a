/** Block Kit action ids this app listens for (kept in one place so renderers and listeners agree). */
export const ActionId = {
  FeedbackUp: 'policybot_feedback_up',
  FeedbackDown: 'policybot_feedback_down',
  ShareAnswer: 'policybot_share_answer',
  /** "Ask about it" on a new-document digest: the document's summary in a thread. */
  DigestAsk: 'policybot_digest_ask',
} as const;

export type ActionIdValue = (typeof ActionId)[keyof typeof ActionId];

/** Slack caps a button `value` at 2,000 characters. */
const MAX_BUTTON_VALUE = 2000;

/** What a feedback or share button carries: enough to log the vote or re-post the answer. */
export interface AnswerRef {
  answerId: string;
  question: string;
}

/** Serialises an {@link AnswerRef} into a button value, shortening the question to fit Slack's limit. */
export function encodeAnswerRef(ref: AnswerRef): string {
  let question = ref.question;
  for (;;) {
    const value = JSON.stringify({ a: ref.answerId, q: question });
    if (value.length <= MAX_BUTTON_VALUE) return value;
    question = question.slice(0, Math.max(0, question.length - (value.length - MAX_BUTTON_VALUE) - 1));
  }
}

/** Parses a button value written by {@link encodeAnswerRef}; null when it is not one. */
export function decodeAnswerRef(value: string | undefined): AnswerRef | null {
  if (!value) return null;
  try {
    const parsed = JSON.parse(value) as { a?: unknown; q?: unknown };
    if (typeof parsed.a !== 'string' || typeof parsed.q !== 'string') return null;
    return { answerId: parsed.a, question: parsed.q };
  } catch {
    return null;
  }
}

/** What a digest's "Ask about it" button carries: the document (id and content version) and its question. */
export interface DigestRef {
  docId: string;
  question: string;
}

/** Serialises a {@link DigestRef}; a document id never comes near Slack's 2,000 characters, the question is cut. */
export function encodeDigestRef(ref: DigestRef): string {
  let question = ref.question;
  for (;;) {
    const value = JSON.stringify({ d: ref.docId, q: question });
    if (value.length <= MAX_BUTTON_VALUE || question === '') return value.slice(0, MAX_BUTTON_VALUE);
    question = question.slice(0, Math.max(0, question.length - (value.length - MAX_BUTTON_VALUE) - 1));
  }
}

/** Parses a button value written by {@link encodeDigestRef}; null when it is not one. */
export function decodeDigestRef(value: string | undefined): DigestRef | null {
  if (!value) return null;
  try {
    const parsed = JSON.parse(value) as { d?: unknown; q?: unknown };
    if (typeof parsed.d !== 'string' || typeof parsed.q !== 'string') return null;
    return { docId: parsed.d, question: parsed.q };
  } catch {
    return null;
  }
}
