import { ErrorCode, InputError } from '../errors/index.js';
import type { Language, Question, Turn } from '../types.js';

/** The JSON body of `POST /api/ask` and `POST /api/ask/stream`. */
export interface AskRequestBody {
  question: string;
  /** Short, full or fuzzy issuer name; empty or "all" means no filter. */
  issuer?: string | null;
  /** A document: id, 文号 or title (or a fragment of one); empty means no filter. */
  doc?: string | null;
  /** Only documents about this year (their date's, 文号's or title's). */
  year?: number | string | null;
  /** Earlier turns, oldest first, so follow-ups can be rewritten into standalone queries. */
  history?: Turn[];
  language?: Language;
}

export interface AskLimits {
  maxQuestionChars: number;
}

/** More turns than this is not a conversation a follow-up rewrite can use; refuse rather than truncate. */
export const MAX_HISTORY_TURNS = 50;
const MAX_DEPARTMENT_CHARS = 100;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Characters as people count them (code points), so a CJK question is not penalised for surrogates. */
function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

function parseHistory(value: unknown, maxTurnChars: number): Turn[] {
  if (!Array.isArray(value)) throw new InputError('"history" must be an array of {role, text} turns.');
  if (value.length > MAX_HISTORY_TURNS) {
    throw new InputError(`"history" has ${value.length} turns; at most ${MAX_HISTORY_TURNS} are accepted.`);
  }
  return value.map((turn, i) => {
    if (
      !isRecord(turn) ||
      (turn.role !== 'user' && turn.role !== 'assistant') ||
      typeof turn.text !== 'string'
    ) {
      throw new InputError(`"history[${i}]" must be {"role": "user" | "assistant", "text": string}.`);
    }
    if (charCount(turn.text) > maxTurnChars) {
      throw new InputError(
        `"history[${i}].text" is longer than ${maxTurnChars} characters.`,
        ErrorCode.InputTooLong,
      );
    }
    return { role: turn.role, text: turn.text };
  });
}

/** A year filter: an integer from 1900 to 2100 (a JSON number or a string of digits). */
export function parseYear(value: unknown, name: string): number {
  const n = typeof value === 'string' && /^\d{4}$/u.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1900 || n > 2100) {
    throw new InputError(`${name} must be a year such as 2019.`);
  }
  return n;
}

/**
 * Validates an ask body into a `Question`. Throws `InputError` with a message written for the caller:
 * `InputInvalid` (→ 400) for a malformed body, `InputTooLong` (→ 413) for an over-long question.
 */
export function parseAskRequest(body: unknown, requestId: string, limits: AskLimits): Question {
  if (!isRecord(body)) {
    throw new InputError('The request body must be a JSON object like {"question": "…"}.');
  }
  const { question, issuer, history, language, doc, year } = body;
  if (typeof question !== 'string') throw new InputError('"question" is required and must be a string.');
  const text = question.trim();
  if (text.length === 0) throw new InputError('"question" must not be empty.');
  const length = charCount(text);
  if (length > limits.maxQuestionChars) {
    throw new InputError(
      `The question is too long: ${length} characters (the maximum is ${limits.maxQuestionChars}). Please shorten it.`,
      ErrorCode.InputTooLong,
    );
  }

  const parsed: Question = { text, requestId };
  if (issuer !== undefined && issuer !== null) {
    if (typeof issuer !== 'string') throw new InputError('"issuer" must be a string.');
    const name = issuer.trim();
    if (charCount(name) > MAX_DEPARTMENT_CHARS) {
      throw new InputError(`"issuer" must be at most ${MAX_DEPARTMENT_CHARS} characters.`);
    }
    if (name && name.toLowerCase() !== 'all') parsed.issuer = name;
  }
  if (doc !== undefined && doc !== null) {
    if (typeof doc !== 'string') throw new InputError('"doc" must be a string.');
    const name = doc.trim();
    if (charCount(name) > MAX_DEPARTMENT_CHARS) {
      throw new InputError(`"doc" must be at most ${MAX_DEPARTMENT_CHARS} characters.`);
    }
    if (name) parsed.doc = name;
  }
  if (year !== undefined && year !== null && year !== '') {
    parsed.year = parseYear(year, '"year"');
  }
  if (language !== undefined && language !== null) {
    if (language !== 'zh' && language !== 'en') throw new InputError('"language" must be "zh" or "en".');
    parsed.language = language;
  }
  if (history !== undefined && history !== null) {
    // Earlier answers can be longer than a question; bound them by the same order of magnitude.
    const turns = parseHistory(history, Math.max(limits.maxQuestionChars * 4, 8000));
    if (turns.length > 0) parsed.history = turns;
  }
  return parsed;
}

/**
 * Body-size limit for the ask routes: room for a maximal question (4 bytes per character in UTF-8,
 * JSON escaping aside) plus a conversation history, so an over-long question gets the clear 413 from
 * `parseAskRequest` rather than a generic "body too large".
 */
export function askBodyLimitBytes(limits: AskLimits): number {
  return 256 * 1024 + limits.maxQuestionChars * 4;
}
