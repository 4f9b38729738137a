import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode, InputError } from '../../src/errors/index.js';
import { askBodyLimitBytes, MAX_HISTORY_TURNS, parseAskRequest } from '../../src/server/ask-request.js';

const limits = { maxQuestionChars: 10 };

function rejects(body: unknown, code: ErrorCode, message: RegExp): void {
  assert.throws(
    () => parseAskRequest(body, 'req_1', limits),
    (error: unknown) => error instanceof InputError && error.code === code && message.test(error.message),
  );
}

describe('parseAskRequest', () => {
  it('builds a Question, trimming the text and dropping empty options', () => {
    assert.deepEqual(parseAskRequest({ question: ' 5G基站？ ', issuer: ' ', history: [] }, 'req_1', limits), {
      text: '5G基站？',
      requestId: 'req_1',
    });
  });

  it('keeps issuer, language and history', () => {
    const history = [
      { role: 'user' as const, text: '问' },
      { role: 'assistant' as const, text: '答[1]' },
    ];
    assert.deepEqual(
      parseAskRequest(
        { question: '那呢？', issuer: ' SME ', language: 'en', history: [...history] },
        'req_2',
        limits,
      ),
      { text: '那呢？', requestId: 'req_2', issuer: 'SME', language: 'en', history },
    );
  });

  it('treats "all" and null as no issuer filter', () => {
    assert.equal(parseAskRequest({ question: 'q', issuer: 'ALL' }, 'r', limits).issuer, undefined);
    assert.equal(parseAskRequest({ question: 'q', issuer: null }, 'r', limits).issuer, undefined);
  });

  it('counts characters as code points', () => {
    assert.equal(parseAskRequest({ question: '😀'.repeat(10) }, 'r', limits).text.length, 20);
    rejects({ question: '😀'.repeat(11) }, ErrorCode.InputTooLong, /11 characters \(the maximum is 10\)/);
  });

  it('rejects malformed bodies with InputInvalid', () => {
    rejects(null, ErrorCode.InputInvalid, /JSON object/);
    rejects('question', ErrorCode.InputInvalid, /JSON object/);
    rejects({ question: ['x'] }, ErrorCode.InputInvalid, /"question" is required/);
    rejects({ question: '\n\t ' }, ErrorCode.InputInvalid, /must not be empty/);
    rejects({ question: 'q', issuer: 'x'.repeat(101) }, ErrorCode.InputInvalid, /at most 100/);
    rejects({ question: 'q', language: 'EN' }, ErrorCode.InputInvalid, /"zh" or "en"/);
    rejects({ question: 'q', history: {} }, ErrorCode.InputInvalid, /must be an array/);
    rejects({ question: 'q', history: [{ role: 'user' }] }, ErrorCode.InputInvalid, /history\[0\]/);
    rejects(
      {
        question: 'q',
        history: Array.from({ length: MAX_HISTORY_TURNS + 1 }, () => ({ role: 'user', text: 'x' })),
      },
      ErrorCode.InputInvalid,
      /at most 50/,
    );
  });

  it('bounds each history turn', () => {
    rejects(
      { question: 'q', history: [{ role: 'assistant', text: 'x'.repeat(8001) }] },
      ErrorCode.InputTooLong,
      /history\[0\]\.text/,
    );
  });

  it('sizes the body limit so a maximal question fits', () => {
    const max = 2000;
    const body = JSON.stringify({ question: '😀'.repeat(max) });
    assert.ok(Buffer.byteLength(body) < askBodyLimitBytes({ maxQuestionChars: max }));
  });
});
