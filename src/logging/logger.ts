import { randomBytes } from 'node:crypto';
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/** Keys whose values never reach a log line, wherever they appear (two levels deep). */
const SECRET_KEYS = [
  'authorization',
  'Authorization',
  'token',
  'apiKey',
  'api_key',
  'secret',
  'password',
  'signingSecret',
  'botToken',
  'appToken',
  'access_token',
  'encodingAESKey',
  'encodingAesKey',
  'corpsecret',
  'cookie',
  'x-slack-signature',
];

const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

export interface LoggerOptions {
  level?: string;
  /** Defaults to stderr so that stdout stays clean for CLI output (JSON lines). */
  destination?: DestinationStream;
  name?: string;
}

/** Structured JSON logger with secrets masked as `***`. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      name: options.name ?? 'policybot',
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '***' },
      base: undefined,
    },
    options.destination ?? pino.destination({ fd: 2, sync: true }),
  );
}

/** A logger that drops everything; for tests and library callers that pass none. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}

/** Short, log-friendly request id, e.g. "req_4f9c2a1b7e3d". */
export function newRequestId(): string {
  return `req_${randomBytes(6).toString('hex')}`;
}

/** Masks a secret for display, keeping only enough to recognise it: "xoxb-…9f3a". */
export function maskSecret(value: string | undefined | null): string {
  if (!value) return '(unset)';
  if (value.length <= 8) return '***';
  return `${value.slice(0, 5)}…${value.slice(-4)}`;
}
