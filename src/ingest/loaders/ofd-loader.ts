import { posix } from 'node:path';
import { LoadError } from '../load-error.js';
import type { OcrJob } from '../ocr/ocr-pages.js';
import { addStated } from '../stated-labels.js';
import type { Loader, LoaderInput, SourceDocument, StatedMetadata } from '../types.js';
import { BlockText } from './block-text.js';
import { unifyIdeographs } from './cjk-ideographs.js';
import { sha256Hex } from './decode.js';
import { addParagraphs, type PositionedPage, runsToLines, type TextRun } from './page-layout.js';
import { plural, withStated } from './source-document.js';
import {
  allText,
  attr,
  entryText,
  findAll,
  findFirst,
  kids,
  localName,
  openZip,
  parseXml,
  type XNode,
} from './xml-tree.js';

/**
 * OFD (GB/T 33190), the national electronic document format, read as the zip of XML it is:
 * OFD.xml → DocBody → DocRoot (Document.xml) → Pages → each page's Content.xml. Text comes from TextObject /
 * TextCode positions (Boundary + X/Y, DeltaX), grouped into lines by baseline and rejoined into paragraphs
 * like PDF text (page-layout.ts); a page template's text is taken once, at the first page that uses it;
 * several documents in one package follow each other. A page of one big image (a scan) is OCR'd; a page
 * whose glyphs are drawn as paths is listed in `unreadPages` (rendering OFD paths is not implemented).
 * DocInfo's Title and labelled CustomDatas are stated with origin `properties`: they yield to the text.
 */

type Zip = Map<string, Uint8Array>;

/** Resolves an OFD location: absolute from the package root, otherwise relative to `baseDir`. */
const resolveLoc = (baseDir: string, loc: string): string =>
  loc.startsWith('/') ? loc.slice(1) : posix.normalize(posix.join(baseDir, loc));

function readXml(zip: Zip, path: string, what: string): XNode[] {
  const xml = entryText(zip, path);
  if (xml === null) throw new LoadError('corrupt', `corrupt OFD: no ${what}`);
  try {
    return parseXml(xml);
  } catch (error) {
    throw new LoadError('corrupt', `corrupt OFD: ${what} is not XML`, { cause: error });
  }
}

const numbers = (s: string | undefined): number[] =>
  (s ?? '')
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number);

/** DeltaX/DeltaY with OFD's run-length form: "g 3 5.57" is 5.57 three times. */
function deltas(s: string | undefined): number[] {
  const tokens = (s ?? '').trim().split(/\s+/).filter(Boolean);
  const out: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] === 'g') {
      const count = Number(tokens[i + 1]);
      const value = Number(tokens[i + 2]);
      for (let k = 0; k < count; k++) out.push(value);
      i += 2;
    } else out.push(Number(tokens[i]));
  }
  return out;
}

interface PageContent {
  runs: TextRun[];
  /** Largest image object: its media file and the share of the page it covers. */
  image: { file: string; cover: number } | null;
  paths: number;
}

function collectObjects(
  nodes: readonly XNode[],
  media: Map<string, string>,
  pageArea: number,
  into: PageContent,
) {
  for (const node of nodes) {
    const name = localName(node);
    if (name === 'TextObject') {
      if (attr(node, 'Visible') === 'false') continue;
      const [bx = 0, by = 0] = numbers(attr(node, 'Boundary'));
      const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = numbers(attr(node, 'CTM'));
      const scale = Math.hypot(a, b) || 1;
      const size = Number(attr(node, 'Size') ?? 3.5) * scale;
      let lastX = 0;
      let lastY = 0;
      for (const code of kids(node)) {
        if (localName(code) !== 'TextCode') continue;
        const text = unifyIdeographs(allText(code));
        const x = attr(code, 'X') !== undefined ? Number(attr(code, 'X')) : lastX;
        const y = attr(code, 'Y') !== undefined ? Number(attr(code, 'Y')) : lastY;
        const dx = deltas(attr(code, 'DeltaX'));
        const advance = dx.slice(0, Math.max(0, Array.from(text).length - 1)).reduce((s, v) => s + v, 0);
        lastX = x + advance;
        lastY = y;
        into.runs.push({
          text,
          x: bx + a * x + c * y + e,
          y: by + b * x + d * y + f,
          width: (advance + size) * scale,
          size,
        });
      }
    } else if (name === 'ImageObject') {
      const [, , w = 0, h = 0] = numbers(attr(node, 'Boundary'));
      const file = media.get(attr(node, 'ResourceID') ?? '');
      const cover = (w * h) / pageArea;
      if (file && (!into.image || cover > into.image.cover)) into.image = { file, cover };
    } else if (name === 'PathObject') {
      into.paths++;
    } else {
      collectObjects(kids(node), media, pageArea, into);
    }
  }
}

/** Media files (images) of a document's resource files, by resource ID. */
function readMedia(zip: Zip, docDir: string, docXml: readonly XNode[]): Map<string, string> {
  const media = new Map<string, string>();
  const resLocs = [...findAll(docXml, 'PublicRes'), ...findAll(docXml, 'DocumentRes')].map((n) =>
    allText(n).trim(),
  );
  for (const loc of resLocs) {
    const resPath = resolveLoc(docDir, loc);
    const xml = entryText(zip, resPath);
    if (!xml) continue;
    const tree = parseXml(xml);
    const res = findFirst(tree, 'Res');
    const base = resolveLoc(posix.dirname(resPath), attr(res ?? {}, 'BaseLoc') ?? '');
    for (const mm of findAll(tree, 'MultiMedia')) {
      const file = allText(findFirst(kids(mm), 'MediaFile') ?? {}).trim();
      if (file) media.set(attr(mm, 'ID') ?? '', resolveLoc(base, file));
    }
  }
  return media;
}

/** A software name, not an author: "iOFD® 2.1.1 ©2019-2020 dms360.cn", "Suwell OFD Writer 3.0". */
const SOFTWARE = /[®©™]|\d+\.\d+|ofd|pdf|office|wps|writer|reader|suwell|foxit|dms360/i;

function docInfo(body: XNode, stated: StatedMetadata): void {
  const info = findFirst(kids(body), 'DocInfo');
  if (!info) return;
  const title = allText(findFirst(kids(info), 'Title') ?? {}).trim();
  if (title) addStated(stated, '标题', title);
  const author = allText(findFirst(kids(info), 'Author') ?? {}).trim();
  if (author && !SOFTWARE.test(author)) addStated(stated, '发文机关', author);
  for (const custom of findAll(kids(info), 'CustomData'))
    addStated(stated, attr(custom, 'Name') ?? '', allText(custom));
}

export const ofdLoader: Loader = {
  extensions: ['.ofd'],
  async load({ id, path, bytes, options }: LoaderInput): Promise<SourceDocument> {
    const zip = openZip(bytes, 'OFD');
    const ofd = readXml(zip, 'OFD.xml', 'OFD.xml');
    const bodies = findAll(ofd, 'DocBody');
    if (bodies.length === 0) throw new LoadError('corrupt', 'corrupt OFD: OFD.xml has no DocBody');
    const contentHash = sha256Hex(bytes);
    const stated: StatedMetadata = {};
    const pages: PositionedPage[] = [];
    const scans: OcrJob[] = [];
    const pathPages: number[] = [];
    let pageNumber = 0;
    for (const body of bodies) {
      if (findFirst(kids(body), 'Encryptions')) throw new LoadError('password-protected', 'encrypted OFD');
      docInfo(body, stated);
      const rootLoc = allText(findFirst(kids(body), 'DocRoot') ?? {}).trim();
      if (!rootLoc) throw new LoadError('corrupt', 'corrupt OFD: no DocRoot');
      const docPath = resolveLoc('', rootLoc);
      const docDir = posix.dirname(docPath);
      const docXml = readXml(zip, docPath, posix.basename(docPath));
      const media = readMedia(zip, docDir, docXml);
      const common = findFirst(docXml, 'CommonData');
      const defaultBox = numbers(allText(findFirst(kids(common ?? {}), 'PhysicalBox') ?? {}));
      const templates = new Map<string, string>();
      for (const t of findAll(kids(common ?? {}), 'TemplatePage'))
        templates.set(attr(t, 'ID') ?? '', resolveLoc(docDir, attr(t, 'BaseLoc') ?? ''));
      const usedTemplates = new Set<string>();
      for (const pageRef of findAll(kids(findFirst(docXml, 'Pages') ?? {}), 'Page')) {
        pageNumber++;
        const pagePath = resolveLoc(docDir, attr(pageRef, 'BaseLoc') ?? '');
        const pageXml = readXml(zip, pagePath, pagePath);
        const box = numbers(allText(findFirst(pageXml, 'PhysicalBox') ?? {}));
        const [, , width = 210, height = 297] = box.length === 4 ? box : defaultBox;
        const content: PageContent = { runs: [], image: null, paths: 0 };
        for (const t of findAll(pageXml, 'Template')) {
          const tplId = attr(t, 'TemplateID') ?? '';
          const tplPath = templates.get(tplId);
          if (!tplPath || usedTemplates.has(tplPath)) continue;
          usedTemplates.add(tplPath);
          collectObjects(findAll(readXml(zip, tplPath, tplPath), 'Content'), media, width * height, content);
        }
        collectObjects(findAll(pageXml, 'Content'), media, width * height, content);
        const chars = content.runs.reduce((s, r) => s + r.text.replace(/\s/g, '').length, 0);
        if (chars === 0 && content.image && content.image.cover >= 0.3) {
          const file = content.image.file;
          const n = pageNumber;
          scans.push({
            page: n,
            image: async () => {
              const data = zip.get(file);
              if (!data) throw new LoadError('corrupt', `corrupt OFD: page ${n} image ${file} is missing`);
              const { decodeImagePage } = await import('../ocr/ocr-image.js');
              return decodeImagePage(data, 1);
            },
          });
          continue;
        }
        if (chars === 0 && content.paths > 0) pathPages.push(pageNumber);
        pages.push({ page: pageNumber, width, height, lines: runsToLines(content.runs) });
      }
    }
    const doc: SourceDocument = { id, path, format: 'ofd', text: '', contentHash };
    const unread = [...pathPages];
    if (scans.length > 0 && options.ocr) {
      const { recognisePages } = await import('../ocr/ocr-pages.js');
      const result = await recognisePages(contentHash, scans, options);
      pages.push(...result.pages);
      pages.sort((a, b) => a.page - b.page);
      doc.ocr = result.stats;
    } else unread.push(...scans.map((s) => s.page));
    if (pages.every((p) => p.lines.length === 0)) {
      if (unread.length > 0) {
        const why = pathPages.length > 0 ? 'whose text is drawn as paths' : 'of scanned pages';
        const off = scans.length > 0 && !options.ocr ? ' (POLICYBOT_OCR is off)' : '';
        throw new LoadError('needs-ocr', `OFD ${why} (${plural(unread.length, 'page')}): needs OCR${off}`);
      }
    }
    if (unread.length > 0) doc.unreadPages = unread.sort((a, b) => a - b);
    const out = new BlockText();
    addParagraphs(pages, out);
    doc.text = out.toString();
    doc.blocks = out.blocks;
    return withStated(doc, stated, 'properties');
  },
};
