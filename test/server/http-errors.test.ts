import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AuthError,
  ConfigError,
  ErrorCode,
  InputError,
  RateLimitedError,
  UnknownIssuerError,
  UpstreamError,
} from '../../src/errors/index.js';
import {
  clientMessage,
  errorBody,
  HttpInputError,
  httpStatusOf,
  NotFoundError,
  toCodedError,
} from '../../src/server/http-errors.js';

describe('http error mapping', () => {
  it('maps categories and codes to statuses', () => {
    assert.equal(httpStatusOf(new InputError('bad')), 400);
    assert.equal(httpStatusOf(new InputError('long', ErrorCode.InputTooLong)), 413);
    assert.equal(httpStatusOf(new RateLimitedError(3)), 429);
    assert.equal(httpStatusOf(new UnknownIssuerError('x', ['科技司'])), 404);
    assert.equal(httpStatusOf(new NotFoundError('gone')), 404);
    assert.equal(httpStatusOf(new AuthError(ErrorCode.SignatureInvalid, 'sig')), 401);
    assert.equal(httpStatusOf(new HttpInputError(415, 'json please')), 415);
    assert.equal(httpStatusOf(new ConfigError('PORT', 'bad')), 500);
    assert.equal(httpStatusOf(new UpstreamError('llm down', { code: ErrorCode.LlmTimeout })), 502);
    assert.equal(httpStatusOf(toCodedError(new TypeError('x is undefined'))), 500);
  });

  it('turns body-parser errors into our own user errors', () => {
    const parse = toCodedError(
      Object.assign(new SyntaxError('Unexpected token } in JSON at 3'), {
        type: 'entity.parse.failed',
        status: 400,
      }),
    );
    assert.equal(httpStatusOf(parse), 400);
    assert.equal(parse.message, 'The request body is not valid JSON.');
    const large = toCodedError({ type: 'entity.too.large', status: 413, limit: 100 });
    assert.equal(httpStatusOf(large), 413);
    assert.equal(large.code, ErrorCode.InputTooLong);
    assert.match(large.message, /limit 100 bytes/);
    assert.equal(httpStatusOf(toCodedError({ type: 'charset.unsupported', status: 415 })), 415);
    const generic = toCodedError(
      Object.assign(new Error('ENOENT /srv/secret/path'), { status: 404, expose: true }),
    );
    assert.equal(httpStatusOf(generic), 404);
    assert.doesNotMatch(generic.message, /secret/);
  });

  it('shows clients only our own messages for user errors', () => {
    assert.equal(
      clientMessage(new InputError('"question" must not be empty.')),
      '"question" must not be empty.',
    );
    assert.doesNotMatch(clientMessage(toCodedError(new Error('db password wrong'))), /password/);
    assert.doesNotMatch(
      clientMessage(new UpstreamError('401 from https://api.example/v1 key sk-123')),
      /sk-123/,
    );
  });

  it('builds the one error shape, with the known issuers for an unknown one', () => {
    assert.deepEqual(errorBody(new InputError('bad'), 'req_1'), {
      error: { code: ErrorCode.InputInvalid, message: 'bad', requestId: 'req_1' },
    });
    assert.deepEqual(errorBody(new UnknownIssuerError('外交部', ['科技司']), 'req_2').error.known, [
      '科技司',
    ]);
  });
});
