import { ErrorCode, InputError } from '../errors/index.js';
import type { CompareRequest } from '../types.js';
import type { AskLimits } from './ask-request.js';

/** The JSON body of `POST /api/compare`: `after` empty or absent compares `before`'s results with its targets. */
export interface CompareRequestBody {
  before: string;
  after?: string | null;
  language?: 'zh' | 'en';
}

function target(value: unknown, name: string, limits: AskLimits, required: boolean): string | null {
  if (value === undefined || value === null || (!required && value === '')) {
    if (required)
      throw new InputError(`"${name}" is required: a document id, title, 文号 or issuer (and a year).`);
    return null;
  }
  if (typeof value !== 'string' || value.trim() === '')
    throw new InputError(`"${name}" must be a non-empty string.`);
  if ([...value].length > limits.maxQuestionChars) {
    throw new InputError(
      `"${name}" is longer than ${limits.maxQuestionChars} characters.`,
      ErrorCode.InputTooLong,
    );
  }
  return value.trim();
}

/** Validates a compare body; `InputError` (→ 400/413) with a message for the caller. */
export function parseCompareRequest(body: unknown, limits: AskLimits): Omit<CompareRequest, 'requestId'> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InputError('The body must be a JSON object {"before": string, "after"?: string}.');
  }
  const b = body as Record<string, unknown>;
  const language = b.language;
  if (language !== undefined && language !== 'zh' && language !== 'en') {
    throw new InputError('"language" must be "zh" or "en".');
  }
  return {
    before: target(b.before, 'before', limits, true) as string,
    after: target(b.after, 'after', limits, false),
    ...(language ? { language } : {}),
  };
}
