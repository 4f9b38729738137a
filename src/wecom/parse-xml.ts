import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { InputError } from '../errors/index.js';

/**
 * Parses WeCom's flat `<xml>…</xml>` callback bodies into string fields.
 * Hostile input is refused before the parser sees it: any DOCTYPE or ENTITY declaration is rejected
 * (no XXE, no "billion laughs"), and the parser itself runs with entity processing off. Only the five
 * predefined XML entities and numeric character references are decoded, by hand and non-recursively.
 */

const MAX_XML_CHARS = 64 * 1024;
const DECLARATION = /<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i;

const CDATA = '__cdata';

const parser = new XMLParser({
  processEntities: false,
  htmlEntities: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // MsgId is a 64-bit integer: parsing it as a JS number would lose precision and break dedupe.
  parseTagValue: false,
  trimValues: true,
  // CDATA is literal text: keep it apart so it is not entity-decoded below.
  cdataPropName: CDATA,
  maxNestedTags: 8,
});

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|lt|gt|amp|quot|apos);/gi, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code =
        ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return PREDEFINED[ref.toLowerCase()] ?? whole;
  });
}

/** Returns the `<xml>` root's scalar children as strings; throws `InputError` for anything else. */
export function parseWecomXml(xml: string): Record<string, string> {
  if (xml.length === 0 || xml.length > MAX_XML_CHARS) throw new InputError('XML body is empty or too large');
  if (DECLARATION.test(xml)) throw new InputError('XML declarations (DOCTYPE/ENTITY) are not accepted');
  if (XMLValidator.validate(xml) !== true) throw new InputError('malformed XML');
  let parsed: unknown;
  try {
    parsed = parser.parse(xml);
  } catch (cause) {
    throw new InputError(`malformed XML: ${(cause as Error).message}`);
  }
  const root = (parsed as Record<string, unknown> | null)?.xml;
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    throw new InputError('XML root element <xml> is missing');
  }
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(root as Record<string, unknown>)) {
    if (typeof value === 'string') fields[name] = decodeEntities(value);
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const cdata = (value as Record<string, unknown>)[CDATA];
      if (typeof cdata === 'string') fields[name] = cdata;
    }
  }
  return fields;
}
