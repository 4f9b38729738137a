import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthError, ErrorCode } from '../../src/errors/index.js';
import {
  computeSlackSignature,
  isValidSlackSignature,
  verifySlackSignature,
} from '../../src/slack/verify-signature.js';

// Slack's documented example (https://api.slack.com/authentication/verifying-requests-from-slack).
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TIMESTAMP = 1531420618;
const BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const NOW = (TIMESTAMP + 30) * 1000;
const headers = (signature = SIGNATURE, timestamp: string | number = TIMESTAMP) => ({
  'X-Slack-Signature': signature,
  'X-Slack-Request-Timestamp': String(timestamp),
});

function codeOf(fn: () => void): ErrorCode | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    assert.ok(error instanceof AuthError, 'throws AuthError');
    return error.code;
  }
}

describe('verifySlackSignature', () => {
  it("computes Slack's documented example signature", () => {
    assert.equal(computeSlackSignature(SECRET, TIMESTAMP, BODY), SIGNATURE);
  });

  it("accepts Slack's documented example (header names in any case)", () => {
    assert.doesNotThrow(() =>
      verifySlackSignature({ signingSecret: SECRET, body: BODY, headers: headers(), nowMs: NOW }),
    );
    const lower = { 'x-slack-signature': SIGNATURE, 'x-slack-request-timestamp': String(TIMESTAMP) };
    assert.equal(
      isValidSlackSignature({ signingSecret: SECRET, body: BODY, headers: lower, nowMs: NOW }),
      true,
    );
  });

  it('rejects a tampered body, a wrong secret and a forged signature', () => {
    const tampered = BODY.replace('text=', 'text=hello');
    assert.equal(
      codeOf(() =>
        verifySlackSignature({ signingSecret: SECRET, body: tampered, headers: headers(), nowMs: NOW }),
      ),
      ErrorCode.SignatureInvalid,
    );
    assert.equal(
      codeOf(() =>
        verifySlackSignature({ signingSecret: `${SECRET}x`, body: BODY, headers: headers(), nowMs: NOW }),
      ),
      ErrorCode.SignatureInvalid,
    );
    const forged = `v0=${'0'.repeat(64)}`;
    assert.equal(
      isValidSlackSignature({ signingSecret: SECRET, body: BODY, headers: headers(forged), nowMs: NOW }),
      false,
    );
    assert.equal(
      isValidSlackSignature({ signingSecret: SECRET, body: BODY, headers: headers('v0=short'), nowMs: NOW }),
      false,
    );
  });

  it('rejects a signature for another timestamp (the timestamp is signed)', () => {
    const other = TIMESTAMP + 1;
    assert.equal(
      isValidSlackSignature({
        signingSecret: SECRET,
        body: BODY,
        headers: headers(SIGNATURE, other),
        nowMs: NOW,
      }),
      false,
    );
  });

  it('enforces the 5-minute window both ways (replay protection)', () => {
    const at = (nowSeconds: number) =>
      codeOf(() =>
        verifySlackSignature({
          signingSecret: SECRET,
          body: BODY,
          headers: headers(),
          nowMs: nowSeconds * 1000,
        }),
      );
    assert.equal(at(TIMESTAMP + 300), undefined, 'exactly 5 minutes old is still fine');
    assert.equal(at(TIMESTAMP + 301), ErrorCode.RequestStale);
    assert.equal(at(TIMESTAMP - 301), ErrorCode.RequestStale, 'a timestamp from the future is rejected too');
  });

  it('rejects missing headers, a non-numeric timestamp and an empty secret', () => {
    assert.equal(
      codeOf(() => verifySlackSignature({ signingSecret: SECRET, body: BODY, headers: {}, nowMs: NOW })),
      ErrorCode.SignatureInvalid,
    );
    assert.equal(
      codeOf(() =>
        verifySlackSignature({
          signingSecret: SECRET,
          body: BODY,
          headers: headers(SIGNATURE, 'soon'),
          nowMs: NOW,
        }),
      ),
      ErrorCode.SignatureInvalid,
    );
    assert.equal(
      codeOf(() => verifySlackSignature({ signingSecret: '', body: BODY, headers: headers(), nowMs: NOW })),
      ErrorCode.SignatureInvalid,
    );
  });
});
