import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../logging/logger.js';

/** Slack token shapes (bot, user, app-level, config tokens): masked in any string that reaches the logs. */
const TOKEN_PATTERN = /\b(xox[abposr]|xapp|xoxe(?:\.xox[bp])?)-[A-Za-z0-9-]+/g;

/** Replaces anything that looks like a Slack token with a masked form. */
export function maskSlackTokens(text: string): string {
  return text.replace(TOKEN_PATTERN, (_m, prefix: string) => `${prefix}-***`);
}

function toLine(parts: unknown[]): { msg: string; err?: Error } {
  let err: Error | undefined;
  const texts: string[] = [];
  for (const part of parts) {
    if (part instanceof Error) {
      err ??= part;
      texts.push(part.message);
    } else if (typeof part === 'string') {
      texts.push(part);
    } else {
      try {
        texts.push(JSON.stringify(part));
      } catch {
        texts.push(String(part));
      }
    }
  }
  const line: { msg: string; err?: Error } = { msg: maskSlackTokens(texts.join(' ')) };
  if (err) line.err = err;
  return line;
}

function boltLevel(pinoLevel: string): LogLevel {
  switch (pinoLevel) {
    case 'trace':
    case 'debug':
      return LogLevel.DEBUG;
    case 'info':
      return LogLevel.INFO;
    case 'warn':
      return LogLevel.WARN;
    default:
      return LogLevel.ERROR;
  }
}

/**
 * Bolt's (and the WebClient's) logger interface on top of our pino logger, so Bolt's own lines are structured,
 * carry `component: "bolt"`, and pass through token masking (pino redacts keys; Bolt logs strings).
 */
export function createBoltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'bolt' });
  const emit = (level: 'debug' | 'info' | 'warn' | 'error', parts: unknown[]) => {
    if (!child.isLevelEnabled(level)) return;
    const { msg, err } = toLine(parts);
    if (err) {
      // Only the name, code and message: Slack SDK errors can carry request options we do not want in logs.
      const code = (err as { code?: unknown }).code;
      child[level]({ err: { name: err.name, message: maskSlackTokens(err.message), code } }, msg);
    } else {
      child[level](msg);
    }
  };
  return {
    debug: (...msg: unknown[]) => emit('debug', msg),
    info: (...msg: unknown[]) => emit('info', msg),
    warn: (...msg: unknown[]) => emit('warn', msg),
    error: (...msg: unknown[]) => emit('error', msg),
    // The level comes from LOG_LEVEL via pino; Bolt calls setLevel(INFO) on construction, which must not override it.
    setLevel: () => {},
    getLevel: () => boltLevel(child.level),
    setName: () => {},
  };
}
