import { type AnyNode, type Element, isTag, isText } from 'domhandler';

/**
 * Finding a page's main content without selectors for any one site: the idea of Readability and jusText.
 * Paragraph-like elements earn a score from their length and punctuation (prose has commas and 。, menus
 * and footers have neither); each passes its score to its parent and, halved, to its grandparent; the
 * element with the best score after discounting link text is the article's container. Chrome that is not
 * prose (navigation, share buttons, related-article lists) scores little wherever it sits.
 */

/** Elements that never hold content: their text is not the page's. */
const NEVER_CONTENT = new Set([
  'head',
  'script',
  'style',
  'noscript',
  'template',
  'nav',
  'aside',
  'form',
  'button',
  'iframe',
  'frame',
  'frameset',
  'select',
  'option',
  'input',
  'textarea',
  'svg',
  'canvas',
  'object',
  'embed',
  'map',
  'audio',
  'video',
]);

const CHROME_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'search', 'menu', 'menubar', 'toolbar']);

/** Elements inside an article whose header/footer is the article's own (its title, its date line). */
const ARTICLE = new Set(['article', 'main']);

const HIDDEN_STYLE = /(^|;)\s*(display\s*:\s*none|visibility\s*:\s*hidden)/i;

/** Whether an element is chrome or hidden: dropped with everything inside it. */
export function isDropped(el: Element): boolean {
  const name = el.name;
  if (NEVER_CONTENT.has(name)) return true;
  const attrs = el.attribs;
  if ('hidden' in attrs || attrs['aria-hidden'] === 'true') return true;
  if (attrs.style && HIDDEN_STYLE.test(attrs.style)) return true;
  if (attrs.type === 'hidden') return true;
  if (attrs.role && CHROME_ROLES.has(attrs.role)) return true;
  if (name === 'header' || name === 'footer') return !hasAncestor(el, ARTICLE);
  return false;
}

function hasAncestor(el: Element, names: ReadonlySet<string>): boolean {
  for (let p = el.parent; p; p = p.parent) if (isTag(p) && names.has(p.name)) return true;
  return false;
}

/** Paragraph-like elements: their own text is what gets scored. */
const SCORED = new Set([
  'p',
  'td',
  'pre',
  'li',
  'dd',
  'blockquote',
  'div',
  'section',
  'span',
  'font',
  'center',
]);

/** Clause and sentence punctuation, Chinese and Latin. */
const PUNCTUATION = /[，,、；;。．.！!？?：:]/gu;

export interface TextStats {
  chars: number;
  linkChars: number;
  links: number;
}

/** Visible non-whitespace characters of a subtree, and how many of them are link text. */
export function textStats(node: AnyNode, cache: Map<AnyNode, TextStats>): TextStats {
  const cached = cache.get(node);
  if (cached) return cached;
  const stats: TextStats = { chars: 0, linkChars: 0, links: 0 };
  if (isText(node)) {
    stats.chars = node.data.replace(/\s+/g, '').length;
  } else if (isTag(node) && !isDropped(node)) {
    for (const child of node.children) {
      const s = textStats(child, cache);
      stats.chars += s.chars;
      stats.linkChars += s.linkChars;
      stats.links += s.links;
    }
    if (node.name === 'a') {
      stats.linkChars = stats.chars;
      stats.links += 1;
    }
  }
  cache.set(node, stats);
  return stats;
}

export const linkDensity = (s: TextStats): number => (s.chars === 0 ? 0 : s.linkChars / s.chars);

/** Text directly inside an element (not in its block children), where a paragraph's prose is. */
function ownText(el: Element): string {
  let text = '';
  for (const child of el.children) {
    if (isText(child)) text += child.data;
    else if (isTag(child) && INLINE.has(child.name) && !isDropped(child)) text += ownText(child);
  }
  return text;
}

const INLINE = new Set([
  'a',
  'span',
  'b',
  'strong',
  'i',
  'em',
  'u',
  'font',
  'sub',
  'sup',
  'small',
  'big',
  'label',
]);

const MIN_PARAGRAPH_CHARS = 10;

/** A sibling of the best container joins it when it scores this share of the best (Readability uses 0.2). */
const SIBLING_SHARE = 0.2;
const SIBLING_MAX_LINK_DENSITY = 0.3;

/**
 * The elements that hold the page's main text, in document order: the best-scoring container and those of
 * its siblings that are prose too (an article split over several <div>s). The body when nothing scores.
 */
export function mainContent(root: Element, cache: Map<AnyNode, TextStats>): Element[] {
  const scores = new Map<Element, number>();
  const visit = (el: Element) => {
    if (isDropped(el)) return;
    if (SCORED.has(el.name)) {
      const text = ownText(el).replace(/\s+/g, '');
      if (text.length >= MIN_PARAGRAPH_CHARS) {
        const score = 1 + (text.match(PUNCTUATION)?.length ?? 0) + Math.min(Math.floor(text.length / 50), 3);
        let ancestor = el.parent;
        for (let level = 0; level < 3 && ancestor && isTag(ancestor); level++) {
          scores.set(ancestor, (scores.get(ancestor) ?? 0) + score / (level + 1));
          ancestor = ancestor.parent;
        }
        // The paragraph itself can be the container (text directly in a <td> with <br>s).
        scores.set(el, (scores.get(el) ?? 0) + score);
      }
    }
    for (const child of el.children) if (isTag(child)) visit(child);
  };
  visit(root);
  const final = (el: Element) => (scores.get(el) ?? 0) * (1 - linkDensity(textStats(el, cache)));
  let best: Element | null = null;
  let bestScore = 0;
  for (const el of scores.keys()) {
    const score = final(el);
    if (score > bestScore) {
      best = el;
      bestScore = score;
    }
  }
  if (!best) return [root];
  const parent = best.parent;
  if (!parent || !isTag(parent)) return [best];
  return parent.children.filter(
    (c): c is Element =>
      c === best ||
      (isTag(c) &&
        !isDropped(c) &&
        final(c) >= SIBLING_SHARE * bestScore &&
        linkDensity(textStats(c, cache)) < SIBLING_MAX_LINK_DENSITY),
  );
}
