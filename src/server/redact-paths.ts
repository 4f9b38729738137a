import { basename, isAbsolute } from 'node:path';

/** An absolute POSIX or Windows path inside free text (up to whitespace, a quote or a bracket). */
const ABSOLUTE_PATH = /(?:(?<![\w.~])\/|\b[A-Za-z]:[\\/])[^\s"'`<>()[\]]*/g;

/**
 * Text for people outside this machine (`/healthz`): every absolute path is cut to its last segment, so
 * a probe learns neither the install location nor the user's home. Trailing punctuation stays.
 */
export function redactPaths(text: string): string {
  return text.replace(ABSOLUTE_PATH, (path) => {
    const trail = /[.,;:!?]+$/.exec(path)?.[0] ?? '';
    const bare = path.slice(0, path.length - trail.length).replace(/[\\/]+$/, '');
    const last = bare.split(/[\\/]/).pop() ?? '';
    return `…/${last}${trail}`;
  });
}

/** A model reference as shown outside: hub ids as they are, a local directory by its name only. */
export function publicModelName(model: string): string {
  return isAbsolute(model) || /^[A-Za-z]:[\\/]/.test(model) || model.startsWith('.')
    ? basename(model.replace(/[\\/]+$/, ''))
    : model;
}
