/**
 * A document's metadata from what it states (a sidecar file, a gov.cn metadata table, front matter, file
 * properties) and, where it states nothing, from its own text: the title block, the 文号 line under it, the
 * closing signature and date, a report's date line and speaker, the title's "[issuers]关于…". Unknown stays
 * null — nothing is guessed from the file name.
 */
import { findDate, parseDateLine } from '../../internal/dates.js';
import type { DocumentMeta, Issuer, MetaOrigin, RegionRef } from '../../types.js';
import type { CleanedText, CleanParagraph } from '../clean-text.js';
import { splitIssuers } from '../stated-labels.js';
import type { SourceDocument, StatedMetadata } from '../types.js';
import { docNumberLine, findDocNumbers, issuerOfDocNumberCode, normalizeDocNumber } from './doc-number.js';
import { isOrganizationName, shortOrganizationName, splitOrganizations, unspace } from './organizations.js';
import { findRegions, NATIONAL, type Region } from './regions.js';
import { documentKind, stripTrailingDocNumber, titleFromPageTitle } from './title.js';

export interface MetadataInput {
  source: Pick<SourceDocument, 'id' | 'format' | 'stated' | 'statedOrigin' | 'ocr'>;
  cleaned: CleanedText;
  /** Paragraphs of the document's first part (the notice itself, before any attachment). */
  firstPart: readonly CleanParagraph[];
  /** Issuers of bylined articles (a newspaper column), used when the document names none of its own. */
  partIssuers: readonly Issuer[];
}

/** Bodies of the central government and the Party centre, and ministries (…部): their documents are national. */
const CENTRAL =
  /^(?:中共中央|国务院|全国人民代表大会|全国人大|全国政协|中央军委|中央|国家|中华人民共和国|最高人民)/u;
const MINISTRY = /^[\p{Script=Han}]{2,10}部(?:[\p{Script=Han}]{2,14}(?:司|局|厅|办公室|中心))?$/u;
/** An office title after the body's name in a speaker line: "河南省人民政府省长 王凯". */
const OFFICE =
  /(?:省长|市长|主席|区长|县长|州长|总理|副总理|部长|主任|书记|局长)[\s\u3000]+[\p{Script=Han}·]{2,6}$/u;

function toIssuer(name: string): Issuer {
  const full = unspace(name);
  return { short: shortOrganizationName(full), full };
}

function regionRef(region: Region): RegionRef {
  return { code: region.code, name: region.name, level: region.level };
}

const text = (cleaned: CleanedText, p: CleanParagraph) => cleaned.text.slice(p.start, p.end);

/** "国家发展改革委 国家能源局关于…" → the two bodies before 关于, when the head is only organisation names. */
function issuersFromTitle(title: string): string[] {
  const m = /^(.{2,120}?)关于/u.exec(title);
  if (!m?.[1]) return [];
  return splitOrganizations(m[1]) ?? [];
}

/** One name is a short form of the other: same last character, all its characters in the other. */
function sameBody(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length < 3 || short.slice(-1) !== long.slice(-1)) return false;
  const chars = new Set(long);
  return [...short].every((c) => chars.has(c));
}

/** Regional offices of central bodies (国家能源局华北监管局): central by name, regional in scope. */
const REGIONAL_OFFICE = /(?:监管局|监管办公室|监管办|分局|派出机构)$/u;

function isCentral(name: string): boolean {
  if (REGIONAL_OFFICE.test(name)) return false;
  return (
    CENTRAL.test(name) ||
    (MINISTRY.test(name) && findRegions(name).length === 0 && !/^[市县区省]/u.test(name))
  );
}

/** The region a set of issuers speaks for: the first region named in them; the country for central bodies. */
function regionOfIssuers(issuers: readonly string[]): Region | null {
  for (const name of issuers) {
    const mention = findRegions(name).find((m) => m.region.level !== 'national');
    if (mention) return mention.region;
  }
  return issuers.length > 0 && issuers.every(isCentral) ? NATIONAL : null;
}

function statedDate(value: string | undefined): string | null {
  if (!value) return null;
  return parseDateLine(value) ?? findDate(value)?.iso ?? null;
}

/** Detects the metadata of one document (see the module comment). */
export function detectMetadata(input: MetadataInput): DocumentMeta {
  const { source, cleaned, firstPart } = input;
  // The sidecar's fields were merged over the loader's; both are the document's own statement.
  const stated: StatedMetadata = { ...cleaned.stated, ...source.stated };
  const statedOrigin: MetaOrigin = source.statedOrigin ?? 'page';
  const origin: DocumentMeta['origin'] = {};
  const paragraphs = firstPart;
  const ofRole = (role: CleanParagraph['role']) => paragraphs.filter((p) => p.role === role);

  // Title.
  const titleParagraph = cleaned.paragraphs.find((p) => p.role === 'title');
  const headingParagraph = cleaned.paragraphs.find((p) => p.role === 'heading' || p.headingLevel > 0);
  let title: string | null = null;
  if (stated.title) {
    title = titleFromPageTitle(stated.title) ?? stripTrailingDocNumber(stated.title);
    origin.title = source.stated?.title ? statedOrigin : 'text';
  } else if (titleParagraph) {
    title = text(cleaned, titleParagraph);
    origin.title = 'text';
  } else if (cleaned.pageTitle) {
    title = cleaned.pageTitle;
    origin.title = 'page';
  } else if (headingParagraph) {
    title = text(cleaned, headingParagraph);
    origin.title = 'text';
  } else {
    const first = cleaned.paragraphs[0];
    const line = first ? text(cleaned, first) : '';
    if (line && line.length <= 60 && !/[。；]$/u.test(line)) {
      title = line;
      origin.title = 'text';
    }
  }
  title = title?.replace(/[\s\u3000]+/gu, ' ').trim() || source.id;

  // 文号.
  let docNumber: string | null = stated.docNumber ? normalizeDocNumber(stated.docNumber) : null;
  if (docNumber) origin.docNumber = source.stated?.docNumber ? statedOrigin : 'text';
  if (!docNumber) {
    const line = ofRole('doc-number')[0];
    const fromHead = cleaned.head.map(docNumberLine).find((d) => d !== null) ?? null;
    docNumber = (line ? docNumberLine(text(cleaned, line)) : null) ?? fromHead;
    if (!docNumber && source.stated?.title)
      docNumber = findDocNumbers(source.stated.title).at(-1)?.value ?? null;
    if (docNumber) origin.docNumber = 'text';
  }

  // Issuers and signers.
  const signatureOrgs = ofRole('signature').flatMap((p) => splitOrganizations(text(cleaned, p)) ?? []);
  let issuerNames: string[] = [];
  if (stated.issuers && stated.issuers.length > 0) {
    issuerNames = stated.issuers.flatMap(splitIssuers).map(unspace).filter(isOrganizationName);
    if (issuerNames.length === 0) issuerNames = stated.issuers;
    origin.issuers = source.stated?.issuers ? statedOrigin : 'text';
  }
  if (issuerNames.length === 0) {
    issuerNames = issuersFromTitle(title);
    if (issuerNames.length === 0) issuerNames = mastheadIssuers(cleaned.head);
    if (issuerNames.length === 0) issuerNames = signatureOrgs;
    if (issuerNames.length === 0) {
      const speaker = ofRole('meta')
        .map((p) => text(cleaned, p))
        .find((t) => OFFICE.test(t));
      const office = speaker?.replace(OFFICE, '').trim();
      if (office && isOrganizationName(office)) issuerNames = [office];
    }
    if (issuerNames.length === 0 && docNumber) {
      const code = findDocNumbers(docNumber)[0]?.code;
      const byCode = code ? issuerOfDocNumberCode(code) : null;
      if (byCode) issuerNames = [byCode];
    }
    if (issuerNames.length > 0) origin.issuers = 'text';
  }
  // A title's short form of a body ("华北能源监管局") takes the signature's full name ("国家能源局华北监管局").
  issuerNames = issuerNames.map(
    (name) => signatureOrgs.find((s) => s.length > name.length && sameBody(name, s)) ?? name,
  );
  const signers = signatureOrgs.filter((s) => !issuerNames.some((name) => sameBody(s, name)));

  // Dates.
  let date = statedDate(stated.date);
  if (date) origin.date = source.stated?.date ? statedOrigin : 'text';
  if (!date) {
    const closing = ofRole('signature')
      .map((p) => parseDateLine(text(cleaned, p)))
      .find((d) => d !== null);
    const metaDate = paragraphs
      .filter((p) => p.role === 'meta' || p.role === 'history')
      .map((p) => findDate(text(cleaned, p))?.iso ?? null)
      .find((d) => d !== null);
    date = closing ?? metaDate ?? null;
    if (date) origin.date = 'text';
  }
  const publishedDate = statedDate(stated.publishedDate);
  // Without a 成文日期 the publication date is the document's date (marked as such in `origin`).
  if (!date && publishedDate) {
    date = publishedDate;
    origin.date = source.stated?.publishedDate ? statedOrigin : 'text';
  }

  // Kind and region.
  const kind = stated.kind ?? documentKind(title);
  let region: Region | null = null;
  if (stated.region) {
    region = stated.region === NATIONAL.name ? NATIONAL : (findRegions(stated.region)[0]?.region ?? null);
    if (region) origin.region = source.stated?.region ? statedOrigin : 'text';
  }
  if (!region) {
    const names = issuerNames.length > 0 ? issuerNames : input.partIssuers.map((i) => i.full);
    region = regionOfIssuers(names);
    if (!region || region === NATIONAL) {
      // A title naming a province ("2026年浙江省政府工作报告") is more precise than "central".
      const inTitle = findRegions(title).find((m) => m.region.level !== 'national');
      if (inTitle && (region === null || kind === '工作报告')) region = inTitle.region;
    }
    if (region) origin.region = 'text';
  }
  // A government work report is the government's: 浙江省人民政府.
  if (issuerNames.length === 0 && kind === '工作报告' && region && region.level !== 'national') {
    issuerNames = [`${region.name}人民政府`];
    origin.issuers = 'text';
  }

  const issuers =
    issuerNames.length > 0
      ? [...new Map(issuerNames.map((n) => [unspace(n), toIssuer(n)])).values()]
      : [...input.partIssuers];
  return {
    title,
    issuers,
    docNumber,
    date,
    publishedDate,
    region: region ? regionRef(region) : null,
    kind,
    signers,
    source: stated.source ?? null,
    tags: stated.tags ?? [],
    origin,
    format: source.format,
    ocr: source.ocr
      ? {
          pages: source.ocr.pages,
          meanConfidence: source.ocr.meanConfidence,
          lowConfidencePages: source.ocr.lowConfidencePages,
        }
      : null,
  };
}

/** Metadata that says nothing but the title: for documents made by code (benchmarks, tests). */
export function blankMeta(title: string, format: DocumentMeta['format'] = 'txt'): DocumentMeta {
  return {
    title,
    issuers: [],
    docNumber: null,
    date: null,
    publishedDate: null,
    region: null,
    kind: null,
    signers: [],
    source: null,
    tags: [],
    origin: {},
    format,
    ocr: null,
  };
}

/** The 发文机关标志 of a 公文 (GB/T 9704): the issuing bodies' names followed by 文件, above the 文号. */
const MASTHEAD = /^(.{2,60}?)\s*文件$/u;

/** Issuers named by a 红头 masthead ("XX省人民政府文件", "国家发展改革委 国家能源局文件") in the head lines. */
function mastheadIssuers(head: readonly string[]): string[] {
  for (const line of head) {
    const m = MASTHEAD.exec(line.trim());
    const orgs = m ? splitOrganizations(m[1] as string) : null;
    if (orgs && orgs.length > 0) return orgs;
  }
  return [];
}
