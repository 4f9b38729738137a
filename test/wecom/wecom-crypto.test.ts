import assert from 'node:assert/strict';
import { createDecipheriv } from 'node:crypto';
import { describe, it } from 'node:test';
import { AuthError, ConfigError, ErrorCode } from '../../src/errors/index.js';
import {
  computeSignature,
  decodeAesKey,
  decryptMessage,
  encryptMessage,
  pkcs7Pad,
  pkcs7Unpad,
  verifySignature,
} from '../../src/wecom/wecom-crypto.js';
import { EXAMPLE } from './helpers.js';

const ECHOSTR = 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==';
const key = decodeAesKey(EXAMPLE.encodingAesKey);

function authCode(fn: () => unknown): ErrorCode {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof AuthError, `expected AuthError, got ${String(error)}`);
    return error.code;
  }
  assert.fail('expected an AuthError');
}

describe('WeCom crypto: official example', () => {
  it('computes the documented msg_signature', () => {
    assert.equal(
      computeSignature(EXAMPLE.token, '1409659589', '263014780', ECHOSTR),
      '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
    );
  });

  it('decrypts the documented echostr to 1616140317555161061', () => {
    assert.equal(decryptMessage(key, ECHOSTR, EXAMPLE.corpId), '1616140317555161061');
  });

  it('rejects the example under another corp id', () => {
    assert.equal(
      authCode(() => decryptMessage(key, ECHOSTR, 'wx0000000000000000')),
      ErrorCode.DecryptFailed,
    );
  });
});

describe('WeCom crypto: signature verification', () => {
  const base = { token: EXAMPLE.token, timestamp: '1409659589', nonce: '263014780', encrypt: ECHOSTR };
  const good = '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3';

  it('accepts the right signature (any hex case) with the window off', () => {
    verifySignature({ ...base, signature: good, maxSkewSeconds: 0 });
    verifySignature({ ...base, signature: good.toUpperCase(), maxSkewSeconds: 0 });
  });

  it('rejects a wrong, truncated or empty signature and a changed field', () => {
    const flipped = `${good.slice(0, -1)}4`;
    for (const signature of [flipped, good.slice(0, 20), '']) {
      assert.equal(
        authCode(() => verifySignature({ ...base, signature, maxSkewSeconds: 0 })),
        ErrorCode.SignatureInvalid,
      );
    }
    assert.equal(
      authCode(() => verifySignature({ ...base, nonce: '263014781', signature: good, maxSkewSeconds: 0 })),
      ErrorCode.SignatureInvalid,
    );
  });

  it('enforces the timestamp window only when maxSkewSeconds > 0', () => {
    const at = (seconds: number) => seconds * 1000;
    verifySignature({ ...base, signature: good, maxSkewSeconds: 300, nowMilliseconds: at(1409659589 + 300) });
    assert.equal(
      authCode(() =>
        verifySignature({
          ...base,
          signature: good,
          maxSkewSeconds: 300,
          nowMilliseconds: at(1409659589 + 301),
        }),
      ),
      ErrorCode.RequestStale,
    );
    assert.equal(
      authCode(() =>
        verifySignature({
          ...base,
          signature: good,
          maxSkewSeconds: 300,
          nowMilliseconds: at(1409659589 - 301),
        }),
      ),
      ErrorCode.RequestStale,
    );
  });
});

describe('WeCom crypto: round trips and padding', () => {
  const receiveId = EXAMPLE.corpId; // 18 bytes

  it('round-trips every pad length 1..32, including pad bytes above 16', () => {
    const seen = new Set<number>();
    for (let len = 0; len < 40; len++) {
      const message = 'x'.repeat(len);
      const encrypted = encryptMessage(key, message, receiveId);
      // Look at the raw padding with auto-padding off, to prove which pad byte this case used.
      const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
      decipher.setAutoPadding(false);
      const raw = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]);
      const pad = raw.at(-1) ?? 0;
      assert.equal(pad, 32 - ((20 + len + receiveId.length) % 32));
      seen.add(pad);
      assert.equal(decryptMessage(key, encrypted, receiveId), message);
    }
    for (let pad = 1; pad <= 32; pad++) assert.ok(seen.has(pad), `pad ${pad} covered`);
  });

  it("shows why: Node's automatic padding rejects a valid WeCom pad of 17..32", () => {
    // 20 + 3 + 18 = 41 bytes → pad 23.
    const encrypted = encryptMessage(key, 'abc', receiveId);
    const auto = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    assert.throws(() => Buffer.concat([auto.update(Buffer.from(encrypted, 'base64')), auto.final()]));
    assert.equal(decryptMessage(key, encrypted, receiveId), 'abc');
  });

  it('round-trips Chinese text and the empty receive id of the AI bot', () => {
    const message = JSON.stringify({ msgtype: 'text', text: { content: '2021年新建了多少个5G基站？' } });
    assert.equal(decryptMessage(key, encryptMessage(key, message, ''), ''), message);
    assert.equal(
      authCode(() => decryptMessage(key, encryptMessage(key, message, ''), EXAMPLE.corpId)),
      ErrorCode.DecryptFailed,
    );
  });

  it('pads to 32-byte blocks and validates padding by hand', () => {
    assert.equal(pkcs7Pad(Buffer.alloc(32)).length, 64);
    assert.equal(pkcs7Pad(Buffer.alloc(31)).at(-1), 1);
    assert.deepEqual(pkcs7Unpad(pkcs7Pad(Buffer.from('hello'))), Buffer.from('hello'));
    const bad = pkcs7Pad(Buffer.from('hello'));
    bad[bad.length - 2] = 0; // one pad byte differs
    assert.equal(
      authCode(() => pkcs7Unpad(bad)),
      ErrorCode.DecryptFailed,
    );
    assert.equal(
      authCode(() => pkcs7Unpad(Buffer.from([1, 2, 33]))),
      ErrorCode.DecryptFailed,
    );
    assert.equal(
      authCode(() => pkcs7Unpad(Buffer.from([1, 2, 0]))),
      ErrorCode.DecryptFailed,
    );
  });
});

describe('WeCom crypto: hostile ciphertext', () => {
  const good = encryptMessage(key, '<xml><Content>hi</Content></xml>', EXAMPLE.corpId);

  it('rejects truncated, non-base64, empty and block-misaligned ciphertext', () => {
    const bytes = Buffer.from(good, 'base64');
    for (const bad of [
      bytes.subarray(0, bytes.length - 32).toString('base64'),
      bytes.subarray(0, bytes.length - 5).toString('base64'),
      bytes.subarray(0, 16).toString('base64'),
      'not base64!!',
      '',
    ]) {
      assert.equal(
        authCode(() => decryptMessage(key, bad, EXAMPLE.corpId)),
        ErrorCode.DecryptFailed,
        bad,
      );
    }
  });

  it('rejects flipped ciphertext bytes (bad padding, length or receive id)', () => {
    const bytes = Buffer.from(good, 'base64');
    for (const index of [bytes.length - 1, bytes.length - 20, 20, 0]) {
      const tampered = Buffer.from(bytes);
      tampered[index] = (tampered[index] ?? 0) ^ 0x5a;
      const result = (() => {
        try {
          return decryptMessage(key, tampered.toString('base64'), EXAMPLE.corpId);
        } catch (error) {
          return error;
        }
      })();
      // Flipping a byte of the first block only garbles the random prefix; the message must still match.
      if (typeof result === 'string') assert.equal(index, 0);
      else
        assert.ok(result instanceof AuthError && result.code === ErrorCode.DecryptFailed, `index ${index}`);
    }
  });

  it('rejects a key that is not a 43-character EncodingAESKey', () => {
    assert.throws(() => decodeAesKey('short'), ConfigError);
    assert.throws(() => decodeAesKey(`${EXAMPLE.encodingAesKey.slice(0, 42)}=`), ConfigError);
  });
});
