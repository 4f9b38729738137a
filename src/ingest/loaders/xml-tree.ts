import { XMLParser } from 'fast-xml-parser';
import { unzipSync } from 'fflate';
import { LoadError } from '../load-error.js';

/**
 * The XML inside zip packages (DOCX, OFD) as an ordered tree: fast-xml-parser with `preserveOrder`, so
 * mixed content (runs, tabs, breaks, text) keeps its order. Attribute and tag names keep their prefixes
 * ("w:val", "ofd:TextCode").
 */

export type XNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
});

export function parseXml(xml: string): XNode[] {
  return parser.parse(xml) as XNode[];
}

/** The element's name ("w:p"), or "#text" for text. */
export function tagOf(node: XNode): string {
  for (const key of Object.keys(node)) if (key !== ':@') return key;
  return '';
}

/** Local name without the namespace prefix ("ofd:TextCode" → "TextCode"). */
export const localName = (node: XNode): string => tagOf(node).replace(/^.*:/, '');

export function kids(node: XNode): XNode[] {
  const value = node[tagOf(node)];
  return Array.isArray(value) ? (value as XNode[]) : [];
}

export function attr(node: XNode, name: string): string | undefined {
  const attrs = node[':@'] as Record<string, string> | undefined;
  if (!attrs) return undefined;
  if (name in attrs) return attrs[name];
  // Namespaced attributes whose prefix varies between producers: match the local name.
  for (const [key, value] of Object.entries(attrs)) if (key.replace(/^.*:/, '') === name) return value;
  return undefined;
}

/** Text of a text node; '' for elements. */
export const textOfNode = (node: XNode): string => (typeof node['#text'] === 'string' ? node['#text'] : '');

/** All text below a node, in order. */
export function allText(node: XNode): string {
  if ('#text' in node) return textOfNode(node);
  return kids(node).map(allText).join('');
}

/** Depth-first search for elements by local name. */
export function findAll(nodes: readonly XNode[], name: string, out: XNode[] = []): XNode[] {
  for (const node of nodes) {
    if (localName(node) === name) out.push(node);
    findAll(kids(node), name, out);
  }
  return out;
}

export const findFirst = (nodes: readonly XNode[], name: string): XNode | undefined =>
  findAll(nodes, name)[0];

/**
 * A zip package's entries by path (no leading slash), only those `wanted` accepts when given (inflating a
 * DOCX's 400 KB stylesWithEffects.xml for nothing is most of its reading time).
 * @throws LoadError('corrupt') when it is not a zip.
 */
export function openZip(
  bytes: Uint8Array,
  what: string,
  wanted?: (path: string) => boolean,
): Map<string, Uint8Array> {
  try {
    const filter = wanted ? (file: { name: string }) => wanted(file.name.toLowerCase()) : undefined;
    return new Map(Object.entries(filter ? unzipSync(bytes, { filter }) : unzipSync(bytes)));
  } catch (error) {
    throw new LoadError('corrupt', `corrupt ${what}: not a readable zip package`, { cause: error });
  }
}

const utf8 = new TextDecoder('utf-8');

/** A package entry as text, looked up without a leading slash and case-insensitively as a fallback. */
export function entryText(zip: Map<string, Uint8Array>, path: string): string | null {
  const clean = path.replace(/^\/+/, '');
  let bytes = zip.get(clean);
  if (!bytes) {
    const lower = clean.toLowerCase();
    for (const [name, data] of zip) if (name.toLowerCase() === lower) bytes = data;
  }
  return bytes ? utf8.decode(bytes) : null;
}

/** Office files saved with a password are OLE compound files holding an "EncryptedPackage" stream. */
export function isEncryptedOffice(bytes: Uint8Array): boolean {
  if (!(bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0)) return false;
  const marker = Buffer.from('EncryptedPackage', 'utf16le');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(marker);
}
