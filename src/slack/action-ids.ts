/** Block Kit action ids this app listens for (kept in one place so renderers and listeners agree). */
export const ActionId = {
  FeedbackUp: 'policybot_feedback_up',
  FeedbackDown: 'policybot_feedback_down',
  ShareAnswer: 'policybot_share_answer',
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
