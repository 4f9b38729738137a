/** Slack's documented limits for the blocks we send. */
export const SlackLimits = {
  /** A section block's text (3,000); we stay a little under to leave room for markers. */
  sectionText: 2900,
  blocksPerMessage: 50,
  contextElementText: 2900,
  /** Fallback `text` is shown in notifications; keep it short but useful. */
  fallbackText: 2900,
} as const;

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts `text` to at most `max` characters (code points), adding an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** Collapses runs of whitespace (quotes often span line breaks in the source). */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const BREAKS = ['\n\n', '\n', '。', '！', '？', '. ', '! ', '? ', '；', '; ', '，', ', ', ' '];

/**
 * Splits text into pieces of at most `max` UTF-16 units, preferring paragraph, line, then sentence boundaries,
 * so a long answer spreads over several section blocks without cutting a sentence when avoidable.
 */
export function splitText(text: string, max: number = SlackLimits.sectionText): string[] {
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let cut = -1;
    for (const mark of BREAKS) {
      const at = window.lastIndexOf(mark);
      // Ignore a boundary in the first third: it would leave a tiny piece and many blocks.
      if (at > max / 3) {
        cut = at + mark.length;
        break;
      }
    }
    if (cut <= 0) {
      cut = max;
      // Never split a surrogate pair.
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    }
    pieces.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) pieces.push(rest);
  return pieces.filter(Boolean);
}

/** An item line of a list answer ("- 有独立的法人资格[1]；"), as the answer layer writes them. */
const LIST_ITEM = /^- /u;

/**
 * A list answer in mrkdwn: item lines become bullets ("• …") and the line introducing a group of items (the
 * source, ending with a colon) is bold. Other text is left alone. Expects escaped text.
 */
export function formatListMrkdwn(text: string): string {
  const lines = text.split('\n');
  if (lines.filter((l) => LIST_ITEM.test(l)).length < 2) return text;
  return lines
    .map((line, i) => {
      if (LIST_ITEM.test(line)) return `• ${line.slice(2)}`;
      const next = lines[i + 1] ?? '';
      return LIST_ITEM.test(next) && /[：:]$/u.test(line) ? `*${line}*` : line;
    })
    .join('\n');
}
