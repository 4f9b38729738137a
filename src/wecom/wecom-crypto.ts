import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AuthError, ConfigError, ErrorCode } from '../errors/index.js';

/**
 * WeCom's callback crypto ("加解密方案"), shared by the self-built app (XML) and the AI bot (JSON):
 * AES-256-CBC, key = base64(EncodingAESKey + "="), IV = first 16 key bytes, PKCS#7 padding to 32-byte
 * blocks, plaintext = 16 random bytes + 4-byte big-endian length + message + receive id.
 */

/** WeCom pads to 32-byte blocks, not AES's 16. */
const BLOCK = 32;
const RANDOM_BYTES = 16;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes and validates a 43-character EncodingAESKey into the 32-byte AES key. */
export function decodeAesKey(encodingAesKey: string, variable = 'WECOM_ENCODING_AES_KEY'): Buffer {
  if (!/^[A-Za-z0-9]{43}$/.test(encodingAesKey)) {
    throw new ConfigError(variable, 'must be the 43-character EncodingAESKey (letters and digits)');
  }
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) throw new ConfigError(variable, 'does not decode to a 32-byte AES key');
  return key;
}

/** msg_signature: SHA1 of the lexicographically sorted [token, timestamp, nonce, encrypt], hex. */
export function computeSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  const joined = [token, timestamp, nonce, encrypt].sort().join('');
  return createHash('sha1').update(joined, 'utf8').digest('hex');
}

export interface VerifyOptions {
  token: string;
  signature: string;
  timestamp: string;
  nonce: string;
  encrypt: string;
  /** 0 disables the freshness check. */
  maxSkewSeconds: number;
  /** Injectable clock (ms since epoch), for tests. */
  nowMilliseconds?: number;
}

/**
 * Checks msg_signature with a timing-safe comparison and, when `maxSkewSeconds` > 0, that the
 * timestamp is recent. Throws `AuthError` (SignatureInvalid / RequestStale); returns nothing on success.
 */
export function verifySignature(options: VerifyOptions): void {
  const expected = Buffer.from(
    computeSignature(options.token, options.timestamp, options.nonce, options.encrypt),
    'utf8',
  );
  const given = Buffer.from(options.signature.toLowerCase(), 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new AuthError(ErrorCode.SignatureInvalid, 'WeCom msg_signature does not match');
  }
  if (options.maxSkewSeconds > 0) {
    const ts = /^\d{1,12}$/.test(options.timestamp) ? Number(options.timestamp) : Number.NaN;
    const now = Math.floor((options.nowMilliseconds ?? Date.now()) / 1000);
    if (!Number.isFinite(ts) || Math.abs(now - ts) > options.maxSkewSeconds) {
      throw new AuthError(ErrorCode.RequestStale, 'WeCom request timestamp is outside the allowed window');
    }
  }
}

/** PKCS#7 padding to WeCom's 32-byte blocks: always 1..32 bytes, each equal to the pad length. */
export function pkcs7Pad(data: Buffer): Buffer {
  const pad = BLOCK - (data.length % BLOCK);
  return Buffer.concat([data, Buffer.alloc(pad, pad)]);
}

/**
 * Strips and validates PKCS#7 padding (pad byte 1..32). Done by hand because Node's automatic
 * padding assumes 16-byte blocks and rejects valid WeCom messages whose pad byte is above 16.
 */
export function pkcs7Unpad(data: Buffer): Buffer {
  const pad = data.at(-1);
  if (pad === undefined || pad < 1 || pad > BLOCK || pad > data.length) {
    throw new AuthError(ErrorCode.DecryptFailed, 'bad padding');
  }
  for (let i = data.length - pad; i < data.length; i++) {
    if (data[i] !== pad) throw new AuthError(ErrorCode.DecryptFailed, 'bad padding');
  }
  return data.subarray(0, data.length - pad);
}

/** Encrypts `message` for `receiveId` (corp id for the app, "" for the AI bot); returns base64. */
export function encryptMessage(
  key: Buffer,
  message: string,
  receiveId: string,
  random: Buffer = randomBytes(RANDOM_BYTES),
): string {
  if (random.length !== RANDOM_BYTES) throw new Error('random prefix must be 16 bytes');
  const body = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length, 0);
  const plain = pkcs7Pad(Buffer.concat([random, length, body, Buffer.from(receiveId, 'utf8')]));
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

/**
 * Decrypts a base64 `Encrypt`/`echostr`/`encrypt` value and checks the receive id.
 * Every failure (not base64, truncated, bad padding, bad length, invalid UTF-8, wrong receive id)
 * is an `AuthError` with code DecryptFailed, so callers answer 4xx.
 */
export function decryptMessage(key: Buffer, encrypted: string, expectedReceiveId: string): string {
  if (!BASE64.test(encrypted)) throw new AuthError(ErrorCode.DecryptFailed, 'ciphertext is not base64');
  const data = Buffer.from(encrypted, 'base64');
  if (data.length === 0 || data.length % BLOCK !== 0) {
    throw new AuthError(ErrorCode.DecryptFailed, 'ciphertext length is not a multiple of 32 bytes');
  }
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    plain = Buffer.concat([decipher.update(data), decipher.final()]);
  } catch (cause) {
    throw new AuthError(ErrorCode.DecryptFailed, 'AES decryption failed', { cause });
  }
  const content = pkcs7Unpad(plain);
  if (content.length < RANDOM_BYTES + 4) throw new AuthError(ErrorCode.DecryptFailed, 'plaintext too short');
  const length = content.readUInt32BE(RANDOM_BYTES);
  const start = RANDOM_BYTES + 4;
  if (start + length > content.length) {
    throw new AuthError(ErrorCode.DecryptFailed, 'declared message length exceeds plaintext');
  }
  let message: string;
  let receiveId: string;
  try {
    message = utf8.decode(content.subarray(start, start + length));
    receiveId = utf8.decode(content.subarray(start + length));
  } catch (cause) {
    throw new AuthError(ErrorCode.DecryptFailed, 'plaintext is not UTF-8', { cause });
  }
  if (receiveId !== expectedReceiveId) throw new AuthError(ErrorCode.DecryptFailed, 'receive id mismatch');
  return message;
}
